#!/bin/sh
# End-to-end: bad input and hostile conditions get a clear answer and lose nothing — no HOME,
# escape sequences in arguments, a terminal without cursor addressing, oversized fields and
# import lines, a damaged cache, a full disk, a browser setting that runs a shell.
set -eu
. tests/cli.sh   # T, BIN, DATA, L, fail, expect
DATA=$(pwd)/$DATA   # some cases run in another directory

ESC=$(printf '\033')
BEL=$(printf '\007')
no_controls() {   # FILE WHAT: no ESC or BEL reached the terminal
	if LC_ALL=C grep -q "[$ESC$BEL]" "$1"; then od -c "$1" | head; fail "$2: control characters echoed"; fi
}

# ---- no HOME and no XDG variables: say where the cache could go, write nothing ----------------------
mkdir -p "$T/cwd"
set +e
(cd "$T/cwd" && env -i PATH="$PATH" "$BIN" list >"$T/out" 2>"$T/err"); got=$?
set -e
[ "$got" = 2 ] || { cat "$T/err"; fail "no HOME: exit $got, not 2"; }
for word in --db LECTERN_DB XDG_DATA_HOME; do
	grep -q -- "$word" "$T/err" || { cat "$T/err"; fail "no HOME: message does not name $word"; }
done
[ -z "$(ls -A "$T/cwd")" ] || { ls -la "$T/cwd"; fail "no HOME: something was written in the current directory"; }
# a relative HOME is no better than none; --db, LECTERN_DB and XDG_DATA_HOME each answer it
set +e
(cd "$T/cwd" && env -i PATH="$PATH" HOME=rel "$BIN" list >/dev/null 2>&1); got=$?
set -e
[ "$got" = 2 ] || fail "relative HOME: exit $got, not 2"
(cd "$T/cwd" && env -i PATH="$PATH" "$BIN" --db "$T/nohome.db" import "$DATA/papers.jsonl" >"$T/out" 2>"$T/err") \
	|| { cat "$T/err"; fail "no HOME with --db"; }
grep -q "no configuration file is read (--config PATH names one)" "$T/err" || { cat "$T/err"; fail "no HOME: config note"; }
(cd "$T/cwd" && env -i PATH="$PATH" LECTERN_DB="$T/nohome.db" "$BIN" list >"$T/out" 2>/dev/null) || fail "no HOME with LECTERN_DB"
[ "$(wc -l <"$T/out")" -eq 6 ] || fail "no HOME with LECTERN_DB: list"
(cd "$T/cwd" && env -i PATH="$PATH" XDG_DATA_HOME="$T/xdg" "$BIN" import "$DATA/papers.jsonl" >/dev/null 2>&1) \
	|| fail "no HOME with XDG_DATA_HOME"
[ -s "$T/xdg/lectern/papers.db" ] || fail "XDG_DATA_HOME: cache not where it says"
[ -z "$(ls -A "$T/cwd")" ] || fail "something was written in the current directory"
env -i PATH="$PATH" "$BIN" completions bash >/dev/null || fail "completions need no cache"

# ---- what an error echoes is cleaned like feed text ------------------------------------------------------
expect 0 L import "$DATA/papers.jsonl"
evil="2501.9999${ESC}]0;owned${BEL}${ESC}[31mred${ESC}[0m"
expect 1 L show "$evil"
no_controls "$T/err" "show ID"
grep -q "no paper 2501.9999red in the cache" "$T/err" || { cat "$T/err"; fail "show: cleaned id"; }
expect 1 L fav "$evil"
no_controls "$T/err" "fav ID"
expect 2 L list --sort "up${ESC}[2Jvotes"
no_controls "$T/err" "an option's value"
grep -q 'not "up' "$T/err" || { cat "$T/err"; fail "option value: message"; }
expect 2 L "--bogus${ESC}[1m"
no_controls "$T/err" "an unknown option"
expect 2 "$BIN" --db "$T/p.db" "lis${ESC}[5mt"
no_controls "$T/err" "an unknown command"
expect 1 L import "$T/no${ESC}[31msuch.jsonl"
no_controls "$T/err" "a file name"
printf '{"id": "2503.00001"\n' >"$T/bad${ESC}[7m.jsonl"
expect 1 L import "$T/bad${ESC}[7m.jsonl"
no_controls "$T/err" "a per-line report"
grep -q "/bad.jsonl:1: not valid JSON" "$T/err" || { cat "$T/err"; fail "per-line report names the file"; }

