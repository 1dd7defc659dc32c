#!/bin/sh
# End-to-end tests of the reader through its headless mode: scripted keys, screens dumped as text
# and compared with tests/data/ui/*.screen (UPDATE=1 rewrites them). Run from the repo root with
# $LECTERN_BIN and $TMPDIR_TEST set (tests/run.sh does).
set -u
BIN=${LECTERN_BIN:?}
T=${TMPDIR_TEST:?}
DATA=tests/data/ui
export LECTERN_NOW=2025-11-26 LC_ALL=C.UTF-8 NO_COLOR=
unset BROWSER DISPLAY WAYLAND_DISPLAY
DB=$T/papers.db
fail=0

"$BIN" --db "$DB" import "$DATA/papers.jsonl" >/dev/null || { echo "import failed"; exit 1; }

# The screens start on All (set start-view all); the start views have tests of their own (startview).
CONF=$XDG_CONFIG_HOME/lectern/config
mkdir -p "$XDG_CONFIG_HOME/lectern/themes"
# conf LINE...: the config file holds these lines after `set start-view all`
conf() { printf 'set start-view all\n' > "$CONF"; for l in "$@"; do printf '%s\n' "$l" >> "$CONF"; done; }
conf

# screen NAME SIZE KEYS...: runs the keys, compares every dump with $DATA/NAME.screen
screen() {
	name=$1 size=$2
	shift 2
	printf '%s\n' "$*" > "$T/$name.keys"
	if ! "$BIN" --db "$DB" ui --headless --size "$size" --keys "$T/$name.keys" --dump "$T/$name.raw" 2>"$T/$name.err"; then
		echo "FAIL $name: exit status"; cat "$T/$name.err"; fail=1; return
	fi
	# paths under the temporary directory (in messages) are written as $T (screens that show
	# such paths are wide enough that the path's length cannot change the wrapping)
	sed "s|$T|\$T|g" "$T/$name.raw" > "$T/$name.out"
	if [ "${UPDATE:-}" = 1 ]; then cp "$T/$name.out" "$DATA/$name.screen"; fi
	if ! diff -u "$DATA/$name.screen" "$T/$name.out"; then
		echo "FAIL $name: screen differs"; fail=1
	else
		echo "ok   $name"
	fi
}

# Wide (side by side) and medium (stacked) layouts; CJK, emoji, combining marks, LaTeX, controls.
screen wide 150x24 '<Dump>'
screen stacked 100x30 'j j <Dump>'
# Side by side at 140, 160, 200 and 250 columns: the detail keeps 60-90 columns, the list the rest.
screen widths 140x8 '<Dump> <Resize 160x8> <Dump> <Resize 200x8> <Dump> <Resize 250x8> <Dump>'
# Narrow: the detail takes the screen; resizing keeps the selection and the open detail.
screen narrow 70x20 'j <Dump> <Enter> <Dump> <Resize 150x20> <Dump> <Resize 30x6> <Dump> <Resize 70x20> h <Dump>'
# J and K step to the next / previous paper from a full-screen detail (60x20: narrow layout); Space
# in the detail pages through the paper, then goes on to the next (the detail at 60x8 needs pages).
screen step 60x20 '<Enter> <Dump> J <Dump> J <Dump> K <Dump> <Space> <Dump> <Resize 60x8> <Space> <Dump> <Space> <Dump> <Space> <Space> <Dump>'
# In the list Space stays page-down; side by side, J from the focused detail moves the list.
screen stepwide 150x10 '<Space> <Dump> g <Tab> J J <Dump>'
# Read by reading (set mark-read-after, default 3 s, on the virtual clock <Tick>): a paper shown in
# the detail that long is marked read, also while moving with j side by side; a paper passed by
# quicker stays unread; u undoes it for good (the timer leaves a paper set by hand).
screen readtimer 150x16 'j j j <Tick 2000> <Dump> j <Tick 2999> <Dump> <Tick 2> <Dump> k <Dump> <Tick 3000> <Dump> u <Tick 5000> <Dump>'
# Full screen (70 columns): the list alone shows no paper; J in the detail, then the time passes.
screen readnarrow 70x16 'j j j <Tick 5000> <Dump> l J <Tick 3000> <Dump> h <Dump>'
# C marks the view read (one transaction), z takes it back; the status line says so.
screen catchup 100x10 'U <Dump> C <Dump> a <Dump> z <Dump> U <Dump> z <Dump>'
# Only one write when the timer fires, no query per key while moving with j side by side.
printf 'j j j <Tick 3000> j\n' > "$T/readq.keys"
"$BIN" --db "$T/readq.db" import "$DATA/papers.jsonl" >/dev/null
"$BIN" --db "$T/readq.db" ui --headless --size 150x10 --keys "$T/readq.keys" --timings "$T/readq.tim" --dump /dev/null 2>&1
awk '$1 != "startup" { got = got $1 ":" substr($3, 9) "/" substr($4, 8) " " } END { print got }' "$T/readq.tim" > "$T/readq.got"
echo 'j:0/0 j:0/0 j:0/0 j:0/0 ' > "$T/readq.want"
diff -u "$T/readq.want" "$T/readq.got" || { echo "FAIL readq: queries while reading"; fail=1; }
"$BIN" --db "$T/readq.db" list --unread --limit 0 | grep -q 2511.00007 &&
	{ echo "FAIL readq: the paper shown 3 s is not read"; fail=1; }
