#!/bin/sh
# End-to-end: `lectern import` — malformed lines with line numbers, user state only ever added,
# stdin, and a lossless import(list --format json) round trip between two caches.
set -eu
. tests/cli.sh   # T, BIN, DATA, L, fail, expect

expect 0 L import "$DATA/papers.jsonl"
# a favourite made at a known past time: the round trip below must keep that exact time
expect 0 env LECTERN_NOW=2025-02-03T04:05:06Z "$BIN" --db "$T/p.db" fav 2501.01234
expect 0 L read 2501.01234

# ---- malformed lines: reported with their number, skipped, the rest kept ---------------------------
cat >"$T/bad.jsonl" <<'EOF'
{"id": "2503.00001", "title": "Fine One", "authors": ["Ann Able"], "published": "2025-03-01"}
{"id": "2503.00002", "title":
{"title": "no id"}
{"id": "2503.00003", "title": 5}

[1, 2]
{"id": "2503.00004"} trailing
{"id": "not an id"}
{"id": "2501.01234", "title": "Scaling $\\alpha$-Nets: BERT & GPT-4o in 3D", "favourite": false, "read": false}
{"id": "2502.00002v3", "favourite": true, "read": true, "note": "from file", "tags": ["x", "y"]}
{"id": "2503.00005", "upvotes": "many"}
EOF
expect 1 L import "$T/bad.jsonl"
grep -qx "imported 3 papers (1 new), 7 lines skipped" "$T/out" || { cat "$T/out"; fail "import summary"; }
for want in "bad.jsonl:2: not valid JSON" "bad.jsonl:3: missing \"id\"" \
	"bad.jsonl:4: \"title\" must be a string" "bad.jsonl:6: not a JSON object" \
	"bad.jsonl:7: not valid JSON: unexpected text after the object" "bad.jsonl:8: \"id\" must be an arXiv id" \
	"bad.jsonl:11: \"upvotes\" must be an integer"; do
	grep -qF "$want" "$T/err" || { cat "$T/err"; fail "missing report: $want"; }
done
[ "$(wc -l <"$T/err")" -eq 7 ] || { cat "$T/err"; fail "one report per bad line"; }
grep -q "bad.jsonl:5:" "$T/err" && fail "a blank line was reported"
expect 0 L show 2503.00001 --format json
python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); assert p["title"]=="Fine One" and p["published"]=="2025-03-01", p' "$T/out"
expect 1 L show 2503.00003

# favourites and read marks: a false in the file never clears, a true is applied
expect 0 L show 2501.01234 --format json
python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); assert p["favourite"] is True and p["read"] is True, p' "$T/out"
expect 0 L show 2502.00002 --format json
python3 - "$T/out" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
assert p["favourite"] is True and p["read"] is True and p["fav_time"], p
assert p["note"] == "from file" and p["tags"] == ["x", "y"], (p["note"], p["tags"])
# a partial line never blanks what the cache knows
assert p["title"] == "Learning to Rank Everything" and p["authors"] == ["John Smith"], p
PY
# notes are kept (a different one is appended), tags merged
printf '%s\n' '{"id": "2502.00002", "note": "second", "tags": ["y", "z"]}' '{"id": "2502.00002", "note": "second"}' | L import - >"$T/out" 2>"$T/err" \
	|| { cat "$T/err"; fail "import from stdin"; }
grep -qx "imported 2 papers (0 new), 0 lines skipped" "$T/out" || { cat "$T/out"; fail "stdin summary"; }
expect 0 L show 2502.00002 --format json
python3 -c '
import json,sys
p=json.load(open(sys.argv[1]))
assert p["note"]=="from file\n\nsecond", repr(p["note"])
assert p["tags"]==["x","y","z"], p["tags"]' "$T/out"

# ---- files that cannot be read -----------------------------------------------------------------
expect 1 L import "$T/missing.jsonl"
grep -q "cannot read $T/missing.jsonl" "$T/err" || { cat "$T/err"; fail "missing file: message"; }
printf '\377\376\000garbage\n' >"$T/binary"
expect 1 L import "$T/binary"
grep -q "binary:1: not valid JSON" "$T/err" || { cat "$T/err"; fail "binary file: message"; }

# ---- import(list --format json) is lossless --------------------------------------------------------
expect 0 L list --format json
cp "$T/out" "$T/a.jsonl"
expect 0 "$BIN" --db "$T/q.db" import "$T/a.jsonl"
grep -qx "imported 7 papers (7 new), 0 lines skipped" "$T/out" || { cat "$T/out"; fail "round trip import"; }
expect 0 "$BIN" --db "$T/q.db" list --format json
cp "$T/out" "$T/b.jsonl"
python3 - "$T/a.jsonl" "$T/b.jsonl" <<'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
b = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
assert [p["id"] for p in a] == [p["id"] for p in b], "same papers in the same order"
fav = [p for p in a if p["id"] == "2501.01234"][0]
assert fav["fav_time"] == "2025-02-03T04:05:06Z", fav["fav_time"]   # fav_time compared exactly below
for x, y in zip(a, b):
    assert x == y, (x["id"], {k: (x[k], y.get(k)) for k in x if x[k] != y.get(k)})
PY
# listings survive too: the Daily Papers day view finds the paper in the new cache
expect 0 "$BIN" --db "$T/q.db" list --day 2025-01-03
grep -q 2501.01234 "$T/out" || { cat "$T/out"; fail "listing lost in the round trip"; }
# importing the same file again changes nothing
expect 0 "$BIN" --db "$T/q.db" import "$T/a.jsonl"
grep -qx "imported 7 papers (0 new), 0 lines skipped" "$T/out" || { cat "$T/out"; fail "re-import summary"; }
# several files: one summary for all of them
printf '%s\n' '{"id": "2507.07771", "title": "Multi A"}' >"$T/m1.jsonl"
printf '%s\n' '{"id": "2507.07772", "title": "Multi B"}' '{"id": "2507.07771"}' >"$T/m2.jsonl"
expect 0 L import "$T/m1.jsonl" "$T/m2.jsonl"
grep -qx "imported 3 papers (2 new), 0 lines skipped" "$T/out" || { cat "$T/out"; fail "two files"; }
expect 0 L show 2507.07772
echo ok
