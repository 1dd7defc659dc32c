#!/bin/sh
# End-to-end OAI-PMH harvests (`source arxiv-oai`) against tests/server.py's /oai, built from the
# real arXivRaw page (tests/data/http/oai/): token paging with arXiv's spacing, a deleted record
# (withdrawn, user state kept), the next run asking `from`, a 503 + Retry-After mid-harvest, an
# interrupted harvest resumed (a budget; a killed process), an expired token, each OAI error.
set -eu
T=$TMPDIR_TEST
BIN=$LECTERN_BIN

. tests/server.sh   # starts the server: $B, $PIDS, reap
fail() { echo "FAIL: $*" >&2; exit 1; }

# conf NAME OAI-PATH [LINE...]: a config harvesting all of arXiv from $B/OAI-PATH
conf() {
	f="$T/$1.conf"; u=$2; shift 2
	{
		echo "set arxiv-oai-url $B/$u"
		echo "set arxiv-delay 300"
		echo "set timeout 3"
		echo "set max-tries 2"
		echo "source arxiv-oai name oai"
		for l in "$@"; do echo "$l"; done
	} >"$f"
	echo "$f"
}
# paths: the request paths the server saw since the log was emptied, one a line
paths() { sed -n 's/.*"path": "\([^"]*\)".*"status": \([0-9]*\).*/\2 \1/p' "$T/server.log"; }
q() { sqlite3 "$T/$1" "$2"; }

# ---- one harvest: two pages along the token, 3 s apart by default, a deleted record ------------
c=$(conf main oai "set arxiv-delay 3000")
# first the 2024-03-05 window alone (a one-off: no checkpoint), then a favourite and a note
"$BIN" --db "$T/h.db" --config "$c" fetch oai --date 2024-03-05 >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "date"; }
grep -q "oai: 1 page, 3 papers" "$T/err" || { cat "$T/err"; fail "date report"; }
[ "$(q h.db 'select count(*) from harvest')" = 0 ] || fail "--date wrote a checkpoint"
paths | grep -q "^200 /oai?verb=ListRecords&metadataPrefix=arXivRaw&from=2024-03-05&until=2024-03-05$" || { paths; fail "date request"; }
"$BIN" --db "$T/h.db" fav 1907.01743 >/dev/null
"$BIN" --db "$T/h.db" note 1907.01743 "segmentation baseline" >/dev/null
: >"$T/server.log"
"$BIN" --db "$T/h.db" --config "$c" fetch oai >"$T/out" 2>"$T/err" || { cat "$T/out" "$T/err"; fail "harvest"; }
grep -q "1 source: 1 new, 0 updated, 0 failed" "$T/out" || { cat "$T/out"; fail "harvest summary"; }
grep -q "oai: 2 pages, 4 papers, 1 withdrawn; up to date to 2024-03-06" "$T/err" || { cat "$T/err"; fail "harvest report"; }
paths >"$T/p"
[ "$(sed -n 1p "$T/p")" = "200 /oai?verb=ListRecords&metadataPrefix=arXivRaw" ] || { cat "$T/p"; fail "first page"; }
# the token goes back verbatim (its own %XX encoded once more)
[ "$(sed -n 2p "$T/p")" = "200 /oai?verb=ListRecords&resumptionToken=verb%253DListRecords%2526metadataPrefix%253DarXivRaw%2526skip%253D3" ] || { cat "$T/p"; fail "token page"; }
python3 - "$T/server.log" <<'EOF' || fail "arXiv's spacing: pages less than 3 s apart"
import json, sys
t = [json.loads(l)["t"] for l in open(sys.argv[1])]
sys.exit(0 if len(t) == 2 and t[1] - t[0] >= 2.95 else 1)
EOF
[ "$(q h.db 'select count(*) from papers')" = 4 ] || fail "papers"
[ "$(q h.db "select id from papers where withdrawn")" = 1907.01743 ] || fail "withdrawn"
# withdrawn: kept with its text and user state, and said in show and list
"$BIN" --db "$T/h.db" show 1907.01743 >"$T/show"
grep -q "^withdrawn  *by arXiv (its record was deleted)" "$T/show" || { cat "$T/show"; fail "show withdrawn"; }
grep -q "Deep Attentive Features" "$T/show" && grep -q "favourite" "$T/show" && grep -q "segmentation baseline" "$T/show" || { cat "$T/show"; fail "user state"; }
"$BIN" --db "$T/h.db" list --query "id:1907.01743" | grep -q "1907.01743  \[withdrawn\] Deep Attentive" || fail "list withdrawn"
"$BIN" --db "$T/h.db" show math/9602216 >"$T/show"
grep -q "^id  *math/9602216v3" "$T/show" && grep -q "^published  *1996-02-15" "$T/show" && grep -q "^updated  *2024-03-03" "$T/show" || { cat "$T/show"; fail "versions"; }
! grep -q withdrawn "$T/show" || fail "a live paper shown withdrawn"
[ "$(q h.db "select group_concat(a.name || ' (' || a.affiliation || ')', ', ') from paper_authors a join papers p on p.pk = a.paper where p.id = 'astro-ph/0601001'")" = "Andrew Gould (Ohio State), Susan Dorsher (Ohio State), B. Scott Gaudi (CfA), Andrzej Udalski (Warsaw University Observatory)" ] || fail "authors"
[ "$(q h.db "select token is null, datestamp from harvest where source = 'oai'")" = "1|2024-03-06" ] || fail "checkpoint after a complete list"
echo "ok  token paging, 3 s spacing, a deleted record"

