#!/bin/sh
# End-to-end: `lectern fetch` against tests/server.py, then the cache checked through
# `lectern list --format json` against the fixture files themselves.
set -eu
T=$TMPDIR_TEST
BIN=$LECTERN_BIN
DATA=tests/data/http

. tests/server.sh   # starts the server: $B, $PIDS, reap

cat >"$T/config" <<EOC
set hf-url $B
set arxiv-api-url $B/api/query
set arxiv-rss-url $B/rss
set arxiv-delay 0
set host-delay 0
set timeout 5
set max-tries 2
source hf-daily
source arxiv cs.LG cs.AI cs.CL stat.ML
source arxiv-query "merge" name merged
EOC
L() { "$BIN" --db "$T/p.db" --config "$T/config" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# ---- Hugging Face Daily Papers, one day ----------------------------------------------------
L fetch hf-daily --date 2026-06-12 >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "hf fetch"; }
grep -q "1 source: 30 new, 0 updated, 0 failed" "$T/out" || { cat "$T/out"; fail "hf summary"; }
[ ! -s "$T/err" ] || { cat "$T/err"; fail "stderr is not a terminal: a successful fetch says nothing there"; }
L list --format json >"$T/list.json"
python3 - "$T/list.json" "$DATA/hf/2026-06-12.json" <<'PY'
import json, sys
got = {p["id"]: p for p in map(json.loads, open(sys.argv[1], encoding="utf-8"))}
items = json.load(open(sys.argv[2], encoding="utf-8"))
assert len(got) == 30 == len(items), (len(got), len(items))
ws = lambda s: " ".join(s.split())
non_ascii = 0
for it in items:
    p = it["paper"]
    g = got[p["id"]]
    assert g["title"] == ws(p["title"]), (g["title"], p["title"])
    names = [a["name"] for a in p["authors"]]
    gnames = [a["name"] if isinstance(a, dict) else a for a in g["authors"]]
    assert gnames == names, (p["id"], gnames, names)            # author order kept
    non_ascii += any(ord(c) > 127 for n in names for c in n)
    assert g["upvotes"] == p["upvotes"], (p["id"], g["upvotes"], p["upvotes"])
    org = (p.get("organization") or it.get("organization") or {}).get("fullname")
    if org:
        assert g["organization"] == org, (p["id"], g["organization"], org)
    assert ws(g["abstract"]) == ws(p["summary"]), p["id"]     # LaTeX and text kept as sent
print("hf ok; papers with non-ASCII author names:", non_ascii)
PY
[ "$(L list --day 2026-06-12 --format json | wc -l)" -eq 30 ] || fail "listing day not recorded"
# which kind of source gave each field
L show --sources 2606.00467 >"$T/out" || fail "show --sources"
grep -qx "title: Hugging Face" "$T/out" && grep -qx "upvotes: Hugging Face" "$T/out" &&
	grep -qx "organisation: Hugging Face" "$T/out" || { cat "$T/out"; fail "show --sources hf"; }

# ---- old Daily Papers data: no submittedOnDailyAt, item publishedAt is the day before (UTC) -----
# The papers belong to the day that was asked for, not to the parser's guess.
O() { "$BIN" --db "$T/old.db" --config "$T/config" "$@"; }
for d in 2025-01-27 2024-05-27; do
	O fetch hf-daily --date $d >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "hf $d"; }
done
[ "$(O list --day 2025-01-27 --format json | wc -l)" -eq 4 ] || fail "2025-01-27 papers not on their day"
[ "$(O list --day 2024-05-27 --format json | wc -l)" -eq 13 ] || fail "2024-05-27 papers not on their day"
[ "$(O list --day 2025-01-26 --format json | wc -l)" -eq 0 ] || fail "papers recorded under the UTC guess"
days=$(sqlite3 "$T/old.db" "select group_concat(day, ' ') from (select distinct day from listings order by day)")
[ "$days" = "2024-05-27 2025-01-27" ] || fail "listing days: $days"
O list --day 2025-01-27 --format json >"$T/list.json"
python3 - "$T/list.json" "$DATA/hf/2025-01-27.json" <<'PY'
import json, sys
got = {p["id"]: p for p in map(json.loads, open(sys.argv[1], encoding="utf-8"))}
items = json.load(open(sys.argv[2], encoding="utf-8"))
assert sorted(got) == sorted(it["paper"]["id"] for it in items), sorted(got)
big = got["2501.14249"]                                   # the 664-author paper, order kept
want = [a["name"] for a in next(it for it in items if it["paper"]["id"] == "2501.14249")["paper"]["authors"]]
names = [a["name"] if isinstance(a, dict) else a for a in big["authors"]]
assert len(names) == 664 and names == want, len(names)
print("old hf days ok")
PY

