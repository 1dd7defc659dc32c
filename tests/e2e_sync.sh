#!/bin/sh
# End-to-end: three caches sharing a sync folder converge (favourites, tags, notes, removals),
# concurrent tag adds both survive, concurrent notes keep both, the folder applied twice changes
# nothing, an incomplete last line waits for its end, a malformed line is named and skipped, a
# replaced file is read again, a fresh cache is restored from the folder alone with titles, and
# export --format lectern-state / import move the same state by hand.
set -eu
. tests/cli.sh   # T, BIN, DATA, L, fail, expect

D="$T/dir"
printf 'set sync-dir %s\n' "$D" >"$T/cfg"
A() { "$BIN" --config "$T/cfg" --db "$T/a.db" "$@"; }
B() { "$BIN" --config "$T/cfg" --db "$T/b.db" "$@"; }
C() { "$BIN" --config "$T/cfg" --db "$T/c.db" "$@"; }
syncall() { for x in A B C A B C; do expect 0 $x sync; done; }
# state CACHE: favourites, then per paper its sorted tags, read mark and note (one line each)
state() {
	"$@" list --favourites --format json --limit 0 | python3 -c '
import json, sys
for l in sys.stdin:
    p = json.loads(l)
    print("fav", p["id"], p["title"])
' | sort
	for id in 2501.01234 2501.00001 2502.00002; do
		"$@" show --format json "$id" 2>/dev/null | python3 -c '
import json, sys
p = json.loads(sys.stdin.read())
print(p["id"], sorted(p.get("tags") or []), p.get("read"), repr(p.get("note")))
' 2>/dev/null || echo "$id absent"
	done
}
# same WHAT: the three caches hold the same user state (their snapshots, line order aside: the
# clocks in them are the operations' own), and A and B show the same
same() {
	for x in A B C; do $x export --format lectern-state | sort >"$T/x$x"; done
	cmp -s "$T/xA" "$T/xB" && cmp -s "$T/xA" "$T/xC" || {
		diff "$T/xA" "$T/xB" || true; diff "$T/xA" "$T/xC" || true; fail "$1: not converged"; }
	state A >"$T/sa"; state B >"$T/sb"; state C >"$T/sc"
	cmp -s "$T/sa" "$T/sb" || { diff "$T/sa" "$T/sb"; fail "$1: A and B differ"; }
}

expect 0 A import "$DATA/papers.jsonl"
expect 0 B import "$DATA/papers.jsonl"
# user state from before the folder was used travels too
expect 0 "$BIN" --db "$T/a.db" note 2502.00002 written before sync
expect 0 A fav 2501.01234
expect 0 A tag 2501.01234 ml
expect 0 A note 2501.01234 first note
expect 0 B fav 2501.00001
expect 0 B tag 2501.01234 survey        # a concurrent add of another tag on the same paper
expect 0 B read 2501.01234
syncall
same "adds"
grep -q "fav 2501.01234 Scaling" "$T/sc" || fail "C (never fetched) has no title: $(cat "$T/sc")"
grep -q "fav 2501.00001 Learning Fast and Slow" "$T/sc" || fail "C misses B's favourite"
grep -q "2501.01234 \['ml', 'survey'\] True 'first note'" "$T/sc" || fail "tags/read/note: $(cat "$T/sc")"
grep -q "written before sync" "$T/xC" || fail "state from before sync was not carried"

# ---- removals propagate --------------------------------------------------------------------
expect 0 B unfav 2501.00001
expect 0 C tag --remove 2501.01234 ml
expect 0 A unread 2501.01234
expect 0 B note --clear 2502.00002
syncall
same "removals"
grep -q "fav 2501.00001" "$T/sa" && fail "the unfavourite did not reach A"
grep -q "2501.01234 \['survey'\] False 'first note'" "$T/sa" || fail "removals: $(cat "$T/sa")"
grep -q "2502.00002 \[\] False None" "$T/sb" || fail "cleared note: $(cat "$T/sb")"
grep -q "written before sync" "$T/xB" && fail "the cleared note came back"

