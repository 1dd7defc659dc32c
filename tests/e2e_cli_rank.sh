#!/bin/sh
# End-to-end: hide / unhide, recommend, similar and Atom output on the cli fixture cache.
set -eu
. tests/cli.sh   # T, BIN, DATA, L, fail, expect

expect 0 L import "$DATA/papers.jsonl"

# ---- hide / unhide -------------------------------------------------------------------------------
expect 0 L hide 2502.00002
expect 0 L list
! grep -q 2502.00002 "$T/out" || fail "hide: the paper is still listed"
expect 0 L list --query "learning"
! grep -q 2502.00002 "$T/out" || fail "hide: the paper is still found by a search"
expect 0 L export --format json
! grep -q 2502.00002 "$T/out" || fail "hide: the paper is still exported"
expect 0 L list --hidden
grep -q 2502.00002 "$T/out" || fail "list --hidden: the hidden paper is missing"
[ "$(wc -l <"$T/out")" -eq 6 ] || fail "list --hidden: not every paper"
expect 0 L list --query is:hidden --format json
[ "$(wc -l <"$T/out")" -eq 1 ] && grep -q '"hidden":true' "$T/out" || { cat "$T/out"; fail "is:hidden"; }
expect 0 L fav 2501.00001
expect 1 L hide 2501.00001
grep -q "2501.00001 is a favourite: a favourite cannot be hidden" "$T/err" || { cat "$T/err"; fail "hide of a favourite"; }
expect 0 L list --query is:hidden
! grep -q 2501.00001 "$T/out" || fail "a favourite was hidden"
expect 1 L hide 2999.99999
expect 2 L hide
expect 0 L unhide 2502.00002
expect 0 L list
grep -q 2502.00002 "$T/out" || fail "unhide: the paper is not back"

# ---- recommend / similar ---------------------------------------------------------------------------
expect 0 L unfav 2501.00001
expect 0 L recommend --since 1990-01-01
[ ! -s "$T/out" ] || fail "recommend without favourites printed papers"
grep -q "no favourites yet — mark papers with f" "$T/err" || { cat "$T/err"; fail "recommend: no hint"; }
expect 0 L fav 2501.00001
expect 0 L recommend --since 1990-01-01 --format json
grep -q "ranked by similarity to your 1 favourite" "$T/err" || { cat "$T/err"; fail "recommend: mode not said"; }
python3 - "$T/out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert rows, "no papers"
assert all(r["id"] != "2501.00001" for r in rows), "the favourite itself"
for r in rows:
    assert {"score", "why", "close_to", "title", "authors", "categories"} <= set(r), r.keys()
    assert isinstance(r["why"], list)
assert rows == sorted(rows, key=lambda r: -r["score"]), "not best first"
assert any(r["why"] for r in rows), "no reasons at all"
PY
expect 2 L recommend --format csv
expect 2 L recommend --since soon
expect 0 L recommend --since 1990-01-01 --format atom
python3 -c 'import sys, xml.etree.ElementTree as ET
t = ET.parse(sys.argv[1]); a = "{http://www.w3.org/2005/Atom}"
e = t.getroot().findall(a + "entry"); assert e and t.getroot().tag == a + "feed"
assert all(x.find(a + "id") is not None and x.find(a + "updated") is not None for x in e)' "$T/out" \
	|| fail "recommend --format atom does not parse"
expect 0 L similar 2501.01234 --format json
python3 -c 'import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert all(r["id"] != "2501.01234" for r in rows)' "$T/out" || fail "similar lists the paper itself"
expect 1 L similar 2999.99999
expect 2 L similar

# ---- export --format atom: any view, with untrusted text escaped -----------------------------------------
expect 0 L export --format atom
python3 -c 'import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot(); a = "{http://www.w3.org/2005/Atom}"
e = r.findall(a + "entry"); assert len(e) == 6, len(e)
t = [x.find(a + "title").text for x in e]
assert any("\"quotes\"" in x for x in t), t
assert any("&" in x for x in t), t' "$T/out" || { cat "$T/out"; fail "export --format atom"; }
echo ok