# ---- a Daily Papers day with more than 100 papers: pages p=0,1,2 in one transaction ----------
mark=$(wc -l <"$T/server.log")
since_mark() { tail -n +$((mark + 1)) "$T/server.log"; }   # requests since mark was set
G() { "$BIN" --db "$T/big.db" --config "$T/config" "$@"; }
G fetch hf-daily --date 2026-06-13 >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "paged day"; }
grep -q "1 source: 250 new" "$T/out" || { cat "$T/out"; fail "paged day summary"; }
[ "$(G list --day 2026-06-13 --format json | wc -l)" -eq 250 ] || fail "paged day not all on its day"
since_mark >"$T/new.log"
python3 - "$T/new.log" <<'PY'
import json, sys
paths = [json.loads(l)["path"] for l in open(sys.argv[1])]
want = ["/api/daily_papers?date=2026-06-13&limit=100&p=%d" % p for p in range(3)]
assert paths == want, paths
print("paging ok")
PY
# unchanged first page (304): the day is unchanged, later pages are not asked for
mark=$(wc -l <"$T/server.log")
G fetch hf-daily --date 2026-06-13 >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "paged refetch"; }
grep -q "1 source: 0 new, 0 updated" "$T/out" && [ "$(since_mark | wc -l)" -eq 1 ] || fail "paged 304"
# a server that ignores p: the repeated page ends the day; one that never ends: 10 pages at most
{ cat "$T/config"; echo "set hf-url $B/m/nopage"; } >"$T/nopage.conf"
mark=$(wc -l <"$T/server.log")
"$BIN" --db "$T/nopage.db" --config "$T/nopage.conf" fetch hf-daily --date 2026-06-13 >"$T/out" 2>"$T/err" ||
	{ cat "$T/err"; fail "nopage"; }
grep -q "1 source: 100 new" "$T/out" && [ "$(since_mark | wc -l)" -eq 2 ] || { cat "$T/out"; fail "nopage pages"; }
{ cat "$T/config"; echo "set hf-url $B/m/endless"; } >"$T/endless.conf"
mark=$(wc -l <"$T/server.log")
"$BIN" --db "$T/endless.db" --config "$T/endless.conf" fetch hf-daily --date 2026-06-13 >"$T/out" 2>"$T/err" ||
	{ cat "$T/err"; fail "endless"; }
grep -q "1 source: 1000 new" "$T/out" && [ "$(since_mark | wc -l)" -eq 10 ] || { cat "$T/out"; fail "endless pages"; }
grep -q "hf-daily: stopped at 10 pages of a Daily Papers day (set hf-max-pages N" "$T/err" ||
	{ cat "$T/err"; fail "the page cap is said"; }
echo "set hf-max-pages 3" >>"$T/endless.conf"
mark=$(wc -l <"$T/server.log")
"$BIN" --db "$T/endless3.db" --config "$T/endless.conf" fetch hf-daily --date 2026-06-13 >"$T/out" 2>"$T/err" ||
	{ cat "$T/err"; fail "endless 3"; }
grep -q "1 source: 300 new" "$T/out" && [ "$(since_mark | wc -l)" -eq 3 ] &&
	grep -q "stopped at 3 pages" "$T/err" || { cat "$T/out" "$T/err"; fail "hf-max-pages 3"; }

