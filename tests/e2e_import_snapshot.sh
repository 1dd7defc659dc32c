#!/bin/sh
# End-to-end: `lectern import` of arXiv's metadata snapshot (tests/data/snapshot/, real papers in
# the snapshot's shape): recognised by its first line or named, read from a pipe (xzcat), each
# paper's title, abstract, authors and versions exact, user state untouched, bad lines reported,
# progress on a terminal only.
set -eu
. tests/cli.sh   # T, BIN, DATA, L, fail, expect
SNAP=tests/data/snapshot/arxiv-snapshot.jsonl

expect 0 L import "$SNAP"
grep -qx "imported 7 papers (7 new), 0 lines skipped" "$T/out" || { cat "$T/out"; fail "summary"; }
[ ! -s "$T/err" ] || { cat "$T/err"; fail "stderr not quiet off a terminal"; }

# exact: as a row of the cache (title, abstract, authors with affiliations, version and dates)
row() {
	sqlite3 "$T/$1" "select p.id, p.version, date(p.published, 'unixepoch'), datetime(p.updated, 'unixepoch'),
	  p.title, p.categories, coalesce(p.doi, ''), coalesce(p.journal_ref, ''),
	  (select group_concat(a.name || coalesce(' (' || a.affiliation || ')', ''), ', ') from paper_authors a where a.paper = p.pk)
	  from papers p where p.id = '$2'"
}
[ "$(row p.db math/9602216)" = "math/9602216|3|1996-02-15|2024-03-03 11:58:08|Categoricity and amalgamation for AEC and \$ \\kappa \$ measurable|math.LO||[Sh:362]: Fund. Math. 151 (1996), 209--240|Oren Kolman, Saharon Shelah" ] || { row p.db math/9602216; fail "math/9602216"; }
[ "$(row p.db 1907.01743)" = "1907.01743|2|2019-07-03|2024-03-03 11:57:48|Deep Attentive Features for Prostate Segmentation in 3D Transrectal Ultrasound|eess.IV cs.AI cs.CV cs.LG|10.1109/TMI.2019.2913184||Yi Wang, Haoran Dou, Xiaowei Hu, Lei Zhu, Xin Yang, Ming Xu, Jing Qin, Pheng-Ann Heng, Tianfu Wang, Dong Ni" ] || { row p.db 1907.01743; fail "1907.01743"; }
[ "$(row p.db astro-ph/0601001)" = "astro-ph/0601001|1|2006-01-02|2006-01-02 14:57:58|Frequency of Hot Jupiters and Very Hot Jupiters from the OGLE-III Transit Surveys Toward the Galactic Bulge and Carina|astro-ph||ActaAstron.56:1-50,2006|Andrew Gould (Ohio State), Susan Dorsher (Ohio State), B. Scott Gaudi (CfA), Andrzej Udalski (Warsaw University Observatory)" ] || { row p.db astro-ph/0601001; fail "astro-ph/0601001"; }
row p.db 1707.08567 | grep -q "Tadashi Wadayama, Dirk Wübben, Hirosuke Yamamoto$" || fail "TeX accent / 34 authors"
abs=$(sqlite3 "$T/p.db" "select abstract from papers where id = 'math/9602216'")
[ "$(printf '%s\n' "$abs" | wc -l)" -eq 3 ] || { printf '%s\n' "$abs"; fail "paragraphs"; }
printf '%s\n' "$abs" | sed -n 2p | grep -q '^In this revised version we replaced the class of models of \$T\$ by \$\\mathfrak k\$, an AEC' || fail "unwrapped paragraph"
# every version with its date: shown, exported as JSON, and read back by an import of that export
expect 0 L show math/9602216
grep -q "^versions  *v1 1996-02-15 · v2 2023-05-18 · v3 2024-03-03$" "$T/out" || { cat "$T/out"; fail "show: versions"; }
expect 0 L list --query "id:math/9602216" --format json
python3 - "$T/out" <<'PY' || fail "export: versions"
import json, sys
p = json.loads(open(sys.argv[1], encoding="utf-8").read())
assert [v["version"] for v in p["versions"]] == [1, 2, 3], p["versions"]
assert p["versions"][1]["date"].startswith("2023-05-18T13:38:36"), p["versions"]
PY
cp "$T/out" "$T/one.jsonl"
expect 0 "$BIN" --db "$T/round.db" import "$T/one.jsonl"
expect 0 "$BIN" --db "$T/round.db" show math/9602216
grep -q "^versions  *v1 1996-02-15 · v2 2023-05-18 · v3 2024-03-03$" "$T/out" || { cat "$T/out"; fail "round trip: versions"; }
# the same as the OAI-PMH harvest and the arXiv API give: compared in build/tests/test_snapshot
echo "ok  exact fields"

