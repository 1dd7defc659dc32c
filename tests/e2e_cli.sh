#!/bin/sh
# End-to-end: the cache commands (list, show, fav/unfav, read/unread) on a cache seeded with
# `lectern import tests/data/cli/papers.jsonl`, and their usage errors / exit statuses.
set -eu
. tests/cli.sh   # T, BIN, DATA, L, fail, expect

# ---- an empty / missing cache -------------------------------------------------------------------
expect 0 L list
[ ! -s "$T/out" ] || fail "list on a missing cache printed something"
[ ! -e "$T/p.db" ] || fail "list created the cache"
expect 1 L show 2501.01234
grep -q "no paper 2501.01234 in the cache (try \`lectern fetch\` or \`lectern search-remote\`)" "$T/err" \
	|| { cat "$T/err"; fail "show on a missing cache: message"; }

# ---- seed -----------------------------------------------------------------------------------------
expect 0 L import "$DATA/papers.jsonl"
grep -qx "imported 6 papers (6 new), 0 lines skipped" "$T/out" || { cat "$T/out"; fail "import summary"; }

# ---- list, text ----------------------------------------------------------------------------------
expect 0 L list
[ "$(wc -l <"$T/out")" -eq 6 ] || { cat "$T/out"; fail "list: 6 lines"; }
# newest first, with date, upvotes when known, id, title, first author and organisation
head -n 1 "$T/out" | grep -q "^2025-02-01 .* 2502\.00002  Learning to Rank Everything — John Smith$" \
	|| { cat "$T/out"; fail "list: first line"; }
# (text output renders LaTeX as the reader does; JSON keeps it as sent)
grep -q "^2025-01-02    42   2501\.01234  Scaling α-Nets: BERT & GPT-4o in 3D — Ada Lovelace et al\. / Google DeepMind$" "$T/out" \
	|| { cat "$T/out"; fail "list: line with upvotes and organisation"; }
tail -n 1 "$T/out" | grep -q "hep-th/9901001" || fail "list: oldest last"
# feed text is untrusted: no escape sequences or control characters reach the terminal
if LC_ALL=C grep -q "$(printf '[\033\007]')" "$T/out"; then fail "list: control characters in output"; fi
grep -q "Evil red title with, \"quotes\" — Mallory Evil / Evil Corp$" "$T/out" || { cat "$T/out"; fail "list: cleaned line"; }
expect 0 L list --limit 2
[ "$(wc -l <"$T/out")" -eq 2 ] || fail "list --limit 2"
expect 0 L list --limit 0
[ "$(wc -l <"$T/out")" -eq 6 ] || fail "list --limit 0"
expect 0 L list --sort upvotes --limit 1
grep -q "2501\.01234" "$T/out" || { cat "$T/out"; fail "list --sort upvotes"; }
expect 0 L list --day 2025-01-03
[ "$(wc -l <"$T/out")" -eq 1 ] && grep -q 2501.01234 "$T/out" || { cat "$T/out"; fail "list --day"; }
expect 0 L list --source hf-daily
[ "$(wc -l <"$T/out")" -eq 1 ] && grep -q 2501.01234 "$T/out" || { cat "$T/out"; fail "list --source"; }
expect 0 L list --query "au:smith"
grep -q 2502.00002 "$T/out" && grep -q 2501.00001 "$T/out" && ! grep -q 2501.01234 "$T/out" \
	|| { cat "$T/out"; fail "list --query au:smith"; }
