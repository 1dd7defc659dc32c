#!/bin/sh
# End-to-end faults: every failing source is reported with a reason, exits 1, and leaves the
# cache exactly as it was; retries recover; arXiv requests are spaced by arxiv-delay; two fetches
# and a reader can share the database.
set -eu
T=$TMPDIR_TEST
BIN=$LECTERN_BIN

. tests/server.sh   # starts the server: $B, $PIDS, reap
fail() { echo "FAIL: $*" >&2; exit 1; }

# conf NAME [SETTING...]: a config whose arXiv RSS base is $B/NAME-prefix (lines passed as args)
conf() {
	f="$T/$1.conf"; shift
	{
		echo "set hf-url $B"
		echo "set arxiv-api-url $B/api/query"
		echo "set arxiv-rss-url $B/rss"
		echo "set arxiv-delay 0"
		echo "set host-delay 0"
		echo "set timeout 3"
		echo "set max-tries 2"
		for l in "$@"; do echo "$l"; done
	} >"$f"
	echo "$f"
}
base=$(conf base "source hf-daily" "source arxiv cs.LG cs.AI cs.CL stat.ML")
"$BIN" --db "$T/p.db" --config "$base" fetch hf-daily --date 2026-06-12 >/dev/null || fail "seed"
"$BIN" --db "$T/p.db" --config "$base" fav 2606.12730 >/dev/null || fail "fav"
snapshot() {
	sqlite3 "$T/p.db" "select * from papers order by id; select * from paper_authors order by paper, pos;
	                   select * from listings order by paper, source, day; select * from user_state order by id;"
}
snapshot >"$T/before"

# fault NAME EXPECTED-SUBSTRING CONFIG-LINE...: the fetch fails (exit 1), says why, changes nothing
# ($fargs: extra arguments for fetch)
fargs=
fault() {
	name=$1; want=$2; shift 2
	c=$(conf "$name" "$@")
	set +e
	# shellcheck disable=SC2086
	"$BIN" --db "$T/p.db" --config "$c" fetch $fargs >"$T/out" 2>"$T/err"; rc=$?
	set -e
	[ $rc -eq 1 ] || { cat "$T/out" "$T/err"; fail "$name: exit $rc, want 1"; }
	grep -q -- "$want" "$T/err" || { cat "$T/err"; fail "$name: no '$want' in the error"; }
	grep -q "1 failed" "$T/out" || { cat "$T/out"; fail "$name: summary"; }
	snapshot >"$T/after"
	cmp -s "$T/before" "$T/after" || { diff "$T/before" "$T/after" | head; fail "$name changed the cache"; }
	echo "ok  $name: $(head -c 160 "$T/err")"
}
fault http404 "HTTP 404 Not Found from $B/rss/nosuch.cat: check the category names" "source arxiv nosuch.cat"
fault http500 "HTTP 500 .*gave up after 2 tries" "set arxiv-rss-url $B/m/500/rss" "source arxiv cs.LG cs.AI cs.CL stat.ML"
fault trunc "was cut off" "set arxiv-rss-url $B/m/trunc/rss" "source arxiv cs.LG cs.AI cs.CL stat.ML"
fault html "cannot read the response from $B/m/html/rss" "set arxiv-rss-url $B/m/html/rss" "source arxiv cs.LG cs.AI cs.CL stat.ML"
fault badxml "cannot read the response .*: parse error at line [0-9]" "set arxiv-rss-url $B/m/badxml/rss" "source arxiv cs.LG cs.AI cs.CL stat.ML"
fault errfeed "cannot read the response" "source arxiv astroph"
fault oversize "larger than 100000 bytes (set max-body)" "set max-body 100000" "set arxiv-rss-url $B/m/oversize/rss" "source arxiv cs.LG"
fault loop "too many redirects" "set arxiv-rss-url $B/m/loop/rss" "source arxiv cs.LG"
# A Retry-After beyond the source's deadline ends the source and is remembered in the user's
# state file: the next run does not ask arXiv at all (its own state dir, so later cases may ask).
export XDG_STATE_HOME="$T/state429"
fault ratelimit "HTTP 429 .*asks to wait 100000 s, more than the [0-9]* s left of source-deadline); skipped" \
	"set arxiv-rss-url $B/m/429long/rss" "source arxiv cs.LG"
