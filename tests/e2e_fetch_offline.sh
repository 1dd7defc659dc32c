#!/bin/sh
# End-to-end: fetching with no network fails fast. A host name that does not resolve is not
# retried, and once a source's request cannot reach its host (no such name, connection refused)
# the source's other requests to that host are skipped with the same reason; other sources run.
# Needs no network: .invalid names never resolve (RFC 6761) and RES_OPTIONS bounds the wait for
# a DNS server that is not there.
set -eu
T=$TMPDIR_TEST
BIN=$LECTERN_BIN
RES_OPTIONS="timeout:1 attempts:1"
export RES_OPTIONS

. tests/server.sh   # starts the server: $B, $PIDS
fail() { echo "FAIL: $*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

# ---- a name that does not resolve: 7 days, 4 tries each, used to take 44 s ---------------------
cat >"$T/offline.conf" <<EOC
set hf-url http://nonexistent.invalid
set arxiv-rss-url $B/rss
set arxiv-delay 0
set host-delay 0
set hf-days 7
set max-tries 4
source hf-daily
source arxiv cs.LG cs.AI cs.CL stat.ML
EOC
t0=$(now)
set +e
"$BIN" --db "$T/p.db" --config "$T/offline.conf" fetch >"$T/out" 2>"$T/err"; rc=$?
set -e
took=$(elapsed "$t0")
[ $rc -eq 1 ] || { cat "$T/out" "$T/err"; fail "offline: exit $rc, want 1"; }
grep -q "^lectern: hf-daily: cannot resolve nonexistent.invalid: are you offline?" "$T/err" \
	|| { cat "$T/err"; fail "offline: reason"; }
grep -q "; 6 more requests to nonexistent.invalid skipped" "$T/err" || { cat "$T/err"; fail "offline: the other days were not skipped"; }
! grep -q "gave up after" "$T/err" || { cat "$T/err"; fail "offline: a name that does not resolve was retried"; }
# the other source (another host) still ran
grep -q "2 sources: 4 new, 0 updated, 1 failed" "$T/out" || { cat "$T/out" "$T/err"; fail "offline: summary"; }
"$BIN" --db "$T/p.db" --config "$T/offline.conf" sources >"$T/out"
grep -E -q "^hf-daily .*failed: cannot resolve nonexistent.invalid" "$T/out" || { cat "$T/out"; fail "offline: sources"; }
# no backoff waits: generous for a loaded machine, far below the 7 x (1+2+4 s) of before
awk -v t="$took" 'BEGIN { exit !(t < 10) }' || fail "offline fetch took $took s"
echo "ok  unresolvable host: failed in $took s: $(head -c 120 "$T/err")"

# ---- connection refused: retried (a server may be restarting), then the host is skipped -------
closed=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
cat >"$T/refused.conf" <<EOC
set hf-url http://127.0.0.1:$closed
set hf-days 3
set max-tries 2
source hf-daily
EOC
set +e
"$BIN" --db "$T/p.db" --config "$T/refused.conf" fetch >"$T/out" 2>"$T/err"; rc=$?
set -e
[ $rc -eq 1 ] || { cat "$T/out" "$T/err"; fail "refused: exit $rc, want 1"; }
grep -q "hf-daily: cannot connect to 127.0.0.1: Connection refused .*(gave up after 2 tries); 2 more requests to 127.0.0.1 skipped" "$T/err" \
	|| { cat "$T/err"; fail "refused: reason"; }
echo "ok  connection refused: $(head -c 120 "$T/err")"
echo "e2e_fetch_offline ok"