"$BIN" --db "$T/readq.db" list --unread --limit 0 | grep -q 2511.00006 ||
	{ echo "FAIL readq: a paper passed by is read"; fail=1; }
# set mark-read-after 0 marks at once; never leaves it to Enter and u.
conf 'set mark-read-after 0'
printf 'j j j j j\n' > "$T/read0.keys"
"$BIN" --db "$T/readq.db" ui --headless --size 150x10 --keys "$T/read0.keys" 2>&1
"$BIN" --db "$T/readq.db" list --unread --limit 0 | grep -q 2511.00004 &&
	{ echo "FAIL read0: not marked at once"; fail=1; }
conf 'set mark-read-after never'
printf 'j j j j j j j <Tick 60000> <Dump>\n' > "$T/readnever.keys"
"$BIN" --db "$T/readq.db" ui --headless --size 150x10 --keys "$T/readnever.keys" 2>&1
"$BIN" --db "$T/readq.db" list --unread --limit 0 | grep -q 2511.00008 ||
	{ echo "FAIL readnever: marked read"; fail=1; }
conf
# Moving: end, page, top, mouse; the sort cycles.
screen move 100x16 'G <Dump> <PgUp> <Dump> g <C-d> <Dump> s <Dump> <Click 3 10> <Dump>'
# Search as you type, Enter keeps, Esc restores the previous view and selection.
screen search 100x16 'j j j / s c a l <Dump> i n g <Space> a u d i o <Dump> <Enter> <Dump> <Esc> <Dump> / a u : <Dump> <Esc>'
# / opens an empty prompt (a new search never appends to the kept one) and a search ranks by
# relevance; Up recalls the kept search as typed (the implicit prefix star is not text): "scal"
# kept, / Up, then "ing vis" -> "scaling vis" (vision papers); / Esc keeps it, Esc clears.
screen research 100x12 '/ s c a l <Enter> <Dump> / <Dump> <Up> <Dump> i n g <Space> v i s <Dump> <Enter> <Dump> / <Esc> <Dump> <Esc> <Dump>'
# A new search after a kept one starts from nothing ("audio", not "scalaudio"); Up Up walks back.
# Enter on the empty prompt changes nothing (the kept search stays).
screen searchnew 100x10 '/ s c a l <Enter> / a u d i o <Dump> <Enter> / <Up> <Dump> <Up> <Dump> <Esc> / <Enter> <Dump>'
# Search as you type costs one window query per burst of keys and no count: a first letter
# waits for the second, a word typed ahead (one token) runs one query (this small view is counted
# by its first window: <Idle> has nothing left to count; bench_ui shows the deferred counts).
printf '/ s <Dump> c a l <Enter> <Idle> / <C-u> scaling <Space> audio <Enter> <Idle> <Esc>\n' > "$T/typing.keys"
"$BIN" --db "$DB" ui --headless --size 100x12 --keys "$T/typing.keys" --timings "$T/typing.tim" --dump "$T/typing.out" 2>&1
grep -q 'search: ' "$T/typing.out" && { echo "FAIL typing: one letter ran a query"; cat "$T/typing.out"; fail=1; }
awk '$1 != "startup" { got = got $1 ":" substr($3, 9) "/" substr($4, 8) " " }
     END { print got }' "$T/typing.tim" > "$T/typing.got"