# ---- the next run asks only from the last datestamp ---------------------------------------------
c=$(conf main oai)
: >"$T/server.log"
"$BIN" --db "$T/h.db" --config "$c" fetch oai >"$T/out" 2>"$T/err" || fail "second"
[ "$(paths)" = "200 /oai?verb=ListRecords&metadataPrefix=arXivRaw&from=2024-03-06" ] || { paths; fail "second asks from"; }
grep -q "oai: 1 page, 1 paper, 1 withdrawn" "$T/err" || { cat "$T/err"; fail "second report"; }
# nothing after it: noRecordsMatch is no failure
q h.db "update harvest set datestamp = '2024-03-07'"
"$BIN" --db "$T/h.db" --config "$c" fetch oai >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "noRecordsMatch failed"; }
grep -q "oai: 1 page, 0 papers: nothing new" "$T/err" || { cat "$T/err"; fail "noRecordsMatch report"; }
echo "ok  next run asks from the datestamp; noRecordsMatch is nothing new"

# ---- a set: only its records -------------------------------------------------------------------
c=$(conf set oai "source arxiv-oai physics:astro-ph name astro")
"$BIN" --db "$T/s.db" --config "$c" fetch astro >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "set"; }
[ "$(q s.db 'select id from papers')" = astro-ph/0601001 ] || fail "set papers"
grep -q "set=physics%3Aastro-ph" "$T/server.log" || fail "set parameter"
echo "ok  a set"

# ---- 503 + Retry-After in the middle: waited out ---------------------------------------------
c=$(conf flow m/503once-a/oai)
: >"$T/server.log"
"$BIN" --db "$T/f.db" --config "$c" fetch oai >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "503"; }
grep -q "oai: 2 pages, 4 papers" "$T/err" || { cat "$T/err"; fail "503 report"; }
paths | awk '{print $1}' | tr '\n' ' ' | grep -q "^200 503 200 $" || { paths; fail "503 sequence"; }
python3 - "$T/server.log" <<'EOF' || fail "Retry-After: 1 was not waited out"
import json, sys
t = [json.loads(l)["t"] for l in open(sys.argv[1])]
sys.exit(0 if t[2] - t[1] >= 0.95 else 1)
EOF
echo "ok  503 + Retry-After waited out"