# ---- the reader: i (for you), m (more like this), x / X ---------------------------------------------
printf 'set for-you-days 100000\n' > "$T/conf"
expect 0 L unfav 2501.00001
printf 'i <Wait> <Dump>\n' > "$T/k1"
expect 0 L --config "$T/conf" ui --headless --size 120x14 --keys "$T/k1" --dump "$T/s1"
grep -q "For you │ 0/0 │ sort: for you" "$T/s1" && grep -q "No favourites yet — mark papers with f" "$T/s1" \
	|| { cat "$T/s1"; fail "for you without favourites"; }
expect 0 L fav 2501.00001 2502.00002
printf 'i <Wait> <Enter> <Dump> m <Wait> <Dump> a G x <Dump> X <Dump>\n' > "$T/k2"
expect 0 L --config "$T/conf" ui --headless --size 120x14 --keys "$T/k2" --dump "$T/s2"
awk '/^--- screen 1/,/^--- screen 2/' "$T/s2" > "$T/s2.1"
grep -q "For you │ 1/4 │" "$T/s2.1" && grep -q "^ Why: " "$T/s2.1" && grep -q "by similarity to your 2 favourites" "$T/s2.1" \
	|| { cat "$T/s2.1"; fail "for you: the list, why and mode"; }
sed -n '3,/── detail/p' "$T/s2.1" > "$T/s2.rows"   # the list's rows (the detail may name one: close to)
! grep -q "Learning to Rank Everything\|Learning Fast and Slow" "$T/s2.rows" || fail "for you lists a favourite"
awk '/^--- screen 2/,/^--- screen 3/' "$T/s2" | grep -q "lectern │ Like .* │ 1/[1-9]" || { cat "$T/s2"; fail "m: no similar papers"; }
awk '/^--- screen 3/,/^--- screen 4/' "$T/s2" | grep -q "1 hidden" || { cat "$T/s2"; fail "x: the header does not count it"; }
awk '/^--- screen 4/,0' "$T/s2" | grep -q "lectern │ Hidden │ 1/1" || { cat "$T/s2"; fail "X: the hidden view"; }
# set start-view for-you opens on it, ranked once the ranker's thread is done
printf 'set start-view for-you\nset for-you-days 100000\n' > "$T/conf2"
printf '<Wait> <Dump>\n' > "$T/k3"
expect 0 L --config "$T/conf2" ui --headless --size 120x14 --keys "$T/k3" --dump "$T/s3"
grep -q "lectern │ For you │ 1/" "$T/s3" || { cat "$T/s3"; fail "start-view for-you"; }
# ---- watches: CLI, config lines (read-only), is:watched, the reader's mark and W ---------------
printf 'watch cat hep-th\n' > "$T/wconf"
W() { L --config "$T/wconf" "$@"; }
expect 0 L unhide hep-th/9901001   # (hidden with x above)
expect 0 W watch
grep -qx "cat     hep-th  (config)" "$T/out" || { cat "$T/out"; fail "watch: the config's watch"; }
expect 0 W watch author J. Smith
expect 0 W watch word rank
expect 0 W list --query is:watched
[ "$(wc -l <"$T/out")" -eq 3 ] && grep -q 2502.00002 "$T/out" && grep -q 2501.00001 "$T/out" \
	&& grep -q hep-th/9901001 "$T/out" || { cat "$T/out"; fail "is:watched"; }
expect 1 W unwatch cat hep-th
grep -q "is in the configuration file: edit it there" "$T/err" || { cat "$T/err"; fail "unwatch of a config watch"; }
expect 1 W unwatch author Nobody
expect 2 W watch colour red
expect 0 W unwatch word rank
printf 'a <Dump> W <Dump>\n' > "$T/k4"
expect 0 W ui --headless --size 100x10 --keys "$T/k4" --dump "$T/s4"
grep -q "◆2025-01-01       Learning Fast and Slow" "$T/s4" || { cat "$T/s4"; fail "the list does not mark a watched paper"; }
awk '/^--- screen 2/,0' "$T/s4" | grep -q "lectern │ Watched │ 1/3 │" || { cat "$T/s4"; fail "W"; }
echo ok