# user state is never touched; a second import changes nothing
expect 0 L fav 1711.03463
expect 0 L note 1711.03463 "rigid"
sqlite3 "$T/p.db" "select * from papers order by id" >"$T/before"
# the snapshot ships as .json.xz (gzip stands in where xz-utils is not installed)
if command -v xz >/dev/null 2>&1; then z=xz; else z=gzip; fi
expect 0 sh -c "$z -c '$SNAP' | $z -dc | '$BIN' --db '$T/p.db' import -"
grep -qx "imported 7 papers (0 new), 0 lines skipped" "$T/out" || { cat "$T/out"; fail "stdin summary"; }
sqlite3 "$T/p.db" "select * from papers order by id" >"$T/after"
cmp -s "$T/before" "$T/after" || { diff "$T/before" "$T/after" | head; fail "re-import changed papers"; }
[ "$(sqlite3 "$T/p.db" "select favourite, note from user_state where id = '1711.03463'")" = "1|rigid" ] || fail "user state"
echo "ok  xzcat | import -, user state kept"

# named format; the wrong one; a bad line reported and skipped
expect 0 "$BIN" --db "$T/q.db" import --format arxiv-snapshot "$SNAP"
grep -qx "imported 7 papers (7 new), 0 lines skipped" "$T/out" || fail "--format arxiv-snapshot"
expect 2 L import --format nosuch "$SNAP"
grep -q "format is json or arxiv-snapshot" "$T/err" || fail "bad --format"
expect 1 "$BIN" --db "$T/r.db" import --format json "$SNAP"
grep -q "arxiv-snapshot.jsonl:1: " "$T/err" || { cat "$T/err"; fail "--format json on a snapshot"; }
{ sed -n 1,2p "$SNAP"; echo '{"id": "bogus", "authors_parsed": []}'; echo '{"id": "2501.0'; sed -n '3,$p' "$SNAP"; } >"$T/bad.jsonl"
expect 1 "$BIN" --db "$T/s.db" import "$T/bad.jsonl"
grep -qx "imported 7 papers (7 new), 2 lines skipped" "$T/out" || { cat "$T/out"; fail "bad lines summary"; }
grep -q "bad.jsonl:3: \"id\" \"bogus\" is not an arXiv id (line skipped)" "$T/err" && grep -q "bad.jsonl:4: not valid JSON" "$T/err" || { cat "$T/err"; fail "bad lines"; }
echo "ok  --format, bad lines"

# progress: on a terminal, papers and rate (and the time left for a file); quiet elsewhere
python3 - "$BIN" "$T/t.db" "$SNAP" <<'PY' || fail "progress on a terminal"
import os, pty, subprocess, sys
m, s = pty.openpty()
r = subprocess.run([sys.argv[1], "--db", sys.argv[2], "import", sys.argv[3]], stdout=subprocess.PIPE, stderr=s)
os.close(s)
out = b""
try:
    while True:
        b = os.read(m, 4096)
        if not b:
            break
        out += b
except OSError:
    pass
text = out.decode()
sys.exit(0 if r.returncode == 0 and "arxiv-snapshot.jsonl: 7 papers, " in text and "/s" in text else 1)
PY
echo "ok  progress"

# a withdrawn paper in the reader: marked in the list and said first in the detail pane
sqlite3 "$T/p.db" "update papers set withdrawn = 1 where id = '1907.01743'"
mkdir -p "$T/xdg/lectern"; printf 'set start-view all\n' >"$T/xdg/lectern/config"
printf '%s\n' "/ 1907.01743 <Enter> <Dump>" >"$T/w.keys"
XDG_CONFIG_HOME="$T/xdg" LC_ALL=C.UTF-8 "$BIN" --db "$T/p.db" ui --headless --no-fetch --size 150x24 --keys "$T/w.keys" --dump "$T/w.out" 2>"$T/err" || { cat "$T/err"; fail "headless"; }
grep -q "withdrawn Deep Attentive Features" "$T/w.out" || { cat "$T/w.out"; fail "list mark"; }
grep -q "Withdrawn: by arXiv (its record was deleted)" "$T/w.out" || { cat "$T/w.out"; fail "detail pane"; }
echo "ok  withdrawn in the reader"