# ---- interrupted: a budget stops after a page, the next run resumes with the token ----------------
c=$(conf budget oai "set harvest-budget 1" "set arxiv-delay 1500")
: >"$T/server.log"
"$BIN" --db "$T/b.db" --config "$c" fetch oai >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "budget"; }
grep -q "oai: 1 page, 3 papers; harvest-budget 1s reached: resumes next run" "$T/err" || { cat "$T/err"; fail "budget report"; }
[ "$(paths | wc -l)" -eq 1 ] || fail "budget: more than one request"
[ "$(q b.db "select token is not null from harvest")" = 1 ] || fail "budget: no token kept"
c=$(conf budget oai)
: >"$T/server.log"
"$BIN" --db "$T/b.db" --config "$c" fetch oai >"$T/out" 2>"$T/err" || fail "resume"
paths | sed -n 1p | grep -q "^200 /oai?verb=ListRecords&resumptionToken=" || { paths; fail "resume did not use the token"; }
grep -q "oai: 1 page, 1 paper, 1 withdrawn; up to date to 2024-03-06" "$T/err" || { cat "$T/err"; fail "resume report"; }
[ "$(q b.db 'select count(*) from papers')" = 4 ] || fail "resume papers"
echo "ok  a budget stops a harvest; the next run resumes"

# ---- interrupted: the process is killed while it waits for page 2 ----------------------------------
c=$(conf kill m/hangonce-k/oai "set timeout 60")
: >"$T/server.log"
"$BIN" --db "$T/k.db" --config "$c" fetch oai >"$T/out" 2>"$T/err" &
pid=$!; PIDS="$PIDS $pid"
i=0; while ! grep -q resumptionToken "$T/server.log" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
grep -q resumptionToken "$T/server.log" || fail "kill: page 2 never asked"
kill -KILL "$pid"; reap "$pid" || true
[ "$(q k.db 'select count(*) from papers')" = 3 ] || fail "kill: page 1 lost"
[ "$(q k.db "select token is not null from harvest")" = 1 ] || fail "kill: checkpoint lost"
: >"$T/server.log"
"$BIN" --db "$T/k.db" --config "$c" fetch oai >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "kill resume"; }
[ "$(paths | wc -l)" -eq 1 ] && paths | grep -q "^200 /m/hangonce-k/oai?verb=ListRecords&resumptionToken=" || { paths; fail "kill resume request"; }
[ "$(q k.db 'select count(*) from papers')" = 4 ] || fail "kill resume papers"
echo "ok  a killed harvest resumes from its checkpoint"

# ---- an expired token: asked again from the last datestamp ------------------------------------------
c=$(conf expire m/expireonce-e/oai)
: >"$T/server.log"
"$BIN" --db "$T/e.db" --config "$c" fetch oai >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "expire"; }
grep -q "the resumption token had expired: asked again from 2024-03-05" "$T/err" || { cat "$T/err"; fail "expire report"; }
paths | sed -n 3p | grep -q "metadataPrefix=arXivRaw&from=2024-03-05$" || { paths; fail "expire fallback request"; }
[ "$(q e.db 'select count(*) from papers')" = 4 ] || fail "expire papers"
# a one-off window (--since) starts over from its own day, and keeps no checkpoint
c=$(conf expire3 m/expireonce-s/oai)
: >"$T/server.log"
"$BIN" --db "$T/e3.db" --config "$c" fetch oai --since 2024-03-05 >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "expire since"; }
paths | sed -n 3p | grep -q "metadataPrefix=arXivRaw&from=2024-03-05$" || { paths; fail "expire since: fallback request"; }
[ "$(q e3.db 'select count(*) from papers')" = 4 ] && [ "$(q e3.db 'select count(*) from harvest')" = 0 ] || fail "expire since: papers or checkpoint"
# a token that keeps failing: one fallback, then a clear failure (the pages stay)
c=$(conf expire2 m/expire/oai)
set +e; "$BIN" --db "$T/e2.db" --config "$c" fetch oai >"$T/out" 2>"$T/err"; rc=$?; set -e
[ $rc -eq 1 ] && grep -q "OAI-PMH error badResumptionToken: Invalid token" "$T/err" || { cat "$T/err"; fail "expire twice"; }
[ "$(q e2.db 'select count(*) from papers')" = 3 ] || fail "expire twice: page kept"
echo "ok  an expired token falls back to from=datestamp"