# a prefix that begins more than 48 of the cache's words, alone, is searched in titles, authors
# and organisations: said on stderr (60 papers, each with its own word tr?? in the abstract)
python3 -c 'import json
for i in range(60):
    print(json.dumps({"id": "2501.%05d" % i, "title": ("Trust study %d" if i % 10 == 0 else "Vision study %d") % i,
                      "abstract": "A tr%s%s method." % (chr(97 + i // 26), chr(97 + i % 26)), "published": "2025-01-02"}))' >"$T/many.jsonl"
M() { "$BIN" --db "$T/many.db" "$@"; }
expect 0 M import "$T/many.jsonl"
expect 0 M list --query "tr*"
[ "$(wc -l <"$T/out")" -eq 6 ] && grep -q "tr\*: searched in titles, authors and organisations only" "$T/err" \
	|| { cat "$T/out" "$T/err"; fail "list --query tr*: the titles, and the note"; }
expect 0 M list --query "trab*"
[ "$(wc -l <"$T/out")" -eq 1 ] && ! grep -q "searched in titles" "$T/err" || { cat "$T/err"; fail "list --query trab*"; }
expect 0 M list --query "method tr*"
[ "$(wc -l <"$T/out")" -eq 50 ] && ! grep -q "searched in titles" "$T/err" || { cat "$T/err"; fail "list --query 'method tr*'"; }
expect 2 M list --query "abs:tr*"
grep -q "type more letters, or add a word" "$T/err" || { cat "$T/err"; fail "abs:tr* alone: refused"; }

# ---- list, JSON ----------------------------------------------------------------------------------
expect 0 L list --format json
python3 - "$T/out" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines) == 6, len(lines)
papers = [json.loads(l) for l in lines]
need = {"id", "title", "abstract", "authors", "published", "updated", "categories", "upvotes",
        "organization", "favourite", "read", "links", "version", "comment", "journal_ref", "doi",
        "authors_detail", "num_comments", "github_stars", "submitter", "ai_summary", "ai_keywords",
        "hf_day", "primary_category", "fav_time", "note", "tags"}
for p in papers:
    missing = need - set(p)
    assert not missing, (p["id"], missing)
p = {p["id"]: p for p in papers}["2501.01234"]
assert p["title"] == "Scaling $\\alpha$-Nets: BERT & GPT-4o in 3D", p["title"]
assert p["authors"] == ["Ada Lovelace", "Charles Babbage"], p["authors"]
assert p["authors_detail"][0] == {"name": "Ada Lovelace", "affiliation": "Analytical Engines Ltd"}
assert p["published"] == "2025-01-02" and p["updated"] == "2025-01-05T10:00:00Z", (p["published"], p["updated"])
assert p["categories"] == ["cs.LG", "cs.AI"] and p["primary_category"] == "cs.LG"
assert p["upvotes"] == 42 and p["num_comments"] == 3 and p["github_stars"] == 1200
assert p["organization"] == "Google DeepMind"
assert p["favourite"] is False and p["read"] is False
assert p["links"] == {"abs": "https://arxiv.org/abs/2501.01234", "pdf": "https://arxiv.org/pdf/2501.01234v2",
                      "code": "https://github.com/ada/nets", "hf": "https://huggingface.co/papers/2501.01234"}, p["links"]
assert p["abstract"] == "We scale things.\nA second paragraph with 100% more \\emph{LaTeX}."
assert p["version"] == 2 and p["hf_day"] == "2025-01-03" and p["ai_keywords"] == ["scaling", "nets"]
evil = {p["id"]: p for p in papers}["2412.99999"]
assert "\x1b" not in json.dumps(evil, ensure_ascii=False) and "\x07" not in evil["title"], evil
PY
# json has no default limit
expect 0 L list --format json --limit 1
[ "$(wc -l <"$T/out")" -eq 1 ] || fail "list --format json --limit 1"

# ---- show ----------------------------------------------------------------------------------------
expect 0 L show 2501.01234
head -n 1 "$T/out" | grep -qx 'Scaling α-Nets: BERT & GPT-4o in 3D' || { cat "$T/out"; fail "show: title"; }
grep -q "^id  *2501\.01234v2$" "$T/out" || { cat "$T/out"; fail "show: id"; }
grep -q "^authors  *Ada Lovelace (Analytical Engines Ltd), Charles Babbage$" "$T/out" || fail "show: authors"
grep -q "^  We scale things\.$" "$T/out" || { cat "$T/out"; fail "show: abstract paragraph 1"; }
grep -q "^  A second paragraph with 100% more LaTeX\.$" "$T/out" || { cat "$T/out"; fail "show: abstract paragraph 2 (\\emph rendered)"; }
grep -q "^  \[2\] pdf  *https://arxiv.org/pdf/2501.01234v2$" "$T/out" || { cat "$T/out"; fail "show: numbered links"; }
# an id with a version or as a URL finds the paper too
expect 0 L show https://arxiv.org/abs/hep-th/9901001v1 --format json
python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); assert p["id"]=="hep-th/9901001" and p["doi"]=="10.1016/S0550-3213(99)00001-1", p' "$T/out"
expect 0 L show 2412.99999
if LC_ALL=C grep -q "$(printf '[\033\007]')" "$T/out"; then fail "show: control characters in output"; fi
expect 1 L show 2601.99999
grep -qx "lectern: no paper 2601.99999 in the cache (try \`lectern fetch\` or \`lectern search-remote\`)" "$T/err" \
	|| { cat "$T/err"; fail "show unknown: message"; }

# ---- fav / unfav / read / unread -----------------------------------------------------------------
expect 0 L fav 2501.01234
expect 0 L read hep-th/9901001v1
expect 0 L list --favourites
[ "$(wc -l <"$T/out")" -eq 1 ] && grep -q 2501.01234 "$T/out" || { cat "$T/out"; fail "list --favourites"; }
grep -q "^2025-01-02    42 \* 2501" "$T/out" || { cat "$T/out"; fail "favourite mark"; }
expect 0 L show 2501.01234 --format json
python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); assert p["favourite"] is True and p["fav_time"], p' "$T/out"
expect 0 L list --unread --format json
python3 -c '
import json,sys
ids=[json.loads(l)["id"] for l in open(sys.argv[1])]
assert len(ids)==5 and "hep-th/9901001" not in ids, ids' "$T/out"
expect 0 L list --favourites --unread
[ "$(wc -l <"$T/out")" -eq 1 ] || { cat "$T/out"; fail "--favourites --unread"; }
expect 0 L unfav 2501.01234
expect 0 L list --favourites
[ ! -s "$T/out" ] || fail "unfav"
expect 0 L unread hep-th/9901001
expect 0 L show hep-th/9901001 --format json
python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); assert p["read"] is False, p' "$T/out"
expect 1 L fav 2601.99999
grep -q "no paper 2601.99999 in the cache" "$T/err" || { cat "$T/err"; fail "fav unknown: message"; }
# several ids: the known ones are saved even when one is unknown
expect 1 L fav 2502.00002 2601.99999
expect 0 L list --favourites
grep -q 2502.00002 "$T/out" || fail "fav with several ids"

# ---- usage errors: exit 2, a message on stderr ----------------------------------------------------
for args in "list --sort sideways" "list --bogus" "list --limit many" "list --limit" "list --format xml" \
	"list --day 2025-02-30" "list extra" "list --day 2025-01-03 --source x" "show" "show a b" \
	"show 2501.01234 --format yaml" "fav" "unread" "export" "export --format docx" "import" \
	"fav --nope 2501.01234"; do
	# shellcheck disable=SC2086
	expect 2 L $args
	grep -q "^lectern: " "$T/err" || { cat "$T/err"; fail "usage error without a message: $args"; }
	[ ! -s "$T/out" ] || fail "usage error wrote to stdout: $args"
done
expect 2 L list --query '"unterminated'
# a source that is not configured is a usage error that names the configured ones
expect 2 L list --source nosuch
grep -q 'unknown source "nosuch" (configured: hf-daily, arxiv)' "$T/err" || { cat "$T/err"; fail "list --source"; }
expect 2 L export --format json --source nosuch
# a source may be selected by its type
expect 0 L list --source arxiv

# --day: a Daily Papers day, most upvoted first; today / yesterday follow the (pinned) clock
python3 - "$T/day.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i, up in enumerate([5, 50, 20]):
        f.write(json.dumps({"id": "2506.1000%d" % i, "title": "Day paper %d" % i, "upvotes": up,
                            "hf_day": "2026-06-13", "published": "2026-06-1%d" % i}) + "\n")
PY
expect 0 L import "$T/day.jsonl"
LECTERN_NOW=2026-06-14T09:00:00Z expect 0 L list --day yesterday --format json
unset LECTERN_NOW
python3 -c 'import json,sys; v=[json.loads(l)["upvotes"] for l in open(sys.argv[1])]; assert v == [50, 20, 5], v' "$T/out" \
	|| fail "--day yesterday, upvotes order"
LECTERN_NOW=2026-06-15T09:00:00Z expect 0 L list --day -2 --format json
unset LECTERN_NOW
python3 -c 'import json,sys; v=[json.loads(l)["upvotes"] for l in open(sys.argv[1])]; assert v == [50, 20, 5], v' "$T/out" \
	|| fail "--day yesterday, upvotes order"
# --sort date on a day is the order the source listed it in: unknown for an import (by upvotes)
expect 0 L list --day 2026-06-13 --sort date --format json
python3 -c 'import json,sys; v=[json.loads(l)["upvotes"] for l in open(sys.argv[1])]; assert v == [50, 20, 5], v' "$T/out" \
	|| fail "--day with --sort date"

# notes and tags: set, read back, add, remove, clear; unknown ids exit 1
expect 0 L note 2501.01234 read this on the train
expect 0 L note 2501.01234
grep -qx "read this on the train" "$T/out" || fail "note read back"
expect 0 L tag 2501.01234 "ml," "#survey" ml
expect 0 L tag 2501.01234 to-read
expect 0 L tag 2501.01234
grep -qx "ml survey to-read" "$T/out" || { cat "$T/out"; fail "tags added, normalised"; }
expect 0 L tag --remove 2501.01234 ML   # tags match whatever their case, as tag: does
expect 2 L tag 2501.01234 ",,"
expect 0 L show 2501.01234 --format json
python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); assert p["tags"] in (["survey", "to-read"], "survey to-read") and p["note"] == "read this on the train", p' "$T/out" \
	|| fail "note and tags in show --format json"