# ---- a terminal without cursor addressing: a message, exit 2, before anything is drawn -----------------
# (the reader needs a terminal: python's pty gives it one)
pty_run() {   # TERM-VALUE: runs the reader on a pty; output in $T/pty, exit status in $T/pty.rc
	python3 - "$1" "$BIN" "$T/tty.db" "$T/pty" <<'PY'
import os, pty, sys, select, time
term, binary, db, out = sys.argv[1:5]
pid, fd = pty.fork()
if pid == 0:
    env = dict(os.environ)
    if term == "-":
        env.pop("TERM", None)
    else:
        env["TERM"] = term
    os.execve(binary, [binary, "--db", db], env)
data, end = b"", time.time() + 10
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.2)
    if r:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    elif os.waitpid(pid, os.WNOHANG)[0]:
        break
else:
    os.kill(pid, 9)
_, st = os.waitpid(pid, 0)
open(out, "wb").write(data)
open(out + ".rc", "w").write(str(os.waitstatus_to_exitcode(st)))
PY
}
for term in dumb unknown-terminal-xyz -; do
	pty_run "$term"
	[ "$(cat "$T/pty.rc")" = 2 ] || { cat "$T/pty"; fail "TERM=$term: exit $(cat "$T/pty.rc"), not 2"; }
	grep -q "lectern list" "$T/pty" || { cat "$T/pty"; fail "TERM=$term: no pointer to the commands"; }
	no_controls "$T/pty" "TERM=$term"   # curses drew nothing (no escape sequence at all)
	[ ! -e "$T/tty.db" ] || fail "TERM=$term: the cache was created before the check"
done
grep -q 'the terminal "(TERM is not set)" is not known' "$T/pty" || { cat "$T/pty"; fail "TERM unset: message"; }

# ---- field limits where papers enter; an import line over 16 MiB is skipped in bounded memory ----------
python3 - "$T/big.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    # 1: a title of 5000 bytes ending in a 2-byte character across the cut, a 100 KB abstract,
    #    12,000 authors: stored cut, said with the paper's id
    f.write(json.dumps({"id": "2504.00001", "title": "T" * 2047 + "é" * 1500,
                        "abstract": "é" * 50000, "authors": ["Author %d" % i for i in range(12000)],
                        "upvotes": 10**30}) + "\n")
    # 2: a 64 MiB title: over the line limit, skipped
    f.write('{"id": "2504.00002", "title": "' + "x" * (64 << 20) + '"}\n')
    # 3: an id over 2 KB: refused, not cut
    f.write(json.dumps({"id": "url:https://example.org/" + "a" * 3000}) + "\n")
    # 4: a fine paper after them
    f.write(json.dumps({"id": "2504.00004", "title": "After the big ones"}) + "\n")