grep -q "^arxiv [0-9.]* [0-9.]*$" "$XDG_STATE_HOME/lectern/polite" || fail "Retry-After not in the state file"
n429=$(grep -c 429long "$T/server.log")
fault remembered "arxiv asked not to be asked again before .* (Retry-After), after the 120 s source-deadline; skipped" \
	"set arxiv-rss-url $B/m/429long/rss" "source arxiv cs.LG"
[ "$(grep -c 429long "$T/server.log")" -eq "$n429" ] || fail "a remembered Retry-After was not kept"
unset XDG_STATE_HOME
fault badjson "cannot read the response" "set hf-url $B/m/badxml" "source hf-daily"
fault badfeed "HTTP 404 Not Found from $B/feed/missing.xml: check the feed URL" "source feed $B/feed/missing.xml"
# a reason phrase with terminal escapes reaches neither the terminal nor the database
fault evil "HTTP 404 Not Found from $B/m/evilreason/rss" "set arxiv-rss-url $B/m/evilreason/rss" "source arxiv cs.LG"
ESC=$(printf '\033')
! grep -q "$ESC" "$T/err" || fail "escape sequence printed"
[ "$(sqlite3 "$T/p.db" "select count(*) from sources where instr(last_error, char(27)) > 0")" -eq 0 ] || fail "escape stored"
"$BIN" --db "$T/p.db" --config "$T/evil.conf" sources | grep -q "$ESC" && fail "escape in sources"
# a Daily Papers day whose second page fails: the first page is not kept either
fargs="--date 2026-06-13"
fault hfpage "HTTP 500 .*/m/failp1/api/daily_papers?date=2026-06-13&limit=100&p=1" "set hf-url $B/m/failp1" "source hf-daily"
fargs=
t0=$(date +%s)
fault hang "timed out" "set timeout 2" "set max-tries 1" "set arxiv-rss-url $B/m/hang/rss" "source arxiv cs.LG"
[ $(( $(date +%s) - t0 )) -le 20 ] || fail "a server that never answers took too long (timeout 2 s, the server waits 120 s)"
# a failing source does not stop the others; its state says why
c=$(conf mixed "source arxiv nosuch.cat name bad" "source arxiv cs.LG cs.AI cs.CL stat.ML name good")
set +e; "$BIN" --db "$T/p.db" --config "$c" fetch >"$T/out" 2>"$T/err"; rc=$?; set -e
[ $rc -eq 1 ] && grep -q "2 sources: 4 new, 0 updated, 1 failed" "$T/out" || { cat "$T/out" "$T/err"; fail "mixed"; }
"$BIN" --db "$T/p.db" --config "$c" sources >"$T/out"
grep -E -q "^bad .*failed: HTTP 404 Not Found" "$T/out" && grep -E -q "^good .* 4 +4 +ok" "$T/out" \
	|| { cat "$T/out"; fail "sources after mixed"; }
[ "$(sqlite3 "$T/p.db" "select count(*) from user_state where favourite = 1")" -eq 1 ] || fail "favourite lost"

# ---- recoveries ------------------------------------------------------------------------------
c=$(conf empty "source arxiv test")
"$BIN" --db "$T/p.db" --config "$c" fetch >"$T/out" || fail "an empty feed is a success"
grep -q "1 source: 0 new" "$T/out" || fail "empty summary"
c=$(conf retry500 "set hf-url $B/m/500once-a" "source hf-daily")
"$BIN" --db "$T/p.db" --config "$c" fetch --date 2026-06-12 >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "500 then success"; }
c=$(conf retry429 "set hf-url $B/m/429once-b" "source hf-daily")
"$BIN" --db "$T/p.db" --config "$c" fetch --date 2026-06-12 >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "429 then success"; }
c=$(conf gz "set hf-url $B/m/gzip" "source hf-daily")
"$BIN" --db "$T/gz.db" --config "$c" fetch --date 2026-06-12 >"$T/out" || fail "gzip"
grep -q "30 new" "$T/out" || fail "gzip content"
c=$(conf redir "set hf-url $B/m/redir" "source hf-daily")
"$BIN" --db "$T/redir.db" --config "$c" fetch --date 2026-06-12 >"$T/out" || fail "redirect"
grep -q "30 new" "$T/out" || fail "redirect content"
python3 - "$T/server.log" <<'PY'
import json, sys
log = [json.loads(l) for l in open(sys.argv[1])]
for tag, st in (("/m/500once-a/", 500), ("/m/429once-b/", 429)):
    r = [x for x in log if x["path"].startswith(tag)]
    assert [x["status"] for x in r] == [st, 200], r
    if st == 429:
        assert r[1]["t"] - r[0]["t"] >= 0.95, "Retry-After: 1 not honoured"
