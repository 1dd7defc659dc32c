#!/bin/sh
# One real-terminal smoke test in tmux: start, resize, Ctrl-Z and fg, quit, terminal restored.
set -u
BIN=${LECTERN_BIN:?}
T=${TMPDIR_TEST:?}
command -v tmux >/dev/null || { echo "skip: tmux not installed"; exit 0; }
export LECTERN_NOW=2025-11-26 LC_ALL=C.UTF-8
"$BIN" --db "$T/p.db" import tests/data/ui/papers.jsonl >/dev/null || exit 1
S="lectern-test-$$"
tm() { tmux -L "$S" "$@"; }
PIDF=$T/reader.pid
# On any exit (a failed wait included) the reader is killed by its recorded pid (woken first in
# case it is stopped), then the tmux server; the pid is checked to still be our binary.
cleanup() {
	if [ -s "$PIDF" ]; then
		pid=$(cat "$PIDF")
		if kill -0 "$pid" 2>/dev/null && grep -q lectern "/proc/$pid/cmdline" 2>/dev/null; then
			kill -CONT "$pid" 2>/dev/null; kill -TERM "$pid" 2>/dev/null
			i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 20 ]; do sleep 0.1; i=$((i + 1)); done
			kill -KILL "$pid" 2>/dev/null
		fi
	fi
	tm kill-server 2>/dev/null
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
fail=0
# wait_for TEXT [absent]: polls the pane for up to 5 s
wait_for() {
	i=0
	while [ $i -lt 50 ]; do
		if tm capture-pane -p -t t >"$T/pane" 2>/dev/null; then
			if [ "${2:-}" = absent ]; then grep -qF "$1" "$T/pane" || return 0
			else grep -qF "$1" "$T/pane" && return 0; fi
		fi
		sleep 0.1; i=$((i + 1))
	done
	echo "FAIL: waiting for '$1' ${2:-}"; cat "$T/pane"; fail=1; return 1
}
# the screens below start on All (the start views are tested in e2e_ui.sh)
printf 'set start-view all\n' > "$T/all.conf"
tm -f /dev/null new-session -d -s t -x 100 -y 30 "env TERM=xterm-256color PS1='$ ' bash --norc -i"
# sh records its pid and becomes the reader (exec), so the pid is the reader's
tm send-keys -t t "sh -c 'echo \$\$ > $PIDF; exec $BIN --db $T/p.db --config $T/all.conf ui --no-fetch'" Enter
wait_for "lectern │ All │ 1/30"
wait_for "大規模言語モデルの推論能力に関する研究"
tm send-keys -t t j
wait_for "lectern │ All │ 2/30"
# resize: narrow layout, selection kept
tm resize-window -t t -x 60 -y 20
wait_for "2/30"
[ "$(head -1 "$T/pane" | wc -L)" -le 60 ] || { echo "FAIL: not redrawn at 60 columns"; fail=1; }
tm resize-window -t t -x 150 -y 30
wait_for "│ 🚀 RocketLM"
# Ctrl-Z suspends (the shell is back), fg resumes
tm send-keys -t t C-z
wait_for "lectern │ All" absent
tm send-keys -t t "fg" Enter
wait_for "lectern │ All │ 2/30"
# q quits and the terminal is sane again (canonical mode, echo)
tm send-keys -t t q
wait_for "lectern │ All" absent
i=0; while kill -0 "$(cat "$PIDF")" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 "$(cat "$PIDF")" 2>/dev/null && { echo "FAIL: the reader is still running after q"; fail=1; }
tm send-keys -t t "stty -a | tr ' ' '\n' | grep -x -e icanon -e echo | tr '\n' ' '; echo END" Enter
wait_for "icanon echo END" || wait_for "echo icanon END"
exit $fail
