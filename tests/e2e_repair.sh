#!/bin/sh
# End-to-end: a cache whose interior pages are overwritten — `check` exits 1 naming the damage;
# `repair` keeps the damaged file beside it and gives a cache that passes `check` with every
# favourite and note back: from the sync folder, and without one as far as the file is readable.
set -eu
. tests/cli.sh   # T, BIN, DATA, L, fail, expect

# 3000 papers with abstracts of realistic length: the papers table and its index span hundreds
# of pages, so overwriting pages in the middle of the file hits them
python3 - "$T/many.jsonl" <<'EOF'
import json, random, sys
random.seed(7)
words = ("model learning language training data neural network large graph diffusion agent "
         "reasoning vision transformer attention benchmark dataset robust efficient scaling "
         "sparse retrieval generation evaluation alignment policy reward").split()
with open(sys.argv[1], "w") as f:
    for i in range(3000):
        title = " ".join(random.choice(words) for _ in range(8)).capitalize()
        abstract = " ".join(random.choice(words) for _ in range(160)) + "."
        f.write(json.dumps({"id": "2401.%05d" % (i + 1), "title": title, "abstract": abstract,
                            "authors": ["Ann Able", "Bo Baker"], "published": "2024-01-%02d" % (i % 28 + 1),
                            "categories": ["cs.LG"]}) + "\n")
EOF
printf 'set sync-dir %s/dir\n' "$T" >"$T/cfg"
S() { "$BIN" --config "$T/cfg" --db "$T/s.db" "$@"; }   # with a sync folder
N() { "$BIN" --db "$T/n.db" "$@"; }                      # without
for x in S N; do
	expect 0 $x import "$T/many.jsonl"
	for i in 7 150 777 1500 2222 2999; do
		id=$(printf '2401.%05d' $i)
		expect 0 $x fav "$id"
		expect 0 $x note "$id" "note on paper $i"
	done
done
[ -s "$T/dir/$(ls "$T/dir" | head -1)" ] || fail "nothing was logged"

# the index's word list (a typed prefix of 4+ letters is searched as its words) has lost words:
# the prefix would miss papers; check names it, repair rebuilds it
N list --query "retr*" --limit 0 --format json >"$T/want"
[ "$(wc -l <"$T/want")" -gt 100 ] || fail "retr* finds too little: $(wc -l <"$T/want")"
sqlite3 "$T/n.db" "DELETE FROM fts_terms WHERE term = 'retrieval'"
expect 1 N check
grep -q "word list misses 1 of its words" "$T/err" || fail "check of the word list: $(cat "$T/err")"
expect 0 N repair
expect 0 N check
N list --query "retr*" --limit 0 --format json >"$T/got"
cmp -s "$T/want" "$T/got" || fail "retr* after repair: $(wc -l <"$T/got") of $(wc -l <"$T/want")"
rm -f "$T"/n.db.damaged-*
expect 0 S check
grep -q "is sound" "$T/out" || fail "check of a sound cache: $(cat "$T/out")"

# overwrite interior pages (8 KiB pages) with garbage, as a failing disk would
damage() {
	size=$(wc -c <"$1")
	[ "$size" -gt $((200 * 8192)) ] || fail "the cache is too small to damage: $size"
	python3 - "$1" <<'EOF'
import os, random, sys
random.seed(11)
with open(sys.argv[1], "r+b") as f:
    for page in (40, 41, 42, 90, 150):
        f.seek(page * 8192)
        f.write(bytes(random.getrandbits(8) for _ in range(8192)))
EOF
}
damage "$T/s.db"
damage "$T/n.db"

for x in S N; do
	expect 1 $x check
	grep -q "check: SQLite integrity_check: " "$T/err" || fail "$x: check does not name the damage: $(cat "$T/err")"
	grep -q "is damaged; \`lectern repair\`" "$T/err" || fail "$x: check's advice: $(cat "$T/err")"
	expect 0 $x repair
	grep -q "the damaged cache was kept as .*\.damaged-" "$T/out" || fail "$x: repair output: $(cat "$T/out")"
	grep -q "is sound" "$T/out" || fail "$x: the repaired cache does not pass check: $(cat "$T/out" "$T/err")"
	ls "$T"/*.db.damaged-* >/dev/null || fail "$x: the damaged file was not kept"
	expect 0 $x check
	$x list --favourites --format json >"$T/favs"
	[ "$(wc -l <"$T/favs")" = 6 ] || fail "$x: favourites after repair: $(cat "$T/favs")"
	for i in 7 150 777 1500 2222 2999; do
		id=$(printf '2401.%05d' $i)
		grep -q "\"id\":\"$id\"" "$T/favs" || fail "$x: favourite $id lost"
		$x note "$id" >"$T/note"
		grep -qx "note on paper $i" "$T/note" || fail "$x: the note of $id lost: $(cat "$T/note")"
	done
	# the search index was rebuilt and agrees with the papers saved
	expect 0 $x list --query "note" --limit 0
done

# a cache whose first pages are gone: nothing in it is readable; the sync folder alone brings
# every favourite (titles included) and note back
python3 - "$T/s.db" <<'EOF'
import sys
with open(sys.argv[1], "r+b") as f:
    f.write(bytes(8192 * 3))
EOF
expect 1 S check
grep -q "cannot be opened" "$T/err" || fail "check of a headless cache: $(cat "$T/err")"
expect 0 S repair
grep -q "sync: .* [1-9][0-9]* changed this cache" "$T/out" || fail "no replay: $(cat "$T/out")"
S list --favourites >"$T/favs"
[ "$(wc -l <"$T/favs")" = 6 ] || fail "favourites from the folder: $(cat "$T/favs")"
grep -q "2401.02999  [A-Z][a-z]" "$T/favs" || fail "no title from the folder: $(cat "$T/favs")"
for i in 7 150 777 1500 2222 2999; do
	S note "$(printf '2401.%05d' $i)" >"$T/note"
	grep -qx "note on paper $i" "$T/note" || fail "the note of $i from the folder: $(cat "$T/note")"
done
echo ok