# ---- arXiv RSS listing ----------------------------------------------------------------------
L fetch arxiv >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "rss fetch"; }
grep -q "1 source: 4 new" "$T/out" || { cat "$T/out"; fail "rss summary"; }
python3 - "$DATA/rss/cs.LG+cs.AI+cs.CL+stat.ML.xml" "$T/rss.json" <<'PY'
import sys, xml.etree.ElementTree as ET, json
root = ET.parse(sys.argv[1]).getroot()
items = root.findall("./channel/item")
json.dump([" ".join(i.findtext("title").split()) for i in items], open(sys.argv[2], "w"))
PY
L list --source arxiv --format json >"$T/list.json"
python3 - "$T/list.json" "$T/rss.json" <<'PY'
import json, sys
got = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
want = json.load(open(sys.argv[2]))
assert sorted(p["title"] for p in got) == sorted(want), ([p["title"] for p in got], want)
print("rss ok")
PY
# the RSS announce day (channel pubDate), not today
day=$(sqlite3 "$T/p.db" "select distinct day from listings where source='arxiv'")
[ "$day" = "2026-09-24" ] || fail "RSS listing day is '$day'"
# a feed that states its day only after its items: every item is still recorded under that day
{ cat "$T/config"; echo "source feed $B/feed/late-day.xml name late"; } >"$T/late.conf"
"$BIN" --db "$T/late.db" --config "$T/late.conf" fetch late >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "late-day feed"; }
grep -q "1 source: 2 new" "$T/out" || { cat "$T/out"; fail "late-day summary"; }
days=$(sqlite3 "$T/late.db" "select count(*) || ' ' || group_concat(distinct day) from listings where source = 'late'")
[ "$days" = "2 2026-03-03" ] || fail "late-day listings: '$days'"

# ---- the same paper from two sources is one paper -------------------------------------------
L fetch merged --since 2000-01-01 >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "api fetch"; }
grep -q "1 source: 1 new, 1 updated" "$T/out" || { cat "$T/out"; fail "merge summary"; }
L list --format json >"$T/list.json"
python3 - "$T/list.json" <<'PY'
import json, sys
got = {p["id"]: p for p in map(json.loads, open(sys.argv[1], encoding="utf-8"))}
assert len(got) == 35, len(got)
p = got["2606.12730"]
assert p["upvotes"] == 5, p["upvotes"]                        # from Hugging Face
cats = p["categories"] if isinstance(p["categories"], str) else " ".join(p["categories"])
assert cats.split()[:2] == ["cs.CL", "cs.AI"], cats            # from the arXiv API
assert p["title"].startswith("Rethinking Psychometric Evaluation of LLMs"), p["title"]
print("merge ok")
PY
n=$(sqlite3 "$T/p.db" "select count(*) from listings l join papers p on p.pk = l.paper where p.id = '2606.12730'")
[ "$n" -eq 2 ] || fail "2606.12730 should be listed by two sources, is by $n"
# a blog's feed that links it adds its listing, never its words; its own post keeps them
# (on a copy of the cache, which later checks count)
{ cat "$T/config"; echo "source feed $B/feed/blog.xml name blog"; } >"$T/blog.conf"
sqlite3 "$T/p.db" ".backup '$T/blog.db'"
BL() { "$BIN" --db "$T/blog.db" --config "$T/blog.conf" "$@"; }
BL fetch blog >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "blog feed"; }
BL show 2606.12730 >"$T/out" || fail "show after the blog"
grep -q "^Rethinking Psychometric Evaluation of LLMs" "$T/out" && ! grep -q "personality tests" "$T/out" \
	|| { cat "$T/out"; fail "the blog replaced arXiv's title"; }
BL show --sources 2606.12730 >"$T/out" || fail "show --sources after the blog"
grep -qx "title: arXiv" "$T/out" && grep -qx "abstract: arXiv" "$T/out" && grep -qx "upvotes: Hugging Face" "$T/out" \
	|| { cat "$T/out"; fail "sources after the blog"; }
n=$(sqlite3 "$T/blog.db" "select count(*) from listings l join papers p on p.pk = l.paper where p.id = '2606.12730' and source = 'blog'")
[ "$n" -eq 1 ] || fail "the blog's listing of 2606.12730 not recorded"
BL show --sources url:https://blog.example/2026/06/reading-group >"$T/out" || fail "show the blog's post"
grep -qx "title: feed" "$T/out" || { cat "$T/out"; fail "a feed-only paper's sources"; }

# ---- conditional GET: the second fetch sends the validators and gets 304 ---------------------
L fetch hf-daily --date 2026-06-12 >"$T/out" 2>"$T/err" || fail "refetch"
grep -q "1 source: 0 new, 0 updated, 0 failed" "$T/out" || { cat "$T/out"; fail "304 summary"; }
python3 - "$T/server.log" <<'PY'
import json, sys
log = [json.loads(l) for l in open(sys.argv[1])]
hf = [r for r in log if r["path"].startswith("/api/daily_papers?date=2026-06-12")]
assert len(hf) == 2, hf
assert hf[0]["inm"] is None and hf[0]["status"] == 200
assert hf[1]["inm"] and hf[1]["ims"] and hf[1]["status"] == 304, hf[1]
for r in log:
    assert r["ua"].startswith("lectern/") and "(+https://github.com/lectern-reader/lectern)" in r["ua"], r
    assert "gzip" in (r["ae"] or ""), r
