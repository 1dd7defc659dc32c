#!/bin/sh
# Runs every test binary and end-to-end script given as arguments; prints a summary.
# Each gets a fresh temporary directory in $TMPDIR_TEST and LECTERN_BIN pointing at the binary.
fail=0; passed=0; failed=""
for t in "$@"; do
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/lectern-test.XXXXXX")
	case "$t" in
	*.sh) cmd="sh $t" ;;
	*) cmd="$t" ;;
	esac
	if TMPDIR_TEST="$tmp" HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
	   LC_ALL=C.UTF-8 $cmd >"$tmp/log" 2>&1; then
		passed=$((passed + 1)); echo "PASS  $t"
	else
		fail=1; failed="$failed $t"; echo "FAIL  $t"; tail -n 60 "$tmp/log" | sed 's/^/    /'
	fi
	rm -rf "$tmp"
done
echo "$passed passed${failed:+, failed:$failed}"
exit $fail
