#!/bin/sh
# End-to-end tests of the reader through its headless mode: scripted keys, screens dumped as text
# and compared with tests/data/ui/*.screen (UPDATE=1 rewrites them). Run from the repo root with
# $LECTERN_BIN and $TMPDIR_TEST set (tests/run.sh does).
set -u
BIN=${LECTERN_BIN:?}
T=${TMPDIR_TEST:?}
DATA=tests/data/ui
export LECTERN_NOW=2025-11-26 LC_ALL=C.UTF-8 NO_COLOR=
unset BROWSER
DB=$T/papers.db
fail=0

"$BIN" --db "$DB" import "$DATA/papers.jsonl" >/dev/null || { echo "import failed"; exit 1; }

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
# Side by side at 140, 160, 200 and 250 columns: the list gets ~58 % (titles readable).
screen widths 140x8 '<Dump> <Resize 160x8> <Dump> <Resize 200x8> <Dump> <Resize 250x8> <Dump>'
# Narrow: the detail takes the screen; resizing keeps the selection and the open detail.
screen narrow 70x20 'j <Dump> <Enter> <Dump> <Resize 150x20> <Dump> <Resize 30x6> <Dump> <Resize 70x20> h <Dump>'
# Moving: end, page, top, mouse; the sort cycles.
screen move 100x16 'G <Dump> <PgUp> <Dump> g <C-d> <Dump> s <Dump> <Click 3 10> <Dump>'
# Search as you type, Enter keeps, Esc restores the previous view and selection.
screen search 100x16 'j j j / s c a l <Dump> i n g <Space> a u d i o <Dump> <Enter> <Dump> <Esc> <Dump> / a u : <Dump> <Esc>'
# Re-opening a kept search re-edits its text as typed (the implicit prefix star is not text):
# "scal" kept, then / appends "ing vis" -> "scaling vis" (vision papers); / Esc keeps it, Esc clears.
screen research 100x12 '/ s c a l <Enter> <Dump> / <Dump> i n g <Space> v i s <Dump> <Enter> <Dump> / <Esc> <Dump> <Esc> <Dump>'
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

# The detail shows every field a paper has: listings (where it came from), the updated date when
# the first version's is unknown, comment, journal ref, DOI, submitter, GitHub stars, keywords.
"$BIN" --db "$T/detail.db" import "$DATA/detail.jsonl" >/dev/null || { echo "import detail failed"; exit 1; }
MAIN_DB=$DB DB=$T/detail.db
screen detail 70x34 '<Enter> <Dump> h j <Enter> <Dump>'
# the list dates an undated paper by its earliest listing day (the store's row.date)
screen detaillist 100x8 '<Dump>'
DB=$MAIN_DB

# A long author list is cut to 3 lines ("… and N more"), the distinct affiliations (capped at 2
# lines) and the organisation stay visible; A shows every author, A again cuts the list.
"$BIN" --db "$T/authors.db" import "$DATA/authors.jsonl" >/dev/null || { echo "import authors failed"; exit 1; }
DB=$T/authors.db
screen authors 80x20 '<Enter> <Dump> A <Dump> A <Resize 160x20> <Dump>'
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
mkdir -p "$XDG_CONFIG_HOME/lectern/themes"
CONF=$XDG_CONFIG_HOME/lectern/config
cat > "$CONF" <<'EOC'
set refresh soon
bind x no-such-action
bind <Nope> quit
bind Q help
theme no-such-theme
color cursor red nocolour
color unread green default bold
EOC
printf '<Dump> Q G <Dump>\n' > "$T/cfgerr.keys"
# Wide, and matched with line breaks folded, so the length of the temporary path cannot move
# where a message wraps.
"$BIN" --db "$DB" ui --headless --size 220x14 --keys "$T/cfgerr.keys" --dump "$T/cfgerr.out" 2>&1
tr -s ' \n' '  ' <"$T/cfgerr.out" >"$T/cfgerr.flat"
for want in "5 config errors (? lists them): $CONF:1: refresh: expected" \
	"Configuration errors (those lines were ignored)" "$CONF:1: refresh: expected a duration" \
	"$CONF:2: unknown action 'no-such-action'" "$CONF:3: unknown key '<Nope>'" \
	"$CONF:5: theme 'no-such-theme' not found" "using the dark theme" \
	"$CONF:6: bad colour 'nocolour'" "lectern — keys"; do
	grep -qF "$want" "$T/cfgerr.flat" || { echo "FAIL cfgerr: no '$want'"; cat "$T/cfgerr.out"; fail=1; }