# ---- concurrent notes: the later kept, the other a marked conflict line ---------------------
expect 0 A note 2501.00001 from a
expect 0 B note 2501.00001 from b
syncall
same "notes"
grep -q "2501.00001 \[\] False 'from b\\\\n\[conflict: note of [0-9a-f]* at [-0-9: ]*UTC\] from a'" "$T/sa" ||
	fail "conflict line: $(cat "$T/sa")"
# an edit made after seeing both wins cleanly
expect 0 A note 2501.00001 settled
syncall
same "note after sync"
grep -q "2501.00001 \[\] False 'settled'" "$T/sc" || fail "the later edit: $(cat "$T/sc")"

# ---- the folder applied twice changes nothing ---------------------------------------------
state C >"$T/before"
expect 0 C sync
grep -q "0 changed this cache" "$T/out" || fail "second sync changed something: $(cat "$T/out")"
state C >"$T/after"
cmp -s "$T/before" "$T/after" || fail "state changed on re-sync"

# ---- a fresh cache is restored from the folder alone (after every cache compacted its log) ---
for x in A B C; do
	expect 0 $x sync --compact
	grep -q "log was compacted" "$T/out" || fail "$x: --compact: $(cat "$T/out")"
done
expect 0 "$BIN" --config "$T/cfg" --db "$T/fresh.db" sync
"$BIN" --config "$T/cfg" --db "$T/fresh.db" export --format lectern-state | sort >"$T/xF"
C export --format lectern-state | sort >"$T/xC"
cmp -s "$T/xF" "$T/xC" || { diff "$T/xC" "$T/xF"; fail "the restored cache differs"; }
# (a paper that is no favourite any more comes back only with a fetch: compare favourites)
"$BIN" --config "$T/cfg" --db "$T/fresh.db" list --favourites >"$T/lf"
C list --favourites >"$T/lc"
cmp -s "$T/lf" "$T/lc" || { diff "$T/lc" "$T/lf"; fail "the restored cache shows otherwise"; }

# ---- lines from outside: incomplete, malformed, replaced, conflict copies, future clocks -----
W=abcdef0123456789
t0=$(python3 -c 'import time; print(int(time.time()*1000) << 16)')
line() { printf '{"op":"%s","id":"%s","t":%s,"w":"%s"%s}' "$1" "$2" "$3" "$W" "${4:-}"; }
{ line read 2502.00002 $((t0 + 1)); echo; line fav 2502.00002 $((t0 + 2)) ',"title":"Half'; } >"$D/$W.jsonl"
expect 0 A sync
grep -q "incomplete" "$T/err" || fail "no word about the incomplete line: $(cat "$T/err")"
A show --format json 2502.00002 | grep -q '"favourite":false' || fail "applied an incomplete line"
A show --format json 2502.00002 | grep -q '"read":true' || fail "the complete line before it was not applied"
printf ' Title"}\n' >>"$D/$W.jsonl"
expect 0 A sync
A show --format json 2502.00002 | grep -q '"favourite":true' || fail "the completed line was not applied"
# a malformed line is named FILE:LINE and skipped; the lines after it are applied
{ echo '{"op":"tag","id":"2501.00001"'; echo '{"op":"explode","id":"2501.00001","t":5,"w":"ab"}';
  line tag 2501.00001 $((t0 + 3)) ',"tag":"after"'; echo; } >>"$D/$W.jsonl"
