#!/usr/bin/env python3
"""Builds the fuzzers' seed corpora in tests/fuzz/corpus/<target>/ from the fixtures.

Each seed is small (under the target's -max_len, tests/fuzz/<target>.options): whole
fixtures for the short ones, cut-down copies (the header and a couple of entries) of the long
ones, single papers for the JSON formats, titles and abstracts for the text target, the queries
the tests and the manual use. Run from the repository root; it replaces the seed_* files and
leaves the grown inputs (named by their SHA-1, `make fuzz-merge`) alone.
"""
import glob
import hashlib
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "fuzz", "corpus")
REAL = os.environ.get("LECTERN_FIXTURES", "/work/shared/fixtures/real")

def max_len(target):
    """The -max_len of tests/fuzz/<target>.options (the Makefile runs the target with it)."""
    text = open(os.path.join(ROOT, "tests", "fuzz", target + ".options")).read()
    return int(re.search(r"^max_len\s*=\s*(\d+)", text, flags=re.M).group(1))


def fixtures(pattern):
    """tests/data first, then the shared real fixtures not already there (by name)."""
    seen, out = set(), []
    for base in (os.path.join(ROOT, "tests", "data"), REAL):
        for p in sorted(glob.glob(os.path.join(base, pattern))):
            if os.path.basename(p) not in seen:
                seen.add(os.path.basename(p))
                out.append(p)
    return out


class Corpus:
    def __init__(self, target):
        self.target, self.dir, self.n = target, os.path.join(OUT, target), 0
        self.max_len = max_len(target)
        os.makedirs(self.dir, exist_ok=True)
        for old in glob.glob(os.path.join(self.dir, "seed_*")):
            os.remove(old)
        self.seen = set()

    def add(self, data, name):
        if isinstance(data, str):
            data = data.encode()
        if not data or len(data) > self.max_len or data in self.seen:
            return
        self.seen.add(data)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:60]
        with open(os.path.join(self.dir, "seed_%03d_%s" % (self.n, name)), "wb") as f:
            f.write(data)
        self.n += 1


def cut_xml(text, tag, keep):
    """The document with only its first `keep` <tag> elements."""
    parts = re.split(r"(<%s[\s>].*?</%s>)" % (tag, tag), text, flags=re.S)
    out, n = [], 0
    for i, part in enumerate(parts):
        if i % 2 == 1:
            n += 1
            if n > keep:
                continue
        out.append(part)
    return "".join(out)


def xml_seeds():
    c = Corpus("fuzz_xml")
    for p in fixtures("arxiv-api/*.xml") + fixtures("arxiv-rss/*.xml") + fixtures("feeds/*.xml") \
            + fixtures("oai-pmh/*.xml"):
        text = open(p, encoding="utf-8", errors="replace").read()
        name = os.path.basename(p)
        c.add(text, name)
        for tag in ("entry", "item", "record"):
            if "<%s" % tag in text:
                for keep in (1, 2):
                    c.add(cut_xml(text, tag, keep), "%s-%s%d" % (name, tag, keep))
    return c


def hf_items(doc):
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        for k in ("dailyPapers", "papers", "items"):
            if isinstance(doc.get(k), list):
                return doc[k]
    return []


def json_seeds():
    c = Corpus("fuzz_json")
    for p in fixtures("hf-daily/*.json"):
        name = os.path.basename(p)
        items = hf_items(json.load(open(p, encoding="utf-8")))
        for i, it in enumerate(items[:6]):
            c.add(json.dumps([it], ensure_ascii=False), "%s-item%d" % (name, i))
            c.add(json.dumps(it, ensure_ascii=False), "%s-obj%d" % (name, i))
        c.add(json.dumps(items[:2], ensure_ascii=False), name + "-two")
    # numbers at and past the edges (1e30 upvotes: clamped, never cast)
    c.add('[{"paper":{"id":"2501.00001","upvotes":1e30,"title":"x"},"numComments":-1e300}]', "numbers")
    c.add('[{"paper":{"id":"2501.00002","upvotes":99999999999999999999,"githubStars":-5}}]', "bigint")
    return c


