#!/bin/sh
# End-to-end: PDFs to disk. `lectern pdf ID` downloads from tests/server.py into pdf-dir under the
# specified name, resumes a cut transfer with a Range request (in the same run, and in a later
# run from the .part file), shows progress on a terminal, refuses what is not a PDF; in the
# reader `d` downloads it (progress in the status line), the list marks it (⇩), and `p` opens
# the file through argv with `set pdf-viewer`.
set -eu
T=$TMPDIR_TEST
BIN=$LECTERN_BIN
export XDG_STATE_HOME="$T/state" LC_ALL=C.UTF-8

. tests/server.sh   # starts the server: $B, $PIDS, reap
fail() { echo "FAIL: $*" >&2; exit 1; }

# paper ID VERSION TITLE PDF-URL: one JSON line for `lectern import`
paper() {
	python3 -c 'import json, sys; print(json.dumps({"id": sys.argv[1], "version": int(sys.argv[2]),
	  "title": sys.argv[3], "links": {"pdf": sys.argv[4]}}))' "$@"
}
{
	paper 2606.99999 2 'A Study/of "PDFs"' "$B/m/cutonce-a/pdf/x.pdf"
	paper 2606.99997 1 'A login page' "$B/m/html/pdf/z.pdf"
	paper 2606.99996 3 "$(python3 -c 'print("Long " * 80)')" "$B/m/slowpdf/pdf/w.pdf"
	paper 'url:https://example.org/paper' 0 'Not on arXiv' "$B/pdf/v.pdf"
} >"$T/papers.jsonl"
cat >"$T/conf" <<EOC
set host-delay 0
set max-tries 3
set pdf-dir $T/pdf
set pdf-viewer "$T/viewer.sh --page 1 %u"
set start-view all
EOC
L() { "$BIN" --db "$T/p.db" --config "$T/conf" "$@"; }
L import "$T/papers.jsonl" >/dev/null || fail "import"

# expected bytes of /pdf/NAME (tests/server.py)
want() {
	python3 - "$1" <<'PY'
import hashlib, sys
seed = hashlib.sha256(sys.argv[1].encode()).digest()
sys.stdout.buffer.write(b"%PDF-1.4\n" + seed * (300 * 1024 // len(seed)) + b"\n%%EOF\n")
PY
}

# ---- named as specified, resumed within the run after a cut ---------------------------------
L pdf 2606.99999 >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "pdf download"; }
f="$T/pdf/2606.99999v2 A Study_of \"PDFs\".pdf"
[ "$(cat "$T/out")" = "$f" ] || { cat "$T/out"; fail "printed path"; }
want x.pdf | cmp -s - "$f" || fail "downloaded bytes differ"
[ ! -e "$f.part" ] || fail ".part left behind"
python3 - "$T/server.log" <<'PY'
import json, sys
r = [json.loads(l) for l in open(sys.argv[1]) if "/cutonce-a/" in l]
assert [x["status"] for x in r] == [200, 206], r
assert r[0]["range"] is None and r[1]["range"] == "bytes=%d-" % (153608,), r
print("resumed within the run:", r[1]["range"])
PY
# again: already on disk, not asked for again
n=$(wc -l <"$T/server.log")
L pdf 2606.99999 >"$T/out" || fail "second pdf"
[ "$(wc -l <"$T/server.log")" -eq "$n" ] || fail "a PDF on disk was downloaded again"

# ---- cut and given up: the .part stays, the next run resumes it ------------------------------
{ cat "$T/conf"; echo "set max-tries 1"; } >"$T/conf2"
paper 2606.99995 1 'Cut once' "$B/m/cutonce-c/pdf/u.pdf" >"$T/more.jsonl"
L import "$T/more.jsonl" >/dev/null
set +e
"$BIN" --db "$T/p.db" --config "$T/conf2" pdf 2606.99995 >"$T/out" 2>"$T/err"; rc=$?
set -e
[ $rc -eq 1 ] || { cat "$T/err"; fail "cut with one try: exit $rc, want 1"; }
grep -q "^lectern: pdf: 2606.99995: .*cut off.*the part kept is resumed next time" "$T/err" || { cat "$T/err"; fail "cut: message"; }
[ -s "$T/pdf/2606.99995v1 Cut once.pdf.part" ] || fail "no .part kept"
L pdf 2606.99995 >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "resume in a later run"; }
want u.pdf | cmp -s - "$T/pdf/2606.99995v1 Cut once.pdf" || fail "resumed bytes differ"
grep '/cutonce-c/' "$T/server.log" | tail -n 1 | grep -q '"range": "bytes=' || fail "no Range on the resume"

