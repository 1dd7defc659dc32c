#!/bin/sh
# The reader with real fetching: tests/server.py serves the recorded Daily Papers, the headless
# reader (--fetch) starts on an empty cache, R fetches, <Wait> waits until the fetch worker is
# idle. Checks: papers appear and the status line says what was fetched; a failing source (404)
# shows its error in words; papers landing above the selection do not move it.
set -u
BIN=${LECTERN_BIN:?}
T=${TMPDIR_TEST:?}
DATA=tests/data/ui
export LC_ALL=C.UTF-8 NO_COLOR= LECTERN_NOW=2026-06-12
fail=0

. tests/server.sh   # starts the server: $B

# config HF_URL: Daily Papers only (one day: LECTERN_NOW with hf-days 1), quick failures
config() {
	cat >"$T/lectern.conf" <<EOC
set hf-url $1
set hf-days 1
set timeout 5
set max-tries 1
set start-view all
source hf-daily
EOC
}

# run NAME DB KEYS...: runs the reader with fetching on (SIZE, default 100x14); screens in $T/NAME.out
run() {
	name=$1 db=$2
	shift 2
	printf '%s\n' "$*" > "$T/$name.keys"
	if ! "$BIN" --db "$db" --config "$T/lectern.conf" ui --headless --fetch --size "${SIZE:-100x14}" \
		--keys "$T/$name.keys" --dump "$T/$name.out" 2>"$T/$name.err"; then
		echo "FAIL $name: exit status"; cat "$T/$name.err"; fail=1; return 1
	fi
}

# screen NAME DB KEYS...: the same, compared with $DATA/NAME.screen
screen() {
	run "$@" || return
	name=$1
	if [ "${UPDATE:-}" = 1 ]; then cp "$T/$name.out" "$DATA/$name.screen"; fi
	if ! diff -u "$DATA/$name.screen" "$T/$name.out"; then
		echo "FAIL $name: screen differs"; fail=1
	else
		echo "ok   $name"
	fi
}

# An empty cache: R asks for every source (the status line says so at once), <Wait> lets the
# worker finish: 30 papers of 2026-06-12, most recent first, and the batch summed up.
config "$B"
screen fetch_empty "$T/empty.db" '<Dump> R <Dump> <Wait> <Dump>'
grep -q '⟳ every source' "$T/fetch_empty.out" || { echo "FAIL fetch_empty: no activity shown"; fail=1; }
grep -q 'Fetched: 30 new, 0 updated (1 source)' "$T/fetch_empty.out" || { echo "FAIL fetch_empty: no result"; fail=1; }

# By default the reader opens on the newest Daily Papers day: with nothing cached, today's is
# fetched and shown as it lands.
sed -i '/start-view/d' "$T/lectern.conf"
run fetch_start "$T/start.db" '<Wait> <Dump>'
grep -q 'lectern │ HF Daily 2026-06-12 │ 1/30 │ sort: upvotes' "$T/fetch_start.out" ||
	{ echo "FAIL fetch_start: not on the day fetched"; cat "$T/fetch_start.out"; fail=1; }
config "$B"

# A source that fails (HTTP 404): the error in words in the status line (its URL holds the
# server's port, so no fixed screen), the cache unchanged.
config "$B/m/404"
run fetch_404 "$T/e404.db" 'R <Wait> <Dump>'
tail -n 1 "$T/fetch_404.out" | grep -q '^ hf-daily: HTTP 404 Not Found from http' ||
	{ echo "FAIL fetch_404: no error in the status line"; cat "$T/fetch_404.out"; fail=1; }
grep -q '│ All │ 0/0 │' "$T/fetch_404.out" || { echo "FAIL fetch_404: papers appeared"; fail=1; }
# the empty list says why it is empty (the status line is cut at the width and replaced)
grep -q 'Nothing fetched: hf-daily: HTTP 404 Not Found' "$T/fetch_404.out" || { echo "FAIL fetch_404: the empty list does not say why"; cat "$T/fetch_404.out"; fail=1; }
grep -q '⟳' "$T/fetch_404.out" && { echo "FAIL fetch_404: still busy after <Wait>"; fail=1; }

