#!/bin/sh
# End-to-end: `lectern export` in every format, BibTeX text and keys, CSV quoting, atomic -o.
set -eu
. tests/cli.sh   # T, BIN, DATA, L, fail, expect
no_temp_files() {
	left=$(find "$1" -maxdepth 1 -name '.*.XXXXXX' -o -maxdepth 1 -name '.*.bib.*' -o -maxdepth 1 -name '.*.jsonl.*')
	[ -z "$left" ] || fail "temporary files left behind: $left"
}

expect 0 L import "$DATA/papers.jsonl"

# ---- BibTeX ------------------------------------------------------------------------------------
expect 0 L export --format bibtex
cp "$T/out" "$T/all.bib"
python3 - "$T/all.bib" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
entries = [e for e in text.split("\n\n") if e.strip()]
assert len(entries) == 6, len(entries)
by_id = {}
for e in entries:
    m = re.search(r"^  (?:eprint|url)=\{([^}]*)\}", e, re.M)
    by_id[m.group(1)] = e
    # braces balance in every entry (BibTeX counts them all)
    depth = 0
    for ch in e:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0, e
    assert depth == 0, e

want = r"""@misc{muller1999dbranes,
  title={D-branes \& $\alpha'$ corrections: 100\% of {AdS}\_5 in {QCD}},
  author={José Müller and Jane Smith Jr.},
  year={1999},
  eprint={hep-th/9901001},
  archivePrefix={arXiv},
  primaryClass={hep-th},
  url={https://arxiv.org/abs/hep-th/9901001},
  doi={10.1016/S0550-3213(99)00001-1},
  journal={Nucl.Phys. B550 (1999) 1-20},
  note={v2: typos\_fixed},
}"""
assert by_id["hep-th/9901001"] == want, by_id["hep-th/9901001"]

want = r"""@misc{lovelace2025scaling,
  title={Scaling $\alpha$-Nets: {BERT} \& {GPT}-4o in {3D}},
  author={Ada Lovelace and Charles Babbage},
  year={2025},
  eprint={2501.01234},
  archivePrefix={arXiv},
  primaryClass={cs.LG},
  url={https://arxiv.org/abs/2501.01234},
  note={12 pages},
}"""
assert by_id["2501.01234"] == want, by_id["2501.01234"]

# a paper from another feed: no eprint, its own URL and DOI
e = by_id["https://example.org/paper/xyz"]
assert e.startswith("@misc{hopper2024paper,\n") and "eprint" not in e and "  doi={10.1000/xyz},\n" in e, e

# same first author, year and first word: a/b in order of publication
assert by_id["2501.00001"].startswith("@misc{smith2025learninga,"), by_id["2501.00001"]
assert by_id["2502.00002"].startswith("@misc{smith2025learningb,"), by_id["2502.00002"]
keys = re.findall(r"^@misc\{([^,]+),", text, re.M)
assert len(keys) == len(set(keys)), keys
PY
# keys do not depend on the export order
expect 0 L export --format bibtex --sort upvotes
grep '^@misc' "$T/out" | sort >"$T/k1"
grep '^@misc' "$T/all.bib" | sort >"$T/k2"
cmp -s "$T/k1" "$T/k2" || { diff "$T/k1" "$T/k2"; fail "keys depend on the order"; }
# selection options work as for list
expect 0 L export --format bibtex --query "ti:learning"
[ "$(grep -c '^@misc' "$T/out")" -eq 2 ] || { cat "$T/out"; fail "export --query"; }

# ---- JSON Lines: the same as list --format json -------------------------------------------------
expect 0 L export --format json
cp "$T/out" "$T/export.jsonl"
expect 0 L list --format json
cmp -s "$T/out" "$T/export.jsonl" || fail "export --format json differs from list --format json"

# ---- CSV (RFC 4180) -----------------------------------------------------------------------------
expect 0 L export --format csv
python3 - "$T/out" <<'PY'
import csv, sys
raw = open(sys.argv[1], "rb").read()
assert raw.startswith(b"id,version,title,authors,published,"), raw[:80]
assert raw.count(b"\r\n") >= 7, "records end with CRLF"
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
assert len(rows) == 6, len(rows)
r = {r["id"]: r for r in rows}
evil = r["2412.99999"]
assert evil["title"] == 'Evil red title with, "quotes"', evil["title"]
assert evil["abstract"] == 'Line one, with comma.\nLine "two".', repr(evil["abstract"])
a = r["2501.01234"]
assert a["authors"] == "Ada Lovelace; Charles Babbage" and a["upvotes"] == "42" and a["published"] == "2025-01-02", a
assert a["favourite"] == "no" and r["hep-th/9901001"]["doi"] == "10.1016/S0550-3213(99)00001-1"
PY

# ---- Markdown -------------------------------------------------------------------------------------
expect 0 L export --format markdown --query "au:lovelace"
grep -qF '1. **Scaling $\\alpha$-Nets: BERT & GPT-4o in 3D** — Ada Lovelace, Charles Babbage (2025-01-02)' "$T/out" \
	|| { cat "$T/out"; fail "markdown item"; }
grep -qF '[PDF](https://arxiv.org/pdf/2501.01234v2)' "$T/out" || { cat "$T/out"; fail "markdown links"; }

# ---- -o FILE is atomic ----------------------------------------------------------------------------
mkdir "$T/dir"
expect 0 L export --format bibtex -o "$T/dir/refs.bib"
grep -q "exported 6 papers to $T/dir/refs.bib" "$T/err" || { cat "$T/err"; fail "export -o: message"; }
cmp -s "$T/dir/refs.bib" "$T/all.bib" || fail "export -o wrote something else than stdout"
[ ! -s "$T/out" ] || fail "export -o also wrote to stdout"
no_temp_files "$T/dir"
# a failed export leaves the old file untouched and no temporary file behind
printf 'OLD\n' >"$T/dir/keep.bib"
chmod 640 "$T/dir/keep.bib"
expect 2 L export --format bibtex --query '"unterminated' -o "$T/dir/keep.bib"
[ "$(cat "$T/dir/keep.bib")" = OLD ] || fail "failed bibtex export touched the file"
printf 'OLD\n' >"$T/dir/keep.jsonl"
expect 2 L export --format json --query '"unterminated' -o "$T/dir/keep.jsonl"
[ "$(cat "$T/dir/keep.jsonl")" = OLD ] || fail "failed json export touched the file"
no_temp_files "$T/dir"
# replacing keeps the file's permissions
expect 0 L export --format csv -o "$T/dir/keep.bib"
[ "$(stat -c %a "$T/dir/keep.bib")" = 640 ] || fail "export -o changed the mode: $(stat -c %a "$T/dir/keep.bib")"
head -c 3 "$T/dir/keep.bib" | grep -q '^id,' || fail "export -o did not replace"
# a directory that does not exist
expect 1 L export --format json -o "$T/nowhere/x.jsonl"
grep -q "cannot write $T/nowhere/x.jsonl" "$T/err" || { cat "$T/err"; fail "export -o bad dir: message"; }
# --format is required
expect 2 L export
grep -q "format" "$T/err" || fail "export without --format: message"
# exporting favourites when there are none: an empty, valid file
expect 0 L export --favourites --format bibtex -o "$T/dir/none.bib"
[ ! -s "$T/dir/none.bib" ] || fail "no favourites: file not empty"
echo ok