expect 0 L note --clear 2501.01234
expect 0 L note 2501.01234
[ ! -s "$T/out" ] || fail "note cleared"
expect 1 L tag 2601.99999 x
expect 2 L tag
expect 2 L tag --remove 2501.01234

# global options are also accepted after the command
expect 0 L list
cp "$T/out" "$T/before"
expect 0 "$BIN" list --db "$T/p.db"
cmp -s "$T/out" "$T/before" || fail "--db after the command"
expect 0 "$BIN" list --limit 3 --db="$T/p.db"
[ "$(wc -l <"$T/out")" -eq 3 ] || fail "--db= after the command"

# --help goes to stdout, exit 0
for c in list show fav unfav read unread export import; do
	expect 0 L $c --help
	grep -q "^usage: lectern $c" "$T/out" || { cat "$T/out"; fail "$c --help"; }
done

# ---- a read-only cache still lists (as a non-root user only: root ignores permissions) ------------
if [ "$(id -u)" != 0 ]; then
	cp "$T/p.db" "$T/ro.db"; chmod 444 "$T/ro.db"
	expect 0 "$BIN" --db "$T/ro.db" list
	[ "$(wc -l <"$T/out")" -eq 6 ] || fail "read-only list"
	expect 1 "$BIN" --db "$T/ro.db" fav 2501.01234
	grep -q "read-only" "$T/err" || { cat "$T/err"; fail "fav on read-only: message"; }