done
printf 'theme broken\n' > "$CONF"
printf 'color cursor red blue\ncolour list red blue\ncolor title red blue blink\n' > "$XDG_CONFIG_HOME/lectern/themes/broken.theme"
screen cfgtheme 200x12 '? G <Dump>'
printf 'set browser "%s/stub.sh --new %%u"\nbind x no-such-action\n' "$T" > "$CONF"
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
printf 'bind x open-code\n' >> "$CONF"
sed -i '2d' "$CONF"
# paper 2511.00005 is the 9th row; its code link holds ; $() and a %20
printf 'G g <Down> <Down> <Down> <Down> <Down> <Down> <Down> <Down> x <Sleep 300> <Dump>\n' > "$T/open.keys"
"$BIN" --db "$DB" ui --headless --size 100x12 --keys "$T/open.keys" --dump "$T/open.out" 2>&1
i=0; while [ ! -f "$T/argv" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
printf -- '--new\nhttps://example.com/x;echo$(id)?q=a%%20b&r=1\n' > "$T/argv.want"
if ! diff -u "$T/argv.want" "$T/argv"; then echo "FAIL open: argv differs"; fail=1; else echo "ok   open"; fi
[ ! -e "$T/pwned" ] || { echo "FAIL open: a shell ran"; fail=1; }
# a javascript: link is refused with a message
printf 'g <Down> <Down> <Down> <Down> <Down> <Down> <Down> <Down> P <Dump>\n' > "$T/js.keys"
"$BIN" --db "$DB" ui --headless --size 100x12 --keys "$T/js.keys" --dump "$T/js.out" 2>&1
grep -q 'only http and https links are opened' "$T/js.out" || { echo "FAIL js: not refused"; cat "$T/js.out"; fail=1; }
# a browser that does not exist: the failure shows in the status line
printf 'set browser "/nonexistent/browser"\n' > "$CONF"
printf 'o <Dump>\n' > "$T/nob.keys"
"$BIN" --db "$DB" ui --headless --size 100x12 --keys "$T/nob.keys" --dump "$T/nob.out" 2>&1
grep -q 'cannot start /nonexistent/browser' "$T/nob.out" || { echo "FAIL nobrowser"; cat "$T/nob.out"; fail=1; }
rm -f "$CONF"

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
grep -A1 'sort: relevance │ best of 1,000 newest + 1 by title · 1,501 match' "$T/rank.out" | grep -q 'Sparse mixture routing for long' ||
	{ echo "FAIL rank: the old paper is not first, or the bound is not said"; cat "$T/rank.out"; fail=1; }
# the CLI on the same cache: --limit 0 is every match, ranked (not the 1,000 newest)
"$BIN" --db "$T/rank.db" list --query 'sparse mixture routing' --limit 0 >"$T/rank.list" || fail=1
[ "$(wc -l <"$T/rank.list")" -eq 1501 ] && head -n 1 "$T/rank.list" | grep -q 1706.00001 ||
	{ echo "FAIL rank: list --limit 0 is not every match ranked"; head -n 3 "$T/rank.list"; fail=1; }

sed -n '/^\.\\" KEYS-BEGIN/,/^\.\\" KEYS-END/p' man/lectern.1 | sed '1d;$d' > "$T/keys.man"
"$BIN" ui --keys-mdoc > "$T/keys.gen"
diff -u "$T/keys.gen" "$T/keys.man" || { echo "FAIL man: KEYS section differs from 'lectern ui --keys-mdoc'"; fail=1; }

exit $fail
