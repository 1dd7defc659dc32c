#!/usr/bin/env python3
"""Loopback HTTP server for lectern's fetch tests (Python 3 standard library only).

Usage: server.py [--root DIR] [--log FILE] [--exit-on-eof]
Binds 127.0.0.1 on a free port, prints the port on the first line of stdout, then serves until
killed (or, with --exit-on-eof, until its stdin reaches end of file: a test that gives it a pipe
whose write end it holds cannot leave it behind, even when it crashes). Every request is appended to --log as one JSON line:
  {"t": <monotonic seconds>, "path": "...", "ua": ..., "inm": If-None-Match, "ims": If-Modified-Since,
   "ae": Accept-Encoding, "range": Range, "status": <int>}

Content routes (files under --root, default tests/data/http):
  /api/daily_papers?date=D&limit=L&p=P
                                hf/D.json (or D.json.gz), items [P*L, P*L+L) (L: default 50, at
                                most 100, like Hugging Face), or [] when absent or past the end
  /rss/SPEC                     rss/SPEC.xml (or SPEC.xml.gz, served decompressed), else 404
  /api/query?id_list=IDS        api/id_<slug(IDS)>.xml, or an empty feed
  /api/query?search_query=Q&start=S&max_results=M
                                api/<slug(Q)>.xml sliced to entries [S, S+M) (sorted newest
                                first, opensearch counts rewritten), or an empty feed
  /feed/NAME                    feed/NAME (any file, served as is)
  /oai?verb=ListRecords&...     arXiv's OAI-PMH endpoint over the records of oai/*.xml: pages of
                                3 records ordered by datestamp, from/until/set, resumptionTokens
                                holding the query and skip=N (arXiv's form), errors with status
                                200 in arXiv's template (badVerb, badArgument,
                                cannotDisseminateFormat, badResumptionToken, noRecordsMatch)
  /pdf/NAME                     a made-up PDF of 300 KB (the same bytes for the same NAME), with
                                Range: bytes=N- answered 206
Content is served with an ETag and Last-Modified; a matching If-None-Match (or, without one, an
If-Modified-Since not older than the file) gets 304.

Fault prefixes: /m/MODE/<content route> applies MODE to that route:
  404 | 500                    always that status
  500once-TAG | 429once-TAG    the first request (per TAG and path) fails (429 has Retry-After: 1),
                               later ones get the content
  429date-TAG                  as 429once, with Retry-After as an HTTP date 2 s ahead
  429long                      always 429 with Retry-After: 100000
  trunc                        Content-Length larger than the body, then the connection closes
  hang                         reads the request and never answers
  delay                        the content, one second late
  trickle                      headers, then one byte per second
  gzip                         Content-Encoding: gzip
  html                         an HTML page with status 200
  badxml                       the content cut in half, sent with a correct Content-Length
  oversize                     4 MiB of XML
  loop                         302 to itself
  redir                        302 to the same route without the prefix
  nopage                       Daily Papers: p is ignored (every page is the first)
  endless                      Daily Papers: every page is full, with new made-up ids
  failp1                       Daily Papers: 500 for every page after the first
  evilreason                   404 whose reason phrase carries terminal escape sequences
  503once-TAG                  OAI: the first request with a resumptionToken gets 503 with
                               Retry-After: 1 (arXiv's flow control)
  expire | expireonce-TAG      OAI: every (the first) resumptionToken is badResumptionToken
  hangonce-TAG                 OAI: the first request with a resumptionToken never gets an answer
  err-CODE                     OAI: always the error CODE
  cutonce-TAG                  /pdf/: the first request (per TAG and path) sends half the body
                               and closes the connection; later ones are served (Range too)
  slowpdf                      /pdf/: the body in 10 pieces, 0.3 s apart
"""
import argparse
import email.utils
import gzip
import hashlib
import json
import os
import re
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = None
LOG = None
LOG_LOCK = threading.Lock()
SEEN = set()
SEEN_LOCK = threading.Lock()
MTIME = 1781222400  # 2026-06-12T00:00:00Z: a fixed Last-Modified for every file

EMPTY_FEED = b"""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/empty</id>
  <title>arXiv Query: empty</title>
  <updated>2026-06-14T00:00:00Z</updated>
  <opensearch:itemsPerPage>10</opensearch:itemsPerPage>
  <opensearch:totalResults>0</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
</feed>
"""


def slug(q):
    return re.sub(r"[^A-Za-z0-9]+", "_", q).strip("_")


def read_file(rel):
    path = os.path.join(ROOT, rel)
    if os.path.isfile(path):
        with open(path, "rb") as f:
            return f.read()
    if os.path.isfile(path + ".gz"):
        with gzip.open(path + ".gz", "rb") as f:
            return f.read()
    return None


