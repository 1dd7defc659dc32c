# Sourced by the end-to-end scripts that need tests/server.py (run from the repository root,
# with $T set to the test's temporary directory). Starts the server, sets B to its base URL, and
# makes sure whatever runs in the background ($PIDS) is killed on any exit (a failed check,
# set -e, Ctrl-C), so no server or lectern outlives the test.
PIDS=
cleanup() {
	for _p in $PIDS; do kill "$_p" 2>/dev/null || true; done
	for _p in $PIDS; do wait "$_p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# reap PID: waits for a background job, forgets it (its pid may be reused) and returns its status
reap() {
	_rc=0
	wait "$1" || _rc=$?
	PIDS=$(for _p in $PIDS; do [ "$_p" = "$1" ] || printf '%s ' "$_p"; done)
	return $_rc
}

python3 tests/server.py --log "$T/server.log" >"$T/port" &
PIDS=$!
_i=0; while [ ! -s "$T/port" ] && [ $_i -lt 200 ]; do sleep 0.05; _i=$((_i + 1)); done
[ -s "$T/port" ] || { echo "FAIL: tests/server.py did not start" >&2; exit 1; }
B="http://127.0.0.1:$(head -n 1 "$T/port")"
