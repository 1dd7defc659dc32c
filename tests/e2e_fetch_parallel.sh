#!/bin/sh
# End-to-end: sources run at once within politeness groups; a host that accepts and never answers
# ends its own source at `set source-deadline` while the others are stored; two processes (on
# two caches) keep arXiv's spacing together through the per-user state file.
set -eu
T=$TMPDIR_TEST
BIN=$LECTERN_BIN

. tests/server.sh   # starts the server: $B, $PIDS, reap
fail() { echo "FAIL: $*" >&2; exit 1; }
export XDG_STATE_HOME="$T/state"

# ---- a silent host and a working arXiv server: the arXiv papers arrive, exit 1 by the deadline
cat >"$T/silent.conf" <<EOC
set hf-url $B/m/hang
set arxiv-api-url $B/api/query
set arxiv-rss-url $B/rss
set arxiv-delay 0
set host-delay 0
set timeout 60
set max-tries 4
set hf-days 1
set source-deadline 4
source hf-daily
source arxiv cs.LG cs.AI cs.CL stat.ML
source arxiv-query paging name pq
EOC
t0=$(python3 -c 'import time; print(time.monotonic())')
set +e
"$BIN" --db "$T/s.db" --config "$T/silent.conf" fetch --since 2000-01-01 >"$T/out" 2>"$T/err"; rc=$?
set -e
dt=$(python3 -c "import time; print(round(time.monotonic() - $t0, 1))")
[ $rc -eq 1 ] || { cat "$T/out" "$T/err"; fail "silent host: exit $rc, want 1"; }
grep -q "^lectern: hf-daily: no answer within 4 s; skipped$" "$T/err" || { cat "$T/err"; fail "silent host: message"; }
grep -q "3 sources: 109 new, 0 updated, 1 failed" "$T/out" || { cat "$T/out"; fail "silent host: the others"; }
python3 -c "import sys; sys.exit(0 if $dt <= 4 + 3 else 1)" || fail "silent host: took $dt s (deadline 4 s)"
[ "$("$BIN" --db "$T/s.db" --config "$T/silent.conf" list --format json | wc -l)" -eq 109 ] || fail "arXiv papers not stored"
"$BIN" --db "$T/s.db" --config "$T/silent.conf" sources | grep -E -q "^hf-daily .*failed: no answer within 4 s; skipped" ||
	fail "sources does not say why hf-daily failed"
echo "silent host ok: exit 1 after $dt s, arXiv stored"

# ---- two processes, two caches, one arXiv: requests >= 3 s apart ---------------------------------
: >"$T/server.log"
for n in a b; do
	cat >"$T/$n.conf" <<EOC
set arxiv-api-url $B/api/query
set arxiv-rss-url $B/rss
set arxiv-delay 3000
set host-delay 0
source arxiv cs.LG cs.AI cs.CL stat.ML
source arxiv test name t
EOC
done
"$BIN" --db "$T/a.db" --config "$T/a.conf" fetch >"$T/oa" 2>&1 &
pa=$!; PIDS="$PIDS $pa"
"$BIN" --db "$T/b.db" --config "$T/b.conf" fetch >"$T/ob" 2>&1 &
pb=$!; PIDS="$PIDS $pb"
reap $pa || { cat "$T/oa"; fail "process a"; }
reap $pb || { cat "$T/ob"; fail "process b"; }
python3 - "$T/server.log" <<'PY'
import json, sys
log = [json.loads(l) for l in open(sys.argv[1])]
assert len(log) == 4, [r["path"] for r in log]
gaps = [b["t"] - a["t"] for a, b in zip(log, log[1:])]
assert min(gaps) >= 3.0, gaps
print("two processes ok, gaps", [round(g, 2) for g in gaps])
PY
grep -q "^arxiv " "$XDG_STATE_HOME/lectern/polite" || fail "no arxiv line in the state file"

# ---- sources at once: a slow host delays only its own group ----------------------------------
# (a state of its own: the one above asks for 3 s after arXiv's last request)
export XDG_STATE_HOME="$T/state2"
cat >"$T/par.conf" <<EOC
set hf-url $B/m/delay
set arxiv-api-url $B/api/query
set arxiv-rss-url $B/m/delay/rss
set arxiv-delay 0
set host-delay 0
source hf-daily
source arxiv cs.LG cs.AI cs.CL stat.ML
source feed $(echo "$B" | sed s/127.0.0.1/localhost/)/m/delay/feed/blog.xml name blog
EOC
t0=$(python3 -c 'import time; print(time.monotonic())')
"$BIN" --db "$T/p.db" --config "$T/par.conf" fetch --date 2026-06-12 >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "parallel"; }
dt=$(python3 -c "import time; print(round(time.monotonic() - $t0, 1))")
# three requests of one second each to three groups (arxiv; 127.0.0.1; localhost): about 1 s
python3 -c "import sys; sys.exit(0 if $dt < 2.5 else 1)" || fail "parallel: took $dt s, the groups did not overlap"
echo "parallel ok: $dt s"
echo "e2e_fetch_parallel ok"