PY
python3 - "$BIN" "$T/p.db" "$T/big.jsonl" "$T/out" "$T/err" <<'PY'
import os, resource, subprocess, sys
binary, db, src, out, err = sys.argv[1:6]
# under AddressSanitizer its quarantine keeps freed memory (up to 256 MB) to catch use after
# free: the working set is what is bounded here, so measure without it
env = dict(os.environ, ASAN_OPTIONS=(os.environ.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=0").lstrip(":"))
rc = subprocess.call([binary, "--db", db, "import", src], stdout=open(out, "w"), stderr=open(err, "w"), env=env)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print("import of a 64 MiB line: exit %d, peak %d MiB" % (rc, peak))
assert rc == 1, rc
assert peak < 120, "import took %d MiB for a 64 MiB line" % peak
PY
grep -qx "imported 2 papers (2 new), 2 lines skipped" "$T/out" || { cat "$T/out"; fail "big import summary"; }
for want in "big.jsonl:1: 2504.00001: stored, but title cut from 5047 to 2047 bytes" \
	"abstract cut from 100000 to 65536 bytes" "12000 authors: kept the first 10000" \
	"a count over 10^12 clamped" \
	"big.jsonl:2: a line of 67108897 bytes, over the 16 MiB a paper may take (line skipped)" \
	'big.jsonl:3: "id" is longer than 2048 bytes (line skipped)'; do
	grep -qF "$want" "$T/err" || { cat "$T/err"; fail "big import: missing \"$want\""; }
done
expect 0 L show 2504.00001 --format json
python3 - "$T/out" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
t = p["title"].encode()
assert len(t) == 2047 and t.endswith(b"T"), len(t)   # cut back to a character boundary
assert len(p["abstract"].encode()) == 65536 and len(p["authors"]) == 10000
assert p["upvotes"] == 10**12, p["upvotes"]
PY
expect 0 L show 2504.00004

# ---- a damaged cache: read-only from then on, with a message saying so --------------------------------
python3 - "$T/many.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(3000):
        f.write(json.dumps({"id": "2505.%05d" % i, "title": "Paper %d on robust parsing" % i,
                            "abstract": "words " * 150, "authors": ["Ann Able", "Bo Bell"],
                            "published": "2025-05-%02d" % (i % 28 + 1)}) + "\n")
PY
D="$T/damaged.db"
expect 0 "$BIN" --db "$D" import "$T/many.jsonl"
expect 0 "$BIN" --db "$D" fav 2505.00007
python3 - "$D" <<'PY'
# Points every child of the interior pages of every table and index past the end of the file:
# the header and the schema stay sound, so the cache opens and the damage is met at run time.
import sqlite3, struct, sys
path = sys.argv[1]
con = sqlite3.connect(path)
roots = [r for (r,) in con.execute("SELECT rootpage FROM sqlite_master WHERE rootpage > 1")]
size = con.execute("PRAGMA page_size").fetchone()[0]
con.close()
d = bytearray(open(path, "rb").read())
hit = 0
for root in roots:
    off = (root - 1) * size
    if d[off] in (2, 5):
        for i in range(struct.unpack(">H", d[off + 3:off + 5])[0]):
            cell = struct.unpack(">H", d[off + 12 + 2 * i:off + 14 + 2 * i])[0]
            d[off + cell:off + cell + 4] = struct.pack(">I", 0xFFFFFF)
        d[off + 8:off + 12] = struct.pack(">I", 0xFFFFFF)
        hit += 1
assert hit >= 2, hit
open(path, "wb").write(d)
PY
sum_before=$(cksum <"$D")
expect 1 "$BIN" --db "$D" list
grep -q "the cache .*damaged" "$T/err" || { cat "$T/err"; fail "damaged: list message"; }
expect 1 "$BIN" --db "$D" fav 2505.00010
grep -q "damaged, so it is now open read-only and nothing more is written to it" "$T/err" \
	|| { cat "$T/err"; fail "damaged: a write command says read-only"; }
printf 'set start-view all\n' >"$T/all.conf"
printf '<Dump>\nf\n<Dump>\n' >"$T/dmg.keys"
expect 0 "$BIN" --db "$D" --config "$T/all.conf" ui --headless --size 200x12 --keys "$T/dmg.keys" --dump "$T/dmg.txt"
grep -q "The search could not run" "$T/dmg.txt" || { cat "$T/dmg.txt"; fail "damaged: reader list"; }
grep -q "the cache is damaged, so it is now open read-only" "$T/dmg.txt" || { cat "$T/dmg.txt"; fail "damaged: reader status line"; }
[ "$(cksum <"$D")" = "$sum_before" ] || fail "damaged: the file was written to"

# ---- a full disk: reads go on, writes say so, nothing stored is lost ------------------------------------
# A tmpfs of 1 MiB in a user and mount namespace of its own (no root needed where user namespaces
# are allowed; skipped where they are not).
if unshare -rm true 2>/dev/null; then
	unshare -rm sh -eu -c '
		BIN=$1; T=$2; DATA=$3
		mkdir -p "$T/mnt"
		mount -t tmpfs -o size=1m tmpfs "$T/mnt"
		L() { "$BIN" --db "$T/mnt/p.db" "$@"; }
		L import "$DATA/papers.jsonl" >/dev/null
		L fav 2501.01234
		# nearly full: the cache opens (its -shm fits) and the import of many papers meets the end
		avail=$(df -k --output=avail "$T/mnt" | tail -n 1)
		dd if=/dev/zero of="$T/mnt/fill" bs=1k count=$((avail - 96)) 2>/dev/null
		set +e
		L import "$T/many.jsonl" >"$T/full-import.out" 2>"$T/full-import.err"; echo $? >"$T/full-import.rc"
		# quite full: not even a -shm fits
		dd if=/dev/zero of="$T/mnt/fill2" bs=1k 2>/dev/null
		L list >"$T/full-list.out" 2>"$T/full-list.err"; echo $? >"$T/full-list.rc"
		L show 2501.01234 --format json >"$T/full-show.out" 2>"$T/full-show.err"; echo $? >"$T/full-show.rc"
		L fav 2502.00002 >"$T/full-fav.out" 2>"$T/full-fav.err"; echo $? >"$T/full-fav.rc"
		L export --format json -o "$T/mnt/out.json" >"$T/full-export.out" 2>"$T/full-export.err"; echo $? >"$T/full-export.rc"
		printf "<Dump>\n" >"$T/full.keys"
		L --config "$T/all.conf" ui --headless --size 200x12 --keys "$T/full.keys" --dump "$T/full-ui.txt" 2>"$T/full-ui.err"
		echo $? >"$T/full-ui.rc"
		rm -f "$T/mnt/fill" "$T/mnt/fill2"
		L list >"$T/after-list.out" 2>&1; echo $? >"$T/after-list.rc"
	' sh "$BIN" "$T" "$DATA"
	[ "$(cat "$T/full-import.rc")" = 1 ] || { cat "$T/full-import.err"; fail "full disk: import exit"; }
	grep -q "the disk is full" "$T/full-import.err" || { cat "$T/full-import.err"; fail "full disk: import says so"; }
	[ "$(cat "$T/full-list.rc")" = 0 ] || { cat "$T/full-list.err"; fail "full disk: list must still work"; }
	grep -q "2501.01234" "$T/full-list.out" || fail "full disk: list lost papers"
	[ "$(cat "$T/full-show.rc")" = 0 ] || { cat "$T/full-show.err"; fail "full disk: show"; }
	python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["favourite"] is True' "$T/full-show.out" \
		|| fail "full disk: the favourite was lost"
	[ "$(cat "$T/full-fav.rc")" = 1 ] || fail "full disk: fav exit"
	grep -q "the disk is full; nothing was changed" "$T/full-fav.err" || { cat "$T/full-fav.err"; fail "full disk: fav message"; }
	[ "$(cat "$T/full-export.rc")" = 1 ] || fail "full disk: export exit"
	grep -q "cannot write .*out.json: the disk is full" "$T/full-export.err" || { cat "$T/full-export.err"; fail "full disk: export message"; }
	[ "$(cat "$T/full-ui.rc")" = 0 ] || { cat "$T/full-ui.err"; fail "full disk: reader"; }
	grep -q "read-only (the disk is full)" "$T/full-ui.txt" || { cat "$T/full-ui.txt"; fail "full disk: reader status line"; }
	grep -q "Learning to Rank Everything" "$T/full-ui.txt" || { cat "$T/full-ui.txt"; fail "full disk: reader list"; }
	[ "$(cat "$T/after-list.rc")" = 0 ] || { cat "$T/after-list.out"; fail "after the disk is freed"; }
else
	echo "(no user namespaces here: the full-disk case is skipped)"
fi

# ---- a browser that runs a shell: kept, warned about at start-up -----------------------------------------
cat >"$T/shell.conf" <<'EOF'
set start-view all
set browser "sh -c 'firefox \"%u\"'"
EOF
expect 0 L --config "$T/shell.conf" list --limit 1
grep -q "warning: .*shell.conf:2: browser runs a shell (sh -c)" "$T/err" || { cat "$T/err"; fail "browser shell: CLI warning"; }
printf '<Dump>\n' >"$T/one.keys"
expect 0 L --config "$T/shell.conf" ui --headless --size 200x12 --keys "$T/one.keys" --dump "$T/shell.txt"
grep -q "warning: .*browser runs a shell" "$T/shell.txt" || { cat "$T/shell.txt"; fail "browser shell: reader status line"; }
echo ok