fi
# ---- links written in the abstract and comment (the reader's links screen uses the same file) -----
# show, JSON and Markdown list the fixed links, then the abstract's \url/\href and written-out
# URLs: the one that repeats the Hugging Face link (http, trailing "/") not again, the comment's
# javascript: and file: URLs never.
LK() { "$BIN" --db "$T/links.db" "$@"; }
expect 0 LK import tests/data/ui/links.jsonl
expect 0 LK show 2411.17530
sed -n '/^links$/,$p' "$T/out" > "$T/links.got"
cat > "$T/links.want" <<'EOF'
links
  [1] abstract      https://arxiv.org/abs/2411.17530
  [2] pdf           https://arxiv.org/pdf/2411.17530v1
  [3] hugging face  https://huggingface.co/papers/2411.17530
  [4] link          https://github.com/Kanyooo/EEG-DCNet
  [5] link          https://kanyooo.github.io/EEG-DCNet/
EOF
diff -u "$T/links.want" "$T/links.got" || fail "show: links found in the text"
expect 0 LK show 2411.17001
grep -q '^  \[10\] link         https://www.mapillary.com/dataset/vistas$' "$T/out" || { cat "$T/out"; fail "show: [10]"; }
expect 0 LK show 2411.17530 --format json
grep -qF '"links":{"abs":"https://arxiv.org/abs/2411.17530","pdf":"https://arxiv.org/pdf/2411.17530v1","hf":"https://huggingface.co/papers/2411.17530","found":["https://github.com/Kanyooo/EEG-DCNet","https://kanyooo.github.io/EEG-DCNet/"]}' "$T/out" \
	|| { cat "$T/out"; fail "show json: links.found"; }
expect 0 LK export --format json
if grep -o '"found":\[[^]]*\]' "$T/out" | grep -qi 'javascript\|file:'; then fail "json: javascript:/file: listed"; fi
expect 0 LK export --format markdown
grep -qF ' · [Hugging Face](https://huggingface.co/papers/2411.17530) · [link](https://github.com/Kanyooo/EEG-DCNet) · [link](https://kanyooo.github.io/EEG-DCNet/)' "$T/out" \
	|| { cat "$T/out"; fail "markdown: links found in the text"; }
if grep -qi 'javascript\|file:' "$T/out"; then cat "$T/out"; fail "markdown: javascript:/file: listed"; fi
expect 0 LK export --format bibtex
grep -qF 'url={https://arxiv.org/abs/2411.17530},' "$T/out" || { cat "$T/out"; fail "bibtex: url is the abstract page"; }

# The fields and flags of SEARCH SYNTAX in lectern(1) come from the query module's table.
sed -n '/^\.\\" FIELDS-BEGIN/,/^\.\\" FIELDS-END/p' man/lectern.1 | sed '1d;$d' > "$T/fields.man"
"$BIN" list --syntax-mdoc > "$T/fields.gen"
diff -u "$T/fields.gen" "$T/fields.man" || fail "man: SEARCH SYNTAX fields differ from 'lectern list --syntax-mdoc'"
"$BIN" list --help | grep -q '^  au:name  *a word in the authors' || fail "list --help: no search fields"
echo ok