print("retries ok")
PY

# ---- politeness: arXiv requests spaced by arxiv-delay; paging stops at the window ------------
: >"$T/server.log"
c=$(conf polite "set arxiv-delay 700" "source arxiv cs.LG cs.AI cs.CL stat.ML" "source arxiv-query paging name pq")
"$BIN" --db "$T/polite.db" --config "$c" fetch --since 2000-01-01 >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "polite"; }
grep -q "2 sources: 109 new" "$T/out" || { cat "$T/out"; fail "paging count"; }
python3 - "$T/server.log" <<'PY'
import json, sys
log = [json.loads(l) for l in open(sys.argv[1])]
assert len(log) == 3, [r["path"] for r in log]                 # RSS + 2 pages of 100
# the two sources run at once, in one politeness group: any order, one at a time, spaced
api = [r["path"] for r in log if r["path"].startswith("/api/")]
assert "start=0&" in api[0] and "start=100&" in api[1], log
gaps = [b["t"] - a["t"] for a, b in zip(log, log[1:])]
assert min(gaps) >= 0.68, gaps
print("politeness ok, gaps", [round(g, 2) for g in gaps])
PY
# the page cap is a setting, and saying so when it stops a fetch
c=$(conf capq "set arxiv-query-max-pages 1" "source arxiv-query paging name pq")
"$BIN" --db "$T/capq.db" --config "$c" fetch --since 2000-01-01 >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "capq"; }
grep -q "1 source: 100 new" "$T/out" && grep -q "pq: stopped at 1 page of arXiv results" "$T/err" ||
	{ cat "$T/out" "$T/err"; fail "arxiv-query-max-pages"; }
: >"$T/server.log"
c=$(conf window "source arxiv-query paging name pw")
"$BIN" --db "$T/window.db" --config "$c" fetch >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "window"; }
[ "$(wc -l <"$T/server.log")" -eq 1 ] || fail "paging should stop once entries are older than the window"

# ---- concurrency: two fetches and a reader on one database -------------------------------------
c=$(conf conc "source hf-daily" "source arxiv cs.LG cs.AI cs.CL stat.ML" "set arxiv-rss-url $B/m/gzip/rss")
"$BIN" --db "$T/c.db" --config "$c" fetch hf-daily --date 2026-06-12 >"$T/o1" 2>&1 &
p1=$!; PIDS="$PIDS $p1"
"$BIN" --db "$T/c.db" --config "$c" fetch arxiv >"$T/o2" 2>&1 &
p2=$!; PIDS="$PIDS $p2"
for _ in 1 2 3 4 5; do "$BIN" --db "$T/c.db" --config "$c" sources >/dev/null 2>&1 || true; done
reap $p1 || { cat "$T/o1"; fail "concurrent fetch 1"; }
reap $p2 || { cat "$T/o2"; fail "concurrent fetch 2"; }
[ "$(sqlite3 "$T/c.db" "select count(*) from papers")" -eq 34 ] || fail "concurrent fetch lost papers"
# two fetches creating the same new database at the same moment (SQLite reports the WAL switch
# as busy without waiting: without a retry some pairs failed, more so under load; the threaded
# test_net_fetch case catches it more reliably)
c=$(conf fresh "source arxiv test")
i=0
while [ $i -lt 20 ]; do
	i=$((i + 1))
	rm -f "$T/f.db" "$T/f.db-wal" "$T/f.db-shm"
	"$BIN" --db "$T/f.db" --config "$c" fetch >"$T/o1" 2>&1 &
	p1=$!; PIDS="$PIDS $p1"
	"$BIN" --db "$T/f.db" --config "$c" fetch >"$T/o2" 2>&1 &
	p2=$!; PIDS="$PIDS $p2"
	reap $p1 || { cat "$T/o1"; fail "fresh db, pair $i, fetch 1"; }
	reap $p2 || { cat "$T/o2"; fail "fresh db, pair $i, fetch 2"; }
done
echo "e2e_fetch_faults ok"