echo '/:0/0 s:0/0 c:1/0 a:1/0 l:1/0 <Enter>:0/0 <Idle>:0/0 /:0/0 <C-u>:1/0 scaling:1/0 <Space>:1/0 audio:1/0 <Enter>:0/0 <Idle>:0/0 <Esc>:2/0 ' > "$T/typing.want"
diff -u "$T/typing.want" "$T/typing.got" || { echo "FAIL typing: queries per key differ"; fail=1; }

# Views: favourites, Daily Papers days with [ and ] (most upvoted first; s changes the order and
# it stays while stepping days; All is newest first again), unread; help.
screen views 100x16 'F <Dump> H <Dump> [ <Dump> [ <Dump> ] ] <Dump> U <Dump> ? <Dump>'
screen hfsort 100x12 'H [ [ <Dump> s <Dump> ] <Dump> a <Dump>'
# Days: [ and ] step one calendar day (an uncached day says why it is empty: fetching is off here;
# never past today, 2025-11-26), { and } jump to the nearest cached day, D goes to a typed day
# (a mistyped one keeps the prompt open with the reason; Esc closes it).
screen days 100x12 'H [ [ [ <Dump> { <Dump> } <Dump> } ] ] <Dump> D today <Enter> ] <Dump> D -4 <Enter> <Dump> D 2025-13-01 <Enter> <Dump> <C-u> yesterday <Enter> <Dump> D <Dump> x <Esc> { <Dump>'
# The status line: an informational message fades after 5 s (<Tick> moves the clock), an error
# stays until the next key; M lists the recent messages, newest first (a repeat counted).
screen msgs 100x10 'y <Tick 4000> <Dump> <Tick 1500> <Dump> P P <Tick 10000> <Dump> j <Dump> M <Dump> M <Dump>'
# The help scrolls (PgDn, Space, C-d, G, g, j/k); other keys do nothing; q, Esc and ? close it.
screen help 100x16 '? <Dump> <PgDn> <Dump> <Space> G <Dump> g <C-d> k x <Dump> q <Dump> ? <Esc> <Dump> ? j ? <Dump>'
# Theme colours #rrggbb are exact where terminfo has RGB (direct colour, here a minimal
# xterm-direct compiled into $T), the nearest of 256 elsewhere: the escape sequences written to a
# real terminal (script(1) gives the reader one; q quits).
if command -v tic >/dev/null && command -v script >/dev/null; then
	cat > "$T/xd.src" <<'EOT'