# ---- each OAI error: a clear message, exit 1, nothing stored -----------------------------------------
for code in badArgument badVerb cannotDisseminateFormat idDoesNotExist noMetadataFormats noSetHierarchy; do
	c=$(conf "err$code" "m/err-$code/oai")
	set +e; "$BIN" --db "$T/x.db" --config "$c" fetch oai >"$T/out" 2>"$T/err"; rc=$?; set -e
	[ $rc -eq 1 ] && grep -q "oai: .*OAI-PMH error $code: Simulated error. from $B/m/err-$code/oai?verb=ListRecords" "$T/err" || { cat "$T/err"; fail "$code"; }
	[ "$(q x.db 'select count(*) from papers')" = 0 ] || fail "$code stored papers"
done
grep -q "check the set in" "$T/err" || fail "noSetHierarchy hint"
c=$(conf badset oai "source arxiv-oai nosuch name bad")
set +e; "$BIN" --db "$T/x.db" --config "$c" fetch bad >"$T/out" 2>"$T/err"; rc=$?; set -e
[ $rc -eq 1 ] && grep -q "OAI-PMH error badArgument: Invalid set: nosuch .*check the set in \`source arxiv-oai\`" "$T/err" || { cat "$T/err"; fail "bad set"; }
c=$(conf slow m/429long/oai)
set +e; "$BIN" --db "$T/x.db" --config "$c" fetch oai >"$T/out" 2>"$T/err"; rc=$?; set -e
[ $rc -eq 1 ] && grep -q "HTTP 429 from .*: the server asks to wait 100000 s; try again later" "$T/err" || { cat "$T/err"; fail "Retry-After too long"; }
c=$(conf http404 nosuch)
set +e; "$BIN" --db "$T/x.db" --config "$c" fetch oai >"$T/out" 2>"$T/err"; rc=$?; set -e
[ $rc -eq 1 ] && grep -q "HTTP 404 Not Found from $B/nosuch?verb=ListRecords&metadataPrefix=arXivRaw: check \`set arxiv-oai-url\`" "$T/err" || { cat "$T/err"; fail "404"; }
echo "ok  OAI errors"

# ---- config ---------------------------------------------------------------------------------------
printf 'source arxiv-oai cs math\n' >"$T/bad.conf"
set +e; "$BIN" --db "$T/x.db" --config "$T/bad.conf" sources >"$T/out" 2>"$T/err"; rc=$?; set -e
grep -q "bad.conf:1: usage: source arxiv-oai \[SET\]" "$T/err" || { cat "$T/err"; fail "two sets"; }
printf 'source arxiv-oai "cs&x=1"\n' >"$T/bad.conf"
set +e; "$BIN" --db "$T/x.db" --config "$T/bad.conf" sources >"$T/out" 2>"$T/err"; set -e
grep -q "is not an OAI-PMH set" "$T/err" || { cat "$T/err"; fail "bad set word"; }
echo "ok  config"

# ---- the reader: a background harvest is bounded by 10 minutes a cycle when harvest-budget is unset
# (arXiv's turn for page 2 would come after 11.7 minutes: the harvest stops after page 1 at once)
c=$(conf reader oai "set arxiv-delay 700000" "set start-view all")
printf '%s\n' 'R <Wait> <Dump>' >"$T/r.keys"
LC_ALL=C.UTF-8 timeout 60 "$BIN" --db "$T/r.db" --config "$c" ui --headless --fetch --size 160x10 --keys "$T/r.keys" --dump "$T/r.out" 2>"$T/err" || { cat "$T/err"; fail "reader"; }
[ "$(q r.db 'select count(*) from papers')" = 3 ] && [ "$(q r.db "select token is not null from harvest")" = 1 ] || fail "reader: not stopped after page 1"
grep -q "Fetched: 3 new, 0 updated (1 source)" "$T/r.out" || { cat "$T/r.out"; fail "reader: status"; }
echo "ok  the reader bounds a harvest to 10 minutes a cycle"