print("conditional GET and User-Agent ok")
PY

# ---- sources, usage errors, offline -----------------------------------------------------------
L sources >"$T/out"
grep -E -q "^hf-daily +hf-daily +- +[0-9-]+ [0-9:]+ +0 +30 +ok" "$T/out" || { cat "$T/out"; fail "sources hf"; }
grep -E -q "^merged +arxiv-query +merge .* ok" "$T/out" || { cat "$T/out"; fail "sources merged"; }
set +e
L fetch nosuch >"$T/out" 2>"$T/err"; rc=$?
set -e
[ $rc -eq 2 ] || fail "unknown source exit $rc"
grep -q 'unknown source "nosuch"' "$T/err" && grep -q "configured sources: hf-daily arxiv merged" "$T/err" \
	|| { cat "$T/err"; fail "unknown source message"; }
set +e
L fetch --date 2026-13-01 >/dev/null 2>"$T/err"; rc=$?
set -e
[ $rc -eq 2 ] || fail "bad date exit $rc"
before=$(wc -l <"$T/server.log")
L fetch --offline >"$T/out" || fail "offline"
[ "$(wc -l <"$T/server.log")" -eq "$before" ] || fail "--offline touched the network"
grep -q "^offline: nothing fetched; the cache at $T/p.db holds 35 papers:$" "$T/out" &&
grep -E -q "^hf-daily  30 papers, Daily Papers day 2026-06-12, last fetched [0-9-]+ [0-9:]+$" "$T/out" &&
grep -E -q "^arxiv     4 papers, last fetched " "$T/out" &&
grep -E -q "^merged    2 papers, last fetched " "$T/out" || { cat "$T/out"; fail "offline report"; }
L --db "$T/none.db" fetch --offline >"$T/out" || fail "offline without a cache"
grep -q "no cache yet at $T/none.db" "$T/out" && [ ! -e "$T/none.db" ] || fail "offline without a cache: report"

# ---- a source whose arguments changed: `sources` says its counts are of the old definition
sed 's/^source arxiv cs.LG cs.AI cs.CL stat.ML$/source arxiv test/' "$T/config" >"$T/config2"
"$BIN" --db "$T/p.db" --config "$T/config2" sources >"$T/out"
grep -E -q "^arxiv +arxiv +test .* changed since the last fetch \(due now\)$" "$T/out" &&
grep -E -q "^hf-daily .* ok$" "$T/out" || { cat "$T/out"; fail "sources after a change of arguments"; }

# ---- progress: quiet when stderr is not a terminal; one line per source, redrawn in place, on one
if command -v script >/dev/null 2>&1; then
	since=$(python3 -c 'import datetime as d; print(d.datetime.now(d.timezone.utc).date() - d.timedelta(days=2))')
	script -q -c "$BIN --db $T/tty.db --config $T/config fetch hf-daily arxiv --since $since" "$T/tty" \
		>/dev/null 2>&1 </dev/null || fail "fetch on a terminal"
	python3 - "$T/tty" <<'PY'
import re, sys
raw = open(sys.argv[1], "rb").read().decode("utf-8")
# sources run at once: a final line for each as it ends, below them the ones still running
final = [l.split("\r")[-1].rstrip() for l in raw.replace("\r\n", "\n").split("\n")[:-1]]
final = [l for l in final if l.startswith(("hf-daily", "arxiv"))]
assert len(final) == 2, final                              # one final line per source
assert any(re.fullmatch(r"hf-daily  0 new, 0 updated \(\d+\.\d s\)", x) for x in final), final
assert any(re.fullmatch(r"arxiv     4 new, 0 updated \(\d+\.\d s\)", x) for x in final), final
assert re.search(r"\rfetching [^\r\n]*hf-daily 2/3 days, \d+ new", raw), raw
assert "\x1b" not in raw
assert "2 sources: 4 new, 0 updated, 0 failed" in raw
print("terminal progress ok")
PY
else
	echo "note: no script(1); terminal progress not checked"
fi

# ---- search-remote --------------------------------------------------------------------------
L search-remote --max 20 all:testing >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "search-remote"; }
head -n 1 "$T/out" | grep -q "^20 papers found and merged into the cache (20 new; arXiv has 100 matches, use --max for more)$" \
	|| { head -3 "$T/out"; fail "search count"; }