# Two sources failing (HTTP 404), on a narrow screen: the empty list names both failures (or, when
# they do not fit its pane, the first and that M lists the other); M wraps each long error over as
# many lines as it needs, under its text, none cut at the width.
cat >"$T/lectern.conf" <<EOC
set hf-url $B/m/404
set arxiv-rss-url $B/m/404/rss
set arxiv-delay 0
set host-delay 0
set hf-days 1
set timeout 5
set max-tries 1
set start-view all
source hf-daily
source arxiv cs.LG
EOC
SIZE=70x30 run fetch_2fail "$T/e2.db" 'R <Wait> <Dump> M <Dump>'
sed -n '1,/^--- screen 2/p' "$T/fetch_2fail.out" | tr -s ' \n' '  ' >"$T/fetch_2fail.list"
# the sources run at once: their failures come in either order
{ grep -q 'Nothing fetched: 2 sources failed: hf-daily: HTTP 404 Not Found from .*; arxiv: HTTP 404 Not Found from .*/m/404/rss/cs.LG: check .* R retries' "$T/fetch_2fail.list" ||
  grep -q 'Nothing fetched: 2 sources failed: arxiv: HTTP 404 Not Found from .*/m/404/rss/cs.LG: check .*; hf-daily: HTTP 404 Not Found from .* R retries' "$T/fetch_2fail.list"; } ||
	{ echo "FAIL fetch_2fail: the empty list does not name both failures"; cat "$T/fetch_2fail.out"; fail=1; }
SIZE=50x8 run fetch_2fail_small "$T/e3.db" 'R <Wait> <Dump>'
tr -s ' \n' '  ' <"$T/fetch_2fail_small.out" | grep -E -q 'Nothing fetched: (hf-daily|arxiv): HTTP 404 Not Found from .* \(and 1 more source failed — M lists them\) — R retries' ||
	{ echo "FAIL fetch_2fail_small: the empty list does not point to M"; cat "$T/fetch_2fail_small.out"; fail=1; }
sed -n '/^--- screen 2/,$p' "$T/fetch_2fail.out" >"$T/fetch_2fail.m"
grep -q '^           -12&limit=100&p=0: check the date (YYYY-MM-DD) and `set$' "$T/fetch_2fail.m" &&
	grep -q '^           hf-url`$' "$T/fetch_2fail.m" &&
	grep -q '^           names in `source arxiv` (e.g. cs.LG)$' "$T/fetch_2fail.m" ||
	{ echo "FAIL fetch_2fail: M cuts or misplaces a long message"; cat "$T/fetch_2fail.m"; fail=1; }
grep -v '^ lectern' "$T/fetch_2fail.m" | awk 'length($0) > 70 { bad = 1 } END { exit bad }' ||
	{ echo "FAIL fetch_2fail: a line of M is wider than the screen"; fail=1; }

# Papers landing above the selection do not move it: the third paper stays selected, on the
# same screen line, while 30 newer papers arrive above it.
"$BIN" --db "$T/sel.db" import "$DATA/papers.jsonl" >/dev/null || { echo "import failed"; exit 1; }
config "$B"
screen fetch_keep "$T/sel.db" 'j j <Dump> R <Wait> <Dump> g <Dump>'
[ "$(grep -c 'selected=2511.00003' "$T/fetch_keep.out")" = 2 ] || { echo "FAIL fetch_keep: the selection moved"; fail=1; }
grep -q '│ All │ 33/60 │' "$T/fetch_keep.out" || { echo "FAIL fetch_keep: no 33/60"; fail=1; }