def text_seeds():
    c = Corpus("fuzz_text")
    texts = []
    for p in fixtures("hf-daily/*.json"):
        for it in hf_items(json.load(open(p, encoding="utf-8"))):
            paper = it.get("paper", it) if isinstance(it, dict) else {}
            for k in ("title", "summary", "ai_summary"):
                if isinstance(paper.get(k), str):
                    texts.append(paper[k])
    for p in fixtures("arxiv-api/*.xml") + fixtures("arxiv-rss/*.xml"):
        raw = open(p, encoding="utf-8", errors="replace").read()
        texts += re.findall(r"<(?:title|summary|description)[^>]*>(.*?)</", raw, flags=re.S)
    # the ones with TeX, HTML or entities first: they reach the most code
    rich = [t for t in texts if re.search(r"[\\$&<^_{]", t)]
    for i, t in enumerate(rich[:60] + texts[:10]):
        c.add(bytes([i % 4]) + t.encode(), "text%d" % i)
    for i, t in enumerate(["\x1b[31mred\x1b[0m \u202e evil", "a &amp; b &#x1F600; &nbsp;",
                           "<p>x<sup>2</sup> <sub>i</sub></p><script>x</script>",
                           "\\'e \\\"o {\\o} \\ss", "$\\mathbb{R}^n \\to \\unicode{x2013}$",
                           "\\url{https://x.org/a b} \\href{http://y}{z}"]):
        c.add(bytes([i % 4]) + t.encode(), "edge%d" % i)
    return c


def config_seeds():
    c = Corpus("fuzz_config")
    man5 = open(os.path.join(ROOT, "man", "lectern.5"), encoding="utf-8").read()
    m = re.search(r"\.Sh EXAMPLES\n\.Bd -literal -offset indent\n(.*?)\.Ed", man5, flags=re.S)
    if m:
        c.add(m.group(1), "man-example")
        for i, line in enumerate(m.group(1).splitlines()):
            c.add(line + "\n", "line%d" % i)
    for i, text in enumerate([
            'source arxiv-query "au:hinton AND ti:\\"deep learning\\"" name hinton\n',
            "source feed https://example.org/rss.xml name journal\nset refresh 2h\n",
            "set list-width 40%\nset mark-read-after 0\nset hf-days 3\n",
            "set browser \"sh -c 'firefox %u'\"\n",
            "set start-view source:nope\nsource hf-daily name nope2\n",
            "Thu, 24 Sep 2026 08:58:05 +0000", "2026-06-12T00:00:00.000Z", "90m"]):
        c.add(text, "case%d" % i)
    return c


def query_seeds():
    c = Corpus("fuzz_query")
    src = open(os.path.join(ROOT, "tests", "test_query.c"), encoding="utf-8").read()
    for i, q in enumerate(re.findall(r'(?:assert_shape|query_parse|query_typing)\("((?:[^"\\]|\\.)*)"', src)):
        c.add(q.encode().decode("unicode_escape").encode("latin-1", "replace"), "test%d" % i)
    man1 = open(os.path.join(ROOT, "man", "lectern.1"), encoding="utf-8").read()
    for i, q in enumerate(re.findall(r"--query '([^']*)'", man1)):
        c.add(q, "man%d" % i)
    for i, q in enumerate(["au:hinton cat:cs.LG after:2025-01-01", "is:fav OR tag:to-read",
                           "ti:\"deep learning\" NOT abs:survey", "(a OR b) AND -c date:2025-02",
                           "has:note org:deepmind upvotes:>10", "2501.01234 hep-th/9901001v2",
                           "before:yesterday after:-3 net*"]):
        c.add(q, "case%d" % i)
    return c


def import_seeds():
    c = Corpus("fuzz_import")
    for p in glob.glob(os.path.join(ROOT, "tests", "data", "*", "*.jsonl")):
        for i, line in enumerate(open(p, encoding="utf-8")):
            c.add(line.rstrip("\n"), "%s-%d" % (os.path.basename(p), i))
    c.add('{"id":"2504.00001","title":"' + "é" * 1100 + '","upvotes":1e30}', "limits")
    c.add('{"id":"2504.00002","authors":[' + ",".join('"A %d"' % i for i in range(50)) +
          '],"listings":["hf-daily 2025-01-02","arxiv 2025-01-03"]}', "authors")
    return c


def main():
    for build in (xml_seeds, json_seeds, text_seeds, config_seeds, query_seeds, import_seeds):
        c = build()
        print("%-12s %3d seeds" % (c.target, c.n))
        if c.n == 0:
            sys.exit("no seeds for %s" % c.target)


if __name__ == "__main__":
    main()
