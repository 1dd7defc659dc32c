/* net — HTTP GETs over one libcurl multi handle, many at once, abortable from another thread.
 *
 * A client owns one multi handle and a driver thread (started by the first request) that runs
 * every transfer in it. Any number of threads may call net_get()/net_fetch() at once: each call
 * queues its transfer and sleeps until the driver hands it back, so the transfers of all callers
 * run in parallel over one event loop. net_abort() sets a flag and calls curl_multi_wakeup();
 * the driver then ends every transfer in flight, and later calls fail at once.
 *
 * Bodies are kept in memory up to NET_SPOOL_BYTES; a larger one goes to an unlinked temporary
 * file, handed back memory-mapped (r->mapped), so a big listing costs page cache, not heap.
 *
 * TLS verification is always on; only http and https are allowed (also for redirects); proxies
 * come from the environment (curl's default). Thread-safe. */
#ifndef LECTERN_NET_H
#define LECTERN_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lectern/util.h"

struct net;

struct net_limits {
	long timeout;           /* seconds a whole transfer may take (0: 60) */
	long connect_timeout;   /* seconds to connect (0: min(timeout, 15)) */
	long low_speed_time;    /* abort when below 1 KB/s for this many seconds (0: min(timeout, 20)) */
	int64_t max_body;       /* decoded body cap in bytes (0: 64 MiB) */
	long max_redirs;        /* redirects followed (0: 5) */
};

struct net_response {
	long status;            /* HTTP status of the final response, 0 when none arrived */
	char reason[64];        /* its reason phrase ("Not Found"), may be empty */
	char *body;             /* NUL-terminated (the NUL is not counted in len); never NULL on 0 */
	size_t len;
	char *etag;             /* validators sent by the server, NULL when absent */
	char *last_modified;
	char *content_type;
	int64_t retry_after;    /* seconds from Retry-After (either form), -1 when absent */
	char *final_url;        /* after redirects */
	bool mapped;            /* body is a mapping of a spooled file (net_response_clear unmaps) */
	int64_t written;        /* net_req.out_fd: bytes written to it by this transfer */
	bool resumed;           /* net_req.out_fd: the server sent the rest (206), the file was kept */
};
enum { NET_SPOOL_BYTES = 4 << 20 };
void net_response_clear(struct net_response *r);

/* Creates a client. Returns NULL with *e set when curl cannot be initialised. */
struct net *net_new(const struct net_limits *lim, struct lerr *e);
void net_free(struct net **n);     /* NULL-safe; sets *n = NULL */

/* GET url (r is overwritten, not freed: clear it between calls). etag / last_modified (may be NULL) are sent as If-None-Match / If-Modified-Since.
 * Returns 0 when a response arrived (any status: the caller interprets it; the body is kept
 * whatever the status), or -1 with *e set and r cleared:
 *   LERR_NET  connection failure, timeout, TLS problem, truncated body, redirect loop, aborted;
 *             e->code is the CURLcode (NET_ABORTED when net_abort() was called; a timeout
 *             before any connection was made is reported as CURLE_COULDNT_CONNECT)
 *   LERR_IO   body larger than max_body (e->code = NET_TOO_BIG) */
enum { NET_ABORTED = -100, NET_TOO_BIG = -101 };
int net_get(struct net *n, const char *url, const char *etag, const char *last_modified,
            struct net_response *r, struct lerr *e);

/* What a request may add to a plain GET (zero-initialise, then set out_fd = -1 or a file). */
struct net_req {
	const char *etag, *last_modified;   /* sent as If-None-Match / If-Modified-Since */
	double deadline;        /* util_monotonic() time the transfer is cut at (0: none); the
	                         * failure is then a timeout */
	long timeout;           /* seconds for the whole transfer (0: the client's; -1: none, the
	                         * low-speed limit still applies) */
	int out_fd;             /* >= 0: a 2xx body is written to this file (as sent, not decoded,
	                         * no max_body cap) instead of memory; other statuses stay in memory */
	int64_t resume_from;    /* with out_fd: asks for the bytes from here (Range); a server that
	                         * sends the whole body instead has the file truncated first */
	/* Called on the driver thread while a body is written to out_fd: bytes in the file so far,
	 * and the full size (0 when unknown). Must not block. */
	void (*progress)(void *ctx, int64_t have, int64_t total);
	void *ctx;
};
/* net_get with the options in q (NULL: none). Same results; LERR_IO also when writing to
 * q->out_fd failed (e->code = errno). */
int net_fetch(struct net *n, const char *url, const struct net_req *q, struct net_response *r,
              struct lerr *e);

/* True when a failed net_get is worth retrying (connection, timeout, cut-off transfer); false
 * for an abort, a body over the cap, a redirect loop, a bad URL, a TLS verification failure or
 * a host name (or proxy) that does not resolve. */
bool net_retryable(const struct lerr *e);

/* True when a failed net_get never reached the server: its name (or the proxy's) does not
 * resolve, or nothing accepted the connection (refused, or no answer within the connect
 * timeout). The next request to the same host would most likely fail the same way. */
bool net_unreachable(const struct lerr *e);

/* The host part of url, lower-case, without a trailing '.' (caller frees); NULL when url does
 * not parse. */
char *net_url_host(const char *url);
/* The port written in url (caller frees), NULL when it names none. */
char *net_url_port(const char *url);

/* Sleeps for `seconds` (interruptible by net_abort; any thread). Returns 0, or -1 when aborted. */
int net_sleep(struct net *n, double seconds);

/* Thread-safe: makes the current and every later net_get / net_sleep fail promptly. */
void net_abort(struct net *n);
bool net_aborted(const struct net *n);

/* True when url's host is arxiv.org or a subdomain of it. */
bool net_is_arxiv_host(const char *url);

/* The User-Agent sent with every request. */
#define NET_USER_AGENT "lectern/" LECTERN_VERSION " (+https://github.com/lectern-reader/lectern)"

#endif
