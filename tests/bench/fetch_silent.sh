#!/bin/sh
# `lectern fetch` of five loopback sources, one of them (hf-daily) a host that accepts and never
# answers, with the default limits (timeout 60 s, max-tries 4, source-deadline 120 s); prints the
# wall time and what fetch said. Usage, from the repository root:
#   sh tests/bench/fetch_silent.sh [LECTERN-BINARY]      (default ./lectern; takes 2-6 minutes)
set -eu
BIN=${1:-./lectern}
D=$(mktemp -d "${TMPDIR:-/tmp}/lectern-bench.XXXXXX")
python3 tests/server.py --log "$D/server.log" >"$D/port" &
SP=$!
trap 'kill $SP 2>/dev/null; rm -rf "$D"' EXIT
i=0; while [ ! -s "$D/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
P=$(head -n 1 "$D/port"); B="http://127.0.0.1:$P"
cat >"$D/conf" <<EOC
set hf-url $B/m/hang
set arxiv-api-url $B/api/query
set arxiv-rss-url $B/rss
set arxiv-delay 0
source hf-daily
source arxiv cs.LG cs.AI cs.CL stat.ML
source arxiv-query paging name pq
source feed http://localhost:$P/feed/blog.xml name blog
source feed http://localhost:$P/feed/late-day.xml name late
EOC
s=$(python3 -c 'import time; print(time.monotonic())')
rc=0
XDG_STATE_HOME="$D/state" "$BIN" --db "$D/p.db" --config "$D/conf" fetch --since 2026-12-01 \
	>"$D/out" 2>"$D/err" || rc=$?
echo "exit $rc, wall $(python3 -c "import time; print(round(time.monotonic() - $s, 1))") s"
cat "$D/out" "$D/err"