[ "$(wc -l <"$T/out")" -eq 21 ] || fail "search should print 20 id/title lines"
grep -q "search_query=all:testing&sortBy=relevance" "$T/server.log" || fail "search query sent"
[ "$(L list --format json | wc -l)" -eq 55 ] || fail "search results not merged"
L search-remote transformer >"$T/out" 2>"$T/err" || fail "search-remote words"
grep -q "search_query=all:transformer&" "$T/server.log" || fail "plain words become all:"
# the local search syntax: fields kept, local filters dropped, dates as a submittedDate range
L search-remote 'au:hinton diffusion is:fav since:2025-01-01' >"$T/out" 2>"$T/err" || fail "search-remote local syntax"
grep -q "search_query=au:hinton+AND+all:diffusion+AND+submittedDate:%5B202501010000+TO+999912312359%5D&" "$T/server.log" \
	|| { tail -n 1 "$T/server.log"; fail "local syntax translated"; }
# a query of arXiv ids asks for exactly those papers (id_list; an old-style id's / as %2F)
L search-remote https://arxiv.org/abs/astro-ph/0601001 >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "search-remote by id"; }
grep -q "id_list=astro-ph%2F0601001&" "$T/server.log" || { tail -n 1 "$T/server.log"; fail "id_list sent"; }
L show astro-ph/0601001 >"$T/out" || fail "paper found by id merged"
L show --sources astro-ph/0601001 >"$T/out" || fail "show --sources arXiv"
grep -qx "title: arXiv" "$T/out" && grep -qx "abstract: arXiv" "$T/out" || { cat "$T/out"; fail "sources arXiv"; }
set +e
L search-remote is:fav >"$T/out" 2>"$T/err"; rc=$?
set -e
[ $rc -eq 2 ] && grep -q "nothing to search arXiv for" "$T/err" || { cat "$T/err"; fail "a local-only search"; }
# Two Daily Papers days: 2026-06-14 (derived from 2026-06-12's recording) re-lists ten of
# 2026-06-12's papers in another order. Every day keeps all its papers, each in its source's order.
Y() { "$BIN" --db "$T/days.db" --config "$T/config" "$@"; }
Y fetch hf-daily --date 2026-06-12 >"$T/out" 2>&1 || { cat "$T/out"; fail "day 1"; }
Y fetch hf-daily --date 2026-06-14 >"$T/out" 2>&1 || { cat "$T/out"; fail "day 2"; }
[ "$(Y list --day 2026-06-12 --format json | wc -l)" -eq 30 ] || fail "a re-listing day took papers off the first"
Y list --day 2026-06-14 --sort date --format json >"$T/d2.json"
Y list --day 2026-06-12 --sort date --format json >"$T/d1.json"
python3 - "$T/d1.json" "$T/d2.json" "$DATA/hf/2026-06-12.json" "$DATA/hf/2026-06-14.json" <<'PY'
import json, sys
ids = lambda f: [json.loads(l)["id"] for l in open(f, encoding="utf-8")]
src = lambda f: [it["paper"]["id"] for it in json.load(open(f, encoding="utf-8"))]
assert ids(sys.argv[1]) == src(sys.argv[3]), "day 1 not in the source's order"
assert ids(sys.argv[2]) == src(sys.argv[4]), "day 2 not in the source's order"
PY
[ "$(Y list --day 2026-06-14 --query 'is:new' --format json | wc -l)" -eq 0 ] || fail "is:new on a Daily Papers day"

# arXiv's announce types, kept on each listing: the recorded listing has 2 new, 1 cross, 1 replace
n() { L list --source arxiv --query "$1" --format json | wc -l; }
[ "$(n is:new)" -eq 2 ] && [ "$(n is:cross)" -eq 1 ] && [ "$(n is:replaced)" -eq 1 ] ||
	fail "announce types: new $(n is:new), cross $(n is:cross), replaced $(n is:replaced)"
d=$(L list --source arxiv --format json | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["listings"][0]["day"])')
[ "$(L list --source arxiv --day "$d" --format json | wc -l)" -eq 4 ] || fail "an arXiv announcement day"
cp "$T/config" "$T/hide.conf"
echo "set hide-replacements yes" >>"$T/hide.conf"
[ "$("$BIN" --db "$T/p.db" --config "$T/hide.conf" list --source arxiv --day "$d" --format json | wc -l)" -eq 3 ] ||
	fail "hide-replacements"

echo "e2e_fetch ok"