xterm-direct|xterm with direct-colour indexing,
	RGB, colors#0x1000000, pairs#0x10000, use=xterm-256color,
	setab=\E[%?%p1%{8}%<%t4%p1%d%e48\:2\:\:%p1%{65536}%/%d\:%p1%{256}%/%{255}%&%d\:%p1%{255}%&%d%;m,
	setaf=\E[%?%p1%{8}%<%t3%p1%d%e38\:2\:\:%p1%{65536}%/%d\:%p1%{256}%/%{255}%&%d\:%p1%{255}%&%d%;m,
EOT
	tic -x -o "$T/terminfo" "$T/xd.src"
	conf 'color cursor black "#ffd700" bold'
	for term in xterm-direct xterm-256color; do
		(sleep 1; printf q) | TERMINFO=$T/terminfo TERM=$term timeout 10 \
			script -qc "$BIN --db $DB ui --no-fetch" "$T/rgb.$term" >/dev/null 2>&1
	done
	grep -aq '48:2::255:215:0m' "$T/rgb.xterm-direct" || { echo "FAIL rgb: #ffd700 not exact on xterm-direct"; fail=1; }
	grep -aq '48;5;220m' "$T/rgb.xterm-256color" || { echo "FAIL rgb: #ffd700 not 220 on xterm-256color"; fail=1; }
	conf
fi

# At 40 columns the help wraps each action's text under its keys instead of cutting it.
screen help40 40x24 '? <Dump> <PgDn> <PgDn> <Dump>'

# y: a clipboard tool that confirms the copy is named; without one the reader says it only asked
# the terminal (OSC 52). The tool runs through argv with the text on its stdin.
mkdir -p "$T/bin"
printf '#!/bin/sh\ncat > "%s/clip"\n' "$T" > "$T/bin/wl-copy"
chmod +x "$T/bin/wl-copy"
printf 'y <Dump>\n' > "$T/copy.keys"
WAYLAND_DISPLAY=test PATH="$T/bin:$PATH" "$BIN" --db "$DB" ui --headless --size 100x8 --keys "$T/copy.keys" --dump "$T/copy.out" 2>&1
grep -q 'Copied 2511.00001 (wl-copy)' "$T/copy.out" && [ "$(cat "$T/clip")" = 2511.00001 ] ||
	{ echo "FAIL copy: not confirmed by wl-copy"; cat "$T/copy.out"; fail=1; }
"$BIN" --db "$DB" ui --headless --size 100x8 --keys "$T/copy.keys" --dump "$T/copy2.out" 2>&1
grep -q 'Asked the terminal to copy 2511.00001 (OSC 52)' "$T/copy2.out" ||
	{ echo "FAIL copy: OSC 52 not said"; cat "$T/copy2.out"; fail=1; }
printf '#!/bin/sh\nexit 1\n' > "$T/bin/wl-copy"
WAYLAND_DISPLAY=test PATH="$T/bin:$PATH" "$BIN" --db "$DB" ui --headless --size 100x8 --keys "$T/copy.keys" --dump "$T/copy3.out" 2>&1
grep -q 'wl-copy failed; asked the terminal to copy' "$T/copy3.out" ||
	{ echo "FAIL copy: a failing tool not said"; cat "$T/copy3.out"; fail=1; }

# The detail shows every field a paper has: listings (where it came from), the updated date when
# the first version's is unknown, comment, journal ref, DOI, submitter, GitHub stars, keywords.
"$BIN" --db "$T/detail.db" import "$DATA/detail.jsonl" >/dev/null || { echo "import detail failed"; exit 1; }
MAIN_DB=$DB DB=$T/detail.db
screen detail 70x34 '<Enter> <Dump> h j <Enter> <Dump>'
# the list dates an undated paper by its earliest listing day (the store's row.date)
screen detaillist 100x8 '<Dump>'
# Links written in the abstract and comment (\url, \href, plain URLs) are numbered after the
# fixed ones; one that repeats a fixed link, javascript: and file: are not listed; past [9] the
# rest are listed without a key, and the pane says so.
"$BIN" --db "$T/links.db" import "$DATA/links.jsonl" >/dev/null || { echo "import links failed"; exit 1; }
DB=$T/links.db
screen links 70x46 '<Enter> <Dump> h j <Enter> <Dump>'
DB=$MAIN_DB

# A long author list is cut to 3 lines ("… and N more"), the distinct affiliations (capped at 2
# lines) and the organisation stay visible; A shows every author, A again cuts the list.
"$BIN" --db "$T/authors.db" import "$DATA/authors.jsonl" >/dev/null || { echo "import authors failed"; exit 1; }
DB=$T/authors.db
screen authors 80x20 '<Enter> <Dump> A <Dump> A <Resize 160x20> <Dump>'
DB=$MAIN_DB

# Titles get the width: at 160 columns a 75-character title shows whole (the author column goes
# first, then shrinks), the list takes what the detail (60+ columns) does not need; only a title
# that truly does not fit is cut with …; set list-width overrides (N or N%).
"$BIN" --db "$T/titles.db" import "$DATA/titles.jsonl" >/dev/null || { echo "import titles failed"; exit 1; }
DB=$T/titles.db
screen titles 160x8 '<Dump> <Resize 200x8> <Dump> <Resize 140x8> <Dump>'
conf 'set list-width 50%'
screen listwidth 160x8 '<Dump>'
conf 'set list-width 120'
screen listwidth2 160x8 '<Dump>'
conf
DB=$MAIN_DB

# Favourites persist across a restart (and the toggle is saved at once).
screen fav1 100x12 'j f <Dump> q'
screen fav2 100x12 'F <Dump>'

# Notes and tags: n and t open a one-line prompt prefilled with the current value; Enter saves
# (the list marks a paper with a note ✎, the detail shows both), Esc cancels, an unchanged text
# writes nothing, empty removes; both persist across a restart.
screen notes 100x24 'j n Great <Space> paper <Dump> <Enter> <Dump> t ml, <Space> #survey <Space> ml <Enter> n <C-a> A <Space> <Esc> <Dump> q'
screen notes2 100x24 'j <Dump> t <Dump> <C-u> <Enter> n <Enter> <Dump>'

# A read-only database: the error is shown, the reader keeps going.
cp "$DB" "$T/ro.db" && chmod 444 "$T/ro.db"
printf 'f <Dump>\n' > "$T/ro.keys"
if [ "$(id -u)" != 0 ]; then
	"$BIN" --db "$T/ro.db" ui --headless --size 100x12 --keys "$T/ro.keys" --dump "$T/ro.out" 2>/dev/null
	grep -q 'read-only\|readonly\|not saved' "$T/ro.out" || { echo "FAIL ro: no error shown"; fail=1; }
fi

# Config errors are reported as FILE:LINE and are not fatal: the status line shows the first and
# how many more, the help screen lists them all (config.c's, bind, theme and color lines).
cat > "$CONF" <<'EOC'
set refresh soon
bind x no-such-action
bind <Nope> quit
bind Q help
theme no-such-theme
color cursor red nocolour
color unread green default bold
set no-such-option 1
set start-view all
EOC
printf '<Dump> Q G <Dump>\n' > "$T/cfgerr.keys"
# Every error in the file's line order (config.c's own lines and the reader's binds, theme and
# colours interleaved).
printf '? G <Dump>\n' > "$T/cfgorder.keys"
"$BIN" --db "$DB" ui --headless --size 220x30 --keys "$T/cfgorder.keys" --dump "$T/cfgorder.out" 2>&1
{ grep -o "$CONF:[0-9]*:" "$T/cfgorder.out" | tr '\n' ' '; echo; } > "$T/cfgorder.got"
echo "$CONF:1: $CONF:2: $CONF:3: $CONF:5: $CONF:6: $CONF:8: " > "$T/cfgorder.want"
diff -u "$T/cfgorder.want" "$T/cfgorder.got" || { echo "FAIL cfgorder: not in line order"; cat "$T/cfgorder.out"; fail=1; }
# Wide, and matched with line breaks folded, so the length of the temporary path cannot move
# where a message wraps.
"$BIN" --db "$DB" ui --headless --size 220x14 --keys "$T/cfgerr.keys" --dump "$T/cfgerr.out" 2>&1
tr -s ' \n' '  ' <"$T/cfgerr.out" >"$T/cfgerr.flat"
for want in "6 config errors (? lists them): $CONF:1: refresh: expected" \
	"Configuration errors (those lines were ignored)" "$CONF:1: refresh: expected a duration" \
	"$CONF:2: unknown action 'no-such-action'" "$CONF:3: unknown key '<Nope>'" \
	"$CONF:5: theme 'no-such-theme' not found" "using the dark theme" \
	"$CONF:6: bad colour 'nocolour'" "lectern — keys"; do
	grep -qF "$want" "$T/cfgerr.flat" || { echo "FAIL cfgerr: no '$want'"; cat "$T/cfgerr.out"; fail=1; }
done
conf 'theme broken'
printf 'color cursor red blue\ncolour list red blue\ncolor title red blue blink\n' > "$XDG_CONFIG_HOME/lectern/themes/broken.theme"
screen cfgtheme 200x12 '? G <Dump>'
printf 'set browser "%s/stub.sh --new %%u"\nbind x no-such-action\nset start-view all\n' "$T" > "$CONF"
printf '<Dump>\n' > "$T/cfg.keys"
"$BIN" --db "$DB" ui --headless --size 220x12 --keys "$T/cfg.keys" --dump "$T/cfg.out" 2>&1
grep -q "config:2: unknown action 'no-such-action'" "$T/cfg.out" || { echo "FAIL cfg: no FILE:LINE error"; cat "$T/cfg.out"; fail=1; }

# Links go to the browser as one argv word, never through a shell.
cat > "$T/stub.sh" <<STUB
#!/bin/sh
for a in "\$@"; do printf '%s\n' "\$a"; done > "$T/argv.tmp"
mv "$T/argv.tmp" "$T/argv"
STUB
chmod +x "$T/stub.sh"
printf 'bind e open-code\n' >> "$CONF"
sed -i '2d' "$CONF"
# paper 2511.00005 is the 9th row; its code link holds ; $() and a %20
printf 'G g <Down> <Down> <Down> <Down> <Down> <Down> <Down> <Down> e <Sleep 300> <Dump>\n' > "$T/open.keys"
"$BIN" --db "$DB" ui --headless --size 100x12 --keys "$T/open.keys" --dump "$T/open.out" 2>&1
i=0; while [ ! -f "$T/argv" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
printf -- '--new\nhttps://example.com/x;echo$(id)?q=a%%20b&r=1\n' > "$T/argv.want"
if ! diff -u "$T/argv.want" "$T/argv"; then echo "FAIL open: argv differs"; fail=1; else echo "ok   open"; fi
[ ! -e "$T/pwned" ] || { echo "FAIL open: a shell ran"; fail=1; }
# a javascript: link is refused with a message
printf 'g <Down> <Down> <Down> <Down> <Down> <Down> <Down> <Down> P <Dump>\n' > "$T/js.keys"
"$BIN" --db "$DB" ui --headless --size 100x12 --keys "$T/js.keys" --dump "$T/js.out" 2>&1
grep -q 'only http and https links are opened' "$T/js.out" || { echo "FAIL js: not refused"; cat "$T/js.out"; fail=1; }
# a link found in the abstract opens by its number, through the same argv
rm -f "$T/argv"
printf '<Enter> 5 <Sleep 300> <Dump>\n' > "$T/num.keys"
"$BIN" --db "$T/links.db" ui --headless --size 70x46 --keys "$T/num.keys" --dump "$T/num.out" 2>&1
i=0; while [ ! -f "$T/argv" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
printf -- '--new\nhttps://kanyooo.github.io/EEG-DCNet/\n' > "$T/argv.want"
if ! diff -u "$T/argv.want" "$T/argv"; then echo "FAIL open found link: argv differs"; fail=1; else echo "ok   open found link"; fi
# a browser that does not exist: the failure shows in the status line
conf 'set browser "/nonexistent/browser"'
printf 'o <Dump>\n' > "$T/nob.keys"
"$BIN" --db "$DB" ui --headless --size 100x12 --keys "$T/nob.keys" --dump "$T/nob.out" 2>&1
grep -q 'cannot start /nonexistent/browser' "$T/nob.out" || { echo "FAIL nobrowser"; cat "$T/nob.out"; fail=1; }
conf

# The start view: by default the newest Daily Papers day with papers (an hf-daily source is
# configured by default), its day and order in the header; without an hf-daily source, the unread
# papers; set start-view picks any (favourites, source:NAME).
rm -f "$CONF"
screen startview 100x8 '<Dump>'
printf 'source arxiv cs.LG\n' > "$CONF"
screen startunread 100x8 '<Dump>'
printf 'source arxiv cs.LG name lg\nset start-view favourites\n' > "$CONF"
screen startfav 100x8 '<Dump>'
printf 'set start-view source:lg\nsource hf-daily\nsource arxiv cs.LG name lg\n' > "$CONF"
screen startsource 100x8 '<Dump>'
# an empty cache opens on today's Daily Papers (fetched when fetching is on)
rm -f "$CONF"
"$BIN" --db "$T/empty0.db" ui --headless --size 100x10 --dump "$T/empty0.out" </dev/null
grep -q 'HF Daily 2025-11-26' "$T/empty0.out" && grep -q 'No Daily Papers cached for 2025-11-26' "$T/empty0.out" ||
	{ echo "FAIL empty daily"; cat "$T/empty0.out"; fail=1; }
conf

# An empty cache says what to do.
"$BIN" --db "$T/empty.db" ui --headless --size 80x10 --dump "$T/empty.out" </dev/null
grep -q 'No papers yet — press R to fetch' "$T/empty.out" || { echo "FAIL empty"; cat "$T/empty.out"; fail=1; }

# Usage errors.
"$BIN" --db "$DB" ui --headless --size 0x0 2>/dev/null; [ $? = 2 ] || { echo "FAIL size usage"; fail=1; }
printf '<Bogus>\n' > "$T/bad.keys"
"$BIN" --db "$DB" ui --headless --keys "$T/bad.keys" 2>/dev/null; [ $? = 2 ] || { echo "FAIL bad key"; fail=1; }

# The KEYS section of lectern(1) is generated from the action table: it must not drift.
# Relevance finds an old paper by its title words among 1,500 newer matches, and the header says
# that the ranking scored a bounded set (s cycles date, upvotes, relevance: one dump of three is
# by relevance whatever the search's default sort).
python3 - "$T/rank.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    f.write(json.dumps({"id": "1706.00001", "title": "Sparse mixture routing for long documents",
                        "abstract": "We route tokens.", "published": "2017-06-01"}) + "\n")
    for i in range(1500):
        f.write(json.dumps({"id": "2501.%05d" % i, "title": "Vision study %d" % i,
                            "abstract": "Sparse mixture routing of long documents.",
                            "published": "2025-%02d-%02d" % (1 + i % 12, 1 + i % 28)}) + "\n")
PY
"$BIN" --db "$T/rank.db" import "$T/rank.jsonl" >/dev/null || { echo "import rank failed"; exit 1; }
printf '%s\n' '/ sparse <Space> mixture <Space> routing <Enter> <Idle> <Dump> s <Idle> <Dump> s <Idle> <Dump> s <Idle> <Dump>' >"$T/rank.keys"
"$BIN" --db "$T/rank.db" ui --headless --size 140x10 --keys "$T/rank.keys" --dump "$T/rank.out" 2>"$T/rank.err" ||
	{ echo "FAIL rank: exit status"; cat "$T/rank.err"; fail=1; }
# (the reader searches the last word as typed, `routing*`: a long prefix scores the newest 250)
grep -A1 'sort: relevance │ best of 250 newest + 1 by title · 1,501 match' "$T/rank.out" | grep -q 'Sparse mixture routing for long' ||
	{ echo "FAIL rank: the old paper is not first, or the bound is not said"; cat "$T/rank.out"; fail=1; }
# a prefix that begins more than 48 of the cache's words, typed alone, is searched in titles,
# authors and organisations, and the header says so; more letters search its words everywhere
python3 -c 'import json
for i in range(60):
    print(json.dumps({"id": "2501.%05d" % i, "title": ("Trust study %d" if i % 10 == 0 else "Vision study %d") % i,
                      "abstract": "A tr%s%s method." % (chr(97 + i // 26), chr(97 + i % 26)), "published": "2025-01-02"}))' >"$T/many.jsonl"
"$BIN" --db "$T/many.db" import "$T/many.jsonl" >/dev/null || { echo "import many failed"; exit 1; }
printf '%s\n' '/ t r <Idle> <Dump> a <Idle> <Dump>' >"$T/narrow.keys"
"$BIN" --db "$T/many.db" ui --headless --size 140x10 --keys "$T/narrow.keys" --dump "$T/narrow.out" 2>"$T/narrow.err" ||
	{ echo "FAIL narrow: exit status"; cat "$T/narrow.err"; fail=1; }
grep -q '/6 │ sort: .*tr\*: titles & authors only (type more) │ search: tr ' "$T/narrow.out" &&
	grep 'search: tra' "$T/narrow.out" | grep -q '/26 ' && ! grep 'search: tra' "$T/narrow.out" | grep -q 'titles & authors' ||
	{ echo "FAIL narrow: the header"; cat "$T/narrow.out"; fail=1; }
# the CLI on the same cache: --limit 0 is every match, ranked (not the 1,000 newest)
"$BIN" --db "$T/rank.db" list --query 'sparse mixture routing' --limit 0 >"$T/rank.list" || fail=1
[ "$(wc -l <"$T/rank.list")" -eq 1501 ] && head -n 1 "$T/rank.list" | grep -q 1706.00001 ||
	{ echo "FAIL rank: list --limit 0 is not every match ranked"; head -n 3 "$T/rank.list"; fail=1; }

# x hides the selected paper (it leaves the view, the header counts it), X lists the hidden
# papers, x there shows it again (the cache is as it was after this screen)
screen hidden 100x10 'a j j x <Dump> X <Dump> x <Dump> a <Dump>'

sed -n '/^\.\\" KEYS-BEGIN/,/^\.\\" KEYS-END/p' man/lectern.1 | sed '1d;$d' > "$T/keys.man"
"$BIN" ui --keys-mdoc > "$T/keys.gen"
diff -u "$T/keys.gen" "$T/keys.man" || { echo "FAIL man: KEYS section differs from 'lectern ui --keys-mdoc'"; fail=1; }

exit $fail