# Daily Papers day by day: H on an empty cache fetches today's (2026-06-12); [ steps to the
# calendar day before, which is fetched ("Fetching Daily Papers of ..." first) and turns out empty;
# D goes to a day far back (2025-01-27, fetched: 4 papers); } jumps back to the nearest cached day.
# Back on 2026-06-11 ([ after }), the day is not asked for again in this session.
screen fetch_days "$T/days.db" 'H <Wait> <Dump> [ <Dump> <Wait> <Dump> D 2025-01-27 <Enter> <Wait> <Dump> A <Dump> A <Resize 70x14> <Enter> <Dump> <Resize 100x14> h } <Dump> [ <Wait>'
grep -q 'Fetching Daily Papers of 2026-06-11…' "$T/fetch_days.out" || { echo "FAIL fetch_days: no fetching message"; fail=1; }
grep -q 'No Daily Papers for 2026-06-11' "$T/fetch_days.out" || { echo "FAIL fetch_days: no empty-day message"; fail=1; }
n=$(grep -c 'date=2026-06-11' "$T/server.log")
[ "$n" = 1 ] || { echo "FAIL fetch_days: 2026-06-11 asked for $n times"; fail=1; }

# Remote search: C-r in the prompt says at once that arXiv is asked (⟳ on the right), then how many
# results came and how many were new; the results are then a view of their own ("arXiv: testing",
# all 50, not filtered again by the local search), and Esc goes back. A query only arXiv
# understands (AND, all:) is sent as written, the list searching the cache for its words.
# The server answers searches a second late, so the screen dumped right after C-r is the
# "in progress" one whatever the machine's speed. M lists each search once.
cat >"$T/lectern.conf" <<EOC
set hf-url $B
set arxiv-api-url $B/m/delay/api/query
set arxiv-delay 0
set host-delay 0
set timeout 5
set max-tries 1
set start-view all
source hf-daily
EOC
"$BIN" --db "$T/rs.db" import "$DATA/papers.jsonl" >/dev/null || { echo "import failed"; exit 1; }
screen fetch_search "$T/rs.db" '/ testing <Dump> <C-r> <Dump> <Wait> <Dump> <Esc> / all:transformer <Space> AND <Space> cat:cs.LG <C-r> <Dump> <Wait> <Dump> <Esc> M <Dump>'
grep -q 'Searching arXiv for “all:transformer AND cat:cs.LG”…' "$T/fetch_search.out" || { echo "FAIL fetch_search: the cache does not run arXiv's syntax"; fail=1; }
grep -q '^/testing  Searching arXiv for “testing”… *⟳ arXiv search' "$T/fetch_search.out" || { echo "FAIL fetch_search: no feedback"; fail=1; }
grep -q 'arXiv: 50 of 100 results for “testing”, 50 new, 0 updated' "$T/fetch_search.out" || { echo "FAIL fetch_search: no result count"; fail=1; }
grep -q '│ arXiv: testing │ 1/50 │' "$T/fetch_search.out" || { echo "FAIL fetch_search: the results are not a view of their own"; fail=1; }
# M: one line per remote search sent (no "Fetching arXiv search…" besides "Searching arXiv for …")
sed -n '/^--- screen 6/,$p' "$T/fetch_search.out" >"$T/fetch_search.m"
grep -q 'Fetching arXiv search' "$T/fetch_search.m" && { echo "FAIL fetch_search: a search is logged twice in M"; fail=1; }
[ "$(grep -c 'Searching arXiv for “testing”…' "$T/fetch_search.m")" = 1 ] || { echo "FAIL fetch_search: M does not list the search once"; cat "$T/fetch_search.m"; fail=1; }

# arXiv's replacements: the recorded listing (2 new, 1 cross, 1 replace) in its source view ('v'):
# the replaced paper carries its version next to the title.
cat >"$T/lectern.conf" <<EOC
set arxiv-rss-url $B/rss
set arxiv-delay 0
set host-delay 0
set timeout 5
set max-tries 1
source arxiv cs.LG cs.AI cs.CL stat.ML
EOC
SIZE=100x10 screen replaced "$T/rss.db" 'R <Wait> v <Dump>'

exit $fail