expect 1 A sync
grep -q "$W.jsonl:3: not a JSON object (line skipped)" "$T/err" || fail "malformed: $(cat "$T/err")"
grep -q "$W.jsonl:4: unknown operation \"explode\"" "$T/err" || fail "unknown op: $(cat "$T/err")"
A show --format json 2501.00001 | grep -q '"after"' || fail "the line after a malformed one"
# a replaced (shorter) file is read again from its start
{ line untag 2501.00001 $((t0 + 4)) ',"tag":"after"'; echo; } >"$D/$W.jsonl.new"
mv "$D/$W.jsonl.new" "$D/$W.jsonl"
expect 0 A sync
grep -q "read again from its start" "$T/err" || fail "replaced file: $(cat "$T/err")"
A show --format json 2501.00001 | grep -q '"after"' && fail "the replaced file's line was not applied"
# a sync tool's conflict copy is merged, with a note; a clock far ahead is clamped
{ line tag 2501.00001 $((t0 + 5)) ',"tag":"copied"'; echo;
  line tag 2501.00001 $(( (t0 >> 16) + 400 * 86400000 << 16 )) ',"tag":"future"'; echo; } \
	>"$D/$W.sync-conflict-20250101-000000-XYZ.jsonl"
expect 0 A sync
grep -q "conflict copy: merged" "$T/err" || fail "conflict copy note: $(cat "$T/err")"
grep -q "days ahead of this machine's; taken as now" "$T/err" || fail "future clock: $(cat "$T/err")"
A show --format json 2501.00001 | grep -q '"copied"' || fail "conflict copy not merged"
# a FIFO (or anything not a regular file) in the folder is named and skipped, never waited on
mkfifo "$D/pipe.jsonl"
expect 0 timeout 20 "$BIN" --config "$T/cfg" --db "$T/a.db" sync
grep -q "pipe.jsonl: not a regular file (skipped)" "$T/err" || fail "fifo: $(cat "$T/err")"
rm -f "$D/pipe.jsonl"
# untrusted text is cleaned: no escape sequence reaches the cache
{ line fav 2503.00009 $((t0 + 6)) ',"title":"Evil \u001b[31mred\u0007 title"'; echo; } >>"$D/$W.jsonl"
expect 0 A sync
A list --favourites --format json | grep -q '"title":"Evil red title"' ||
	fail "title not cleaned: $(A list --favourites --format json)"

# ---- the reader syncs when it starts, and logs what is changed in it ------------------------
printf 'set sync-dir %s\nset start-view favourites\n' "$D" >"$T/cfgui"
{ line fav 2401.77777 $((t0 + 7)) ',"title":"Seen Only Through The Folder"'; echo; } >>"$D/$W.jsonl"
printf '<Dump> f <Dump>\n' >"$T/ui.keys"
"$BIN" --config "$T/cfgui" --db "$T/ui.db" ui --headless --size 120x12 --keys "$T/ui.keys" \
	--dump "$T/ui.out" 2>"$T/ui.err" || { cat "$T/ui.err"; fail "the reader failed"; }
grep -q "Seen Only Through The Folder" "$T/ui.out" || fail "the reader did not sync at start: $(cat "$T/ui.out")"
grep -q "^ Sync: " "$T/ui.out" || fail "no sync message: $(cat "$T/ui.out")"
# f took the favourite back: the reader's own change is in its log, and reaches A
"$BIN" --config "$T/cfgui" --db "$T/ui.db" export --format lectern-state | grep -q '"op":"unfav","id":"2401.77777"' ||
	fail "the reader's unfavourite is not in its state"
expect 0 A sync
A list --favourites | grep -q 2401.77777 && fail "the reader's unfavourite did not reach A"

# ---- export --format lectern-state / import, same rules, without a folder -------------------
expect 0 C export --format lectern-state -o "$T/state.jsonl"
expect 0 "$BIN" --db "$T/hand.db" import "$T/state.jsonl"
grep -q "merged [1-9][0-9]* operations of user state" "$T/out" || fail "import summary: $(cat "$T/out")"
expect 0 "$BIN" --db "$T/hand.db" import "$T/state.jsonl"
grep -q "(0 changed this cache)" "$T/out" || fail "import twice changed something: $(cat "$T/out")"
"$BIN" --db "$T/hand.db" list --favourites >"$T/hl"
C list --favourites >"$T/cl"
cmp -s "$T/hl" "$T/cl" || { diff "$T/cl" "$T/hl"; fail "hand-carried favourites differ"; }
echo ok