def api_slice(body, start, count):
    text = body.decode("utf-8")
    first = text.find("<entry>")
    if first < 0:
        return body
    head = text[:first]
    entries = re.findall(r"[ \t]*<entry>.*?</entry>\s*", text, re.S)
    def published(e):
        m = re.search(r"<published>([^<]+)</published>", e)
        return m.group(1) if m else ""
    entries.sort(key=published, reverse=True)
    total = len(entries)
    page = entries[start:start + count]
    head = re.sub(r"(<opensearch:totalResults[^>]*>)\d+", r"\g<1>%d" % total, head)
    head = re.sub(r"(<opensearch:startIndex[^>]*>)\d+", r"\g<1>%d" % start, head)
    head = re.sub(r"(<opensearch:itemsPerPage[^>]*>)\d+", r"\g<1>%d" % count, head)
    return (head + "".join(page) + "</feed>\n").encode("utf-8")


def daily_papers(qs, mode):
    date = qs.get("date", [""])[0]
    if date and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        return 400, "application/json", b'{"error":"invalid date"}'
    try:
        limit = min(100, max(1, int(qs.get("limit", ["50"])[0])))
        page = max(0, int(qs.get("p", ["0"])[0]))
    except ValueError:
        return 400, "application/json", b'{"error":"bad limit or p"}'
    if mode == "nopage":
        page = 0
    if mode == "failp1" and page > 0:
        return 500, "text/plain", b"Internal Server Error\n"
    body = read_file("hf/%s.json" % date) if date else None
    items = json.loads(body) if body is not None else []
    if mode == "endless":
        src = items or [{"paper": {"id": "x", "title": "x", "authors": []}}]
        items = []
        for i in range(limit):
            it = json.loads(json.dumps(src[i % len(src)]))
            it["paper"]["id"] = "2607.%05d" % (page * limit + i)
            items.append(it)
    elif body is not None and page == 0 and len(items) <= limit:
        return 200, "application/json; charset=utf-8", body   # the recording's own bytes
    else:
        items = items[page * limit:(page + 1) * limit]
    return 200, "application/json; charset=utf-8", json.dumps(items, ensure_ascii=False).encode("utf-8")


OAI_PAGE = 3


def oai_records():
    """[(datestamp, id, xml)] of every record in oai/*.xml, ordered by datestamp then id."""
    recs = []
    for name in ("listrecords-arxivraw.xml", "more-records.xml"):
        body = read_file("oai/" + name)
        for m in re.finditer(r"[ \t]*<record>.*?</record>\s*", body.decode("utf-8"), re.S):
            rec = m.group(0)
            ds = re.search(r"<datestamp>([^<]+)</datestamp>", rec).group(1)
            ident = re.search(r"<identifier>([^<]+)</identifier>", rec).group(1)
            sets = re.findall(r"<setSpec>([^<]+)</setSpec>", rec)
            recs.append((ds, ident, sets, rec))
    recs.sort(key=lambda r: (r[0], r[1]))
    return recs


def oai_envelope(args, inner):
    """A response in the shape of the real page (its head up to <ListRecords>, arXiv's template)."""
    body = read_file("oai/listrecords-arxivraw.xml").decode("utf-8")
    head = body[:body.index("<request")]
    req = "<request%s>http://oaipmh.arxiv.org/oai</request>" % "".join(
        ' %s="%s"' % (k, v.replace("&", "&amp;").replace('"', "&quot;")) for k, v in sorted(args.items()))
    return (head + req + "\n" + inner + "\n</OAI-PMH>\n").encode("utf-8")


def oai_error(args, code, text):
    return 200, "text/xml", oai_envelope(args, "    <error code='%s'>%s</error>" % (code, text))


