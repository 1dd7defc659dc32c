# Sourced by the e2e_cli*.sh scripts (run from the repository root by tests/run.sh): the binary,
# the fixture folder, a cache in the test's temporary directory, and the check helpers.
T=$TMPDIR_TEST
BIN=$LECTERN_BIN
DATA=tests/data/cli
L() { "$BIN" --db "$T/p.db" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
# expect STATUS CMD...: runs the command, output in $T/out and $T/err, checks the exit status.
expect() {
	want=$1; shift
	set +e; "$@" >"$T/out" 2>"$T/err"; got=$?; set -e
	[ "$got" = "$want" ] || { cat "$T/out" "$T/err"; fail "exit $got, not $want: $*"; }
}