# ---- not a PDF: refused, nothing kept; unknown id; no arXiv id: a hash -----------------------
set +e
L pdf 2606.99997 nosuch >"$T/out" 2>"$T/err"; rc=$?
set -e
[ $rc -eq 1 ] || fail "html: exit $rc"
grep -q "pdf: 2606.99997: .*did not send a PDF" "$T/err" && grep -q "pdf: nosuch: not in the cache" "$T/err" ||
	{ cat "$T/err"; fail "html / unknown: messages"; }
! ls "$T/pdf" | grep -q '^2606.99997' || fail "a login page was kept"
L pdf 'url:https://example.org/paper' >"$T/out" || fail "non-arXiv paper"
grep -E -q "/pdf/[0-9a-f]{16} Not on arXiv\.pdf$" "$T/out" || { cat "$T/out"; fail "non-arXiv name"; }

# ---- a long title: the name is cut to 200 bytes; progress on a terminal ------------------------
if command -v script >/dev/null 2>&1; then
	script -q -c "$BIN --db $T/p.db --config $T/conf pdf 2606.99996" "$T/tty" >/dev/null 2>&1 </dev/null ||
		{ cat "$T/tty"; fail "pdf on a terminal"; }
	grep -a -q "2606.99996  0\.[0-9] MB of 0\.3 MB ([0-9]*%)" "$T/tty" || { cat -v "$T/tty"; fail "no progress shown"; }
	echo "progress ok"
else
	L pdf 2606.99996 >/dev/null || fail "long title"
fi
name=$(ls "$T/pdf" | grep '^2606.99996v3 Long')
[ "$(printf '%s' "$name" | wc -c)" -le 200 ] && [ "${name%.pdf}" != "$name" ] || fail "long name: $name"

# ---- the reader: d downloads (status line), ⇩ marks it, p opens it through argv ----------------
cat >"$T/viewer.sh" <<EOF
#!/bin/sh
for a in "\$@"; do printf '%s\n' "\$a"; done > "$T/argv.tmp"
mv "$T/argv.tmp" "$T/argv"
EOF
chmod +x "$T/viewer.sh"
rm -f "$T/pdf/2606.99999v2"*
printf '/2606.99999\n<Enter>\nd\n<Wait>\n<Dump>\np\n<Dump>\n' >"$T/keys"
"$BIN" --db "$T/p.db" --config "$T/conf" ui --headless --fetch --size 100x12 --keys "$T/keys" \
	--dump "$T/ui.out" 2>"$T/ui.err" || { cat "$T/ui.err"; fail "reader"; }
grep -q "PDF saved: $T/pdf/2606.99999v2 A Study_of \"PDFs\".pdf (p opens it)" "$T/ui.out" ||
	{ cat "$T/ui.out"; fail "reader: no 'PDF saved' in the status line"; }
grep -q "⇩.*A Study/of \"PDFs\"" "$T/ui.out" || { cat "$T/ui.out"; fail "reader: the list does not mark the PDF"; }
i=0; while [ ! -f "$T/argv" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
printf -- '--page\n1\n%s\n' "$f" >"$T/argv.want"
diff -u "$T/argv.want" "$T/argv" || fail "p: the viewer's argv"
# progress in the status line while a slow download runs (3 s in 10 pieces)
rm -f "$T/pdf/2606.99996v3"*
printf '/2606.99996\n<Enter>\nd\n<Sleep 1500>\n<Dump>\n<Wait>\n<Dump>\n' >"$T/keys"
"$BIN" --db "$T/p.db" --config "$T/conf" ui --headless --fetch --size 100x12 --keys "$T/keys" \
	--dump "$T/ui2.out" 2>"$T/ui.err" || { cat "$T/ui.err"; fail "reader, slow PDF"; }
grep -E -q "Downloading the PDF of 2606.99996: 0\.[0-9] of 0\.3 MB \([0-9]+%\)" "$T/ui2.out" ||
	{ cat "$T/ui2.out"; fail "reader: no download progress in the status line"; }
grep -q "PDF saved: $T/pdf/2606.99996v3 Long" "$T/ui2.out" || { cat "$T/ui2.out"; fail "reader: slow PDF not saved"; }
echo "e2e_pdf ok"