def oai(qs, mode):
    args = {k: v[0] for k, v in qs.items()}
    if mode and mode.startswith("err-"):
        return oai_error(args, mode[4:], "Simulated error.")
    if args.get("verb") != "ListRecords":
        return oai_error(args, "badVerb", "Invalid verb provided")
    token = args.get("resumptionToken")
    if token is not None:
        if len(args) != 2:
            return oai_error(args, "badArgument", "resumptionToken is an exclusive argument")
        if mode == "expire" or (mode and mode.startswith("expireonce-") and first_time(mode, "token")):
            return oai_error(args, "badResumptionToken", "Invalid token")
        q = dict(urllib.parse.parse_qsl(urllib.parse.unquote(token)))
        if q.get("verb") != "ListRecords" or "skip" not in q:
            return oai_error(args, "badResumptionToken", "Invalid token")
        skip = int(q.pop("skip"))
    else:
        q, skip = dict(args), 0
    prefix = q.get("metadataPrefix")
    if prefix is None:
        return oai_error(args, "badArgument", "metadataPrefix required")
    if prefix != "arXivRaw":
        return oai_error(args, "cannotDisseminateFormat", "Did not recognize requested format")
    for k in ("from", "until"):
        if k in q and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", q[k]):
            return oai_error(args, "badArgument", "Invalid date format")
    want = q.get("set")
    if want and not re.fullmatch(r"(cs|math|physics|eess|q-bio|q-fin|stat|econ)(:[A-Za-z.-]+)*", want):
        return oai_error(args, "badArgument", "Invalid set: %s" % want)
    recs = [r for r in oai_records()
            if r[0] >= q.get("from", "0000") and r[0] <= q.get("until", "9999")
            and (not want or any(s == want or s.startswith(want + ":") for s in r[2]))]
    if not recs:
        return oai_error(args, "noRecordsMatch", "No records match the request")
    page = recs[skip:skip + OAI_PAGE]
    if skip + OAI_PAGE < len(recs):
        nq = dict(q)
        nq["skip"] = str(skip + OAI_PAGE)
        tok = "<resumptionToken expirationDate='2026-09-15T00:00:00Z'>%s</resumptionToken>" % \
            urllib.parse.quote(urllib.parse.urlencode(nq), safe="")
    else:
        tok = "<resumptionToken/>"
    inner = "    <ListRecords>\n%s        %s\n    </ListRecords>" % ("".join(r[3] for r in page), tok)
    return 200, "text/xml", oai_envelope(args, inner)


def first_time(*key):
    with SEEN_LOCK:
        first = key not in SEEN
        SEEN.add(key)
    return first


def content(route, mode=None):
    """Returns (status, content_type, body) for a content route."""
    u = urllib.parse.urlsplit(route)
    qs = urllib.parse.parse_qs(u.query)
    if u.path == "/api/daily_papers":
        return daily_papers(qs, mode)
    if u.path.startswith("/rss/"):
        spec = urllib.parse.unquote(u.path[5:])
        body = read_file("rss/%s.xml" % spec) if "/" not in spec and spec else None
        if body is None:
            return 404, "text/plain", b"Not Found\n"
        return 200, "application/rss+xml; charset=utf-8", body
    if u.path == "/api/query" and "id_list" in qs:
        body = read_file("api/id_%s.xml" % slug(qs["id_list"][0]))
        return 200, "application/atom+xml; charset=utf-8", body if body is not None else EMPTY_FEED
    if u.path == "/api/query":
        q = qs.get("search_query", [""])[0]
        start = int(qs.get("start", ["0"])[0] or 0)
        count = int(qs.get("max_results", ["10"])[0] or 10)
        body = read_file("api/%s.xml" % slug(q)) if slug(q) else None
        if body is None:
            return 200, "application/atom+xml; charset=utf-8", EMPTY_FEED
        return 200, "application/atom+xml; charset=utf-8", api_slice(body, start, count)
    if u.path == "/oai":
        return oai(qs, mode)
    if u.path.startswith("/feed/"):
        name = u.path[6:]
        body = read_file("feed/%s" % name) if "/" not in name and name else None
        if body is None:
            return 404, "text/plain", b"Not Found\n"
        return 200, "application/xml", body
    return 404, "text/plain", b"Not Found\n"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def log_request_line(self, status):
        if not LOG:
            return
        rec = {"t": time.monotonic(), "path": self.path, "ua": self.headers.get("User-Agent"),
               "inm": self.headers.get("If-None-Match"), "ims": self.headers.get("If-Modified-Since"),
               "ae": self.headers.get("Accept-Encoding"), "range": self.headers.get("Range"),
               "status": status}
        with LOG_LOCK, open(LOG, "a") as f:
            f.write(json.dumps(rec) + "\n")

    def send(self, status, ctype, body, extra=None, length=None):
        self.log_request_line(status)
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path
        mode = None
        m = re.match(r"/m/([^/]+)(/.*)", path)
        if m:
            mode, path = m.group(1), m.group(2)
        try:
            self.serve(mode, path)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def pdf(self, mode, route):
        name = route[5:]
        seed = hashlib.sha256(name.encode()).digest()
        body = b"%PDF-1.4\n" + (seed * (300 * 1024 // len(seed))) + b"\n%%EOF\n"
        start = 0
        rng = self.headers.get("Range")
        m = re.fullmatch(r"bytes=(\d+)-", rng or "")
        if m:
            start = int(m.group(1))
            if start >= len(body):
                self.log_request_line(416)
                self.send_response(416)
                self.send_header("Content-Range", "bytes */%d" % len(body))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        part = body[start:]
        status = 206 if m else 200
        cut = False
        if mode and mode.startswith("cutonce-"):
            key = (mode, route)
            with SEEN_LOCK:
                cut = key not in SEEN
                SEEN.add(key)
        self.log_request_line(status)
        self.send_response(status)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(len(part)))
        if m:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, len(body) - 1, len(body)))
        self.end_headers()
        if cut:
            self.wfile.write(part[: len(part) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if mode == "slowpdf":
            step = len(part) // 10 + 1
            for i in range(0, len(part), step):
                self.wfile.write(part[i:i + step])
                self.wfile.flush()
                time.sleep(0.3)
            return
        self.wfile.write(part)

    def serve(self, mode, route):
        if route.startswith("/pdf/") and mode != "html" and mode not in ("404", "500"):
            return self.pdf(mode, route)
        if mode in ("404", "500"):
            st = int(mode)
            return self.send(st, "text/plain", b"error\n")
        if mode and re.fullmatch(r"(500once|429once|429date)-.+", mode):
            key = (mode, route)
            with SEEN_LOCK:
                first = key not in SEEN
                SEEN.add(key)
            if first:
                if mode.startswith("500"):
                    return self.send(500, "text/plain", b"Internal Server Error\n")
                ra = "1" if mode.startswith("429once") else email.utils.formatdate(time.time() + 2, usegmt=True)
                return self.send(429, "text/plain", b"Too Many Requests\n", {"Retry-After": ra})
        if mode and mode.startswith("503once-") and "resumptionToken=" in route and \
                first_time(mode, "503"):
            return self.send(503, "text/plain", b"Retry later\n", {"Retry-After": "1"})
        if mode and mode.startswith("hangonce-") and "resumptionToken=" in route and \
                first_time(mode, "hang"):
            mode = "hang"
        if mode == "evilreason":
            self.log_request_line(404)
            self.send_response(404, "\x1b]0;pwned\x07Not \x1b[31mFound\x1b[0m")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if mode == "429long":
            return self.send(429, "text/plain", b"slow down\n", {"Retry-After": "100000"})
        if mode == "delay":   # answer normally, one second late (a test can see "in progress")
            time.sleep(1)
            mode = ""
        if mode == "hang":
            self.log_request_line(0)
            time.sleep(120)
            self.close_connection = True
            return
        if mode == "loop":
            return self.send(302, "text/plain", b"", {"Location": self.path})
        if mode == "redir":
            return self.send(302, "text/plain", b"", {"Location": route})
        if mode == "html":
            return self.send(200, "text/html", b"<!DOCTYPE html>\n<html><head><title>Login</title></head>"
                             b"<body><p>Please sign in.</p></body></html>\n")
        if mode == "oversize":
            item = b"<item><title>x</title><description>" + b"y" * 1000 + b"</description></item>\n"
            body = b"<?xml version='1.0'?><rss version='2.0'><channel><title>big</title>\n" + \
                item * (4 * 1024) + b"</channel></rss>\n"
            return self.send(200, "application/rss+xml", body)

        status, ctype, body = content(route, mode)
        extra = {}
        if status == 200:
            etag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
            lm = email.utils.formatdate(MTIME, usegmt=True)
            extra = {"ETag": etag, "Last-Modified": lm}
            inm = self.headers.get("If-None-Match")
            ims = self.headers.get("If-Modified-Since")
            fresh = False
            if inm is not None:
                fresh = etag in [t.strip() for t in inm.split(",")]
            elif ims is not None:
                try:
                    fresh = email.utils.parsedate_to_datetime(ims).timestamp() >= MTIME
                except (TypeError, ValueError):
                    fresh = False
            if fresh:
                self.log_request_line(304)
                self.send_response(304)
                for k, v in extra.items():
                    self.send_header(k, v)
                self.end_headers()
                return
        if mode == "trunc":
            self.log_request_line(status)
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body) + 1000))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if mode == "trickle":
            self.log_request_line(status)
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for i in range(len(body)):
                self.wfile.write(body[i:i + 1])
                self.wfile.flush()
                time.sleep(1)
            return
        if mode == "badxml":
            body = body[: len(body) // 2]
        if mode == "gzip":
            body = gzip.compress(body)
            extra["Content-Encoding"] = "gzip"
        self.send(status, ctype, body, extra)


def main():
    global ROOT, LOG
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--root", default=os.path.join(here, "data", "http"))
    ap.add_argument("--log")
    ap.add_argument("--exit-on-eof", action="store_true")
    a = ap.parse_args()
    ROOT, LOG = a.root, a.log
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    print(srv.server_address[1], flush=True)
    if a.exit_on_eof:
        def watch():
            while sys.stdin.buffer.read(4096):
                pass
            os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
