/* net — HTTP GETs over one libcurl multi handle, driven by a thread of its own (see net.h). */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "lectern/net.h"

/* One transfer: filled by the callbacks on the driver thread, read by its caller once `done`. */
struct xfer {
	CURL *h;
	struct net_response *r;
	const struct net_req *q;
	struct sbuf body;
	FILE *spool;              /* the body so far, once it outgrew NET_SPOOL_BYTES */
	int64_t max_body;
	int64_t written;          /* bytes given to q->out_fd */
	bool too_big, io_error;
	int io_errno;
	bool out_started;         /* the first body byte for q->out_fd was seen */
	int64_t base;             /* bytes already on disk before this transfer's (206: resume_from) */
	bool done, stopped;
	CURLcode rc;
	struct xfer *next;        /* the queue of transfers to add */
};

struct net {
	CURLM *multi;             /* touched by the driver thread only */
	struct net_limits lim;
	atomic_bool aborted;
	pthread_mutex_t mu;       /* guards what follows */
	pthread_cond_t cv;        /* broadcast when a transfer is done, or on abort */
	struct xfer *add_q;       /* new transfers, added to the multi handle by the driver */
	struct xfer **active;     /* transfers in the multi handle */
	size_t n_active;
	bool driver_up, quit;
	pthread_t driver;
};

static pthread_once_t net_once = PTHREAD_ONCE_INIT;
static CURLcode net_global_rc = CURLE_OK;

static void net_global_init(void)
{
	net_global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

void net_response_clear(struct net_response *r)
{
	if (r->mapped)
		munmap(r->body, r->len + 1);
	else
		free(r->body);
	free(r->etag);
	free(r->last_modified);
	free(r->content_type);
	free(r->final_url);
	memset(r, 0, sizeof *r);
	r->retry_after = -1;
}

struct net *net_new(const struct net_limits *lim, struct lerr *e)
{
	pthread_once(&net_once, net_global_init);
	if (net_global_rc != CURLE_OK) {
		lerr_set(e, LERR_NET, (int)net_global_rc, "cannot initialise libcurl: %s",
		         curl_easy_strerror(net_global_rc));
		return NULL;
	}
	struct net *n = xcalloc(1, sizeof *n);
	n->multi = curl_multi_init();
	if (!n->multi) {
		free(n);
		lerr_set(e, LERR_NET, 0, "cannot initialise libcurl");
		return NULL;
	}
	if (lim)
		n->lim = *lim;
	if (n->lim.timeout <= 0)
		n->lim.timeout = 60;
	if (n->lim.connect_timeout <= 0)
		n->lim.connect_timeout = n->lim.timeout < 15 ? n->lim.timeout : 15;
	if (n->lim.low_speed_time <= 0)
		n->lim.low_speed_time = n->lim.timeout < 20 ? n->lim.timeout : 20;
	if (n->lim.max_body <= 0)
		n->lim.max_body = (int64_t)64 << 20;
	if (n->lim.max_redirs <= 0)
		n->lim.max_redirs = 5;
	atomic_init(&n->aborted, false);
	pthread_mutex_init(&n->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&n->cv, &ca);
	pthread_condattr_destroy(&ca);
	return n;
}

void net_free(struct net **np)
{
	if (!np || !*np)
		return;
	struct net *n = *np;
	pthread_mutex_lock(&n->mu);
	n->quit = true;
	pthread_cond_broadcast(&n->cv);
	bool up = n->driver_up;
	pthread_mutex_unlock(&n->mu);
	if (up) {
		curl_multi_wakeup(n->multi);
		pthread_join(n->driver, NULL);
	}
	curl_multi_cleanup(n->multi);
	pthread_mutex_destroy(&n->mu);
	pthread_cond_destroy(&n->cv);
	free(n->active);
	free(n);
	*np = NULL;
}

void net_abort(struct net *n)
{
	if (!n)
		return;
	atomic_store(&n->aborted, true);
	pthread_mutex_lock(&n->mu);
	pthread_cond_broadcast(&n->cv);   /* ends net_sleep */
	pthread_mutex_unlock(&n->mu);
	curl_multi_wakeup(n->multi);      /* documented as callable from another thread */
}

bool net_aborted(const struct net *n)
{
	return atomic_load(&((struct net *)n)->aborted);
}

/* Moves a memory body that outgrew NET_SPOOL_BYTES to an (unlinked) temporary file. */
static bool spool_add(struct xfer *x, const char *data, size_t n)
{
	if (!x->spool) {
		if (x->body.len + n <= NET_SPOOL_BYTES) {
			sbuf_add(&x->body, data, n);
			return true;
		}
		x->spool = tmpfile();
		if (!x->spool || (x->body.len && fwrite(x->body.s, 1, x->body.len, x->spool) != x->body.len))
			goto fail;
		sbuf_free(&x->body);
	}
	if (fwrite(data, 1, n, x->spool) == n)
		return true;
fail:
	x->io_error = true;
	x->io_errno = errno;
	return false;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t n = size * nmemb;
	long status = 0;
	curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &status);
	if (x->q->out_fd >= 0 && status >= 200 && status < 300) {
		if (!x->out_started) {
			x->out_started = true;
			x->base = status == 206 ? x->q->resume_from : 0;
			/* asked for the rest, given the whole: start the file over */
			if (x->q->resume_from > 0 && status != 206 &&
			    (ftruncate(x->q->out_fd, 0) != 0 || lseek(x->q->out_fd, 0, SEEK_SET) < 0)) {
				x->io_error = true;
				x->io_errno = errno;
				return 0;
			}
		}
		for (size_t off = 0; off < n;) {
			ssize_t w = write(x->q->out_fd, data + off, n - off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				x->io_error = true;
				x->io_errno = w < 0 ? errno : ENOSPC;
				return 0;
			}
			off += (size_t)w;
		}
		x->written += (int64_t)n;
		return n;
	}
	/* The cap applies to the decoded bytes, so a small gzip bomb cannot fill memory or disk. */
	if ((int64_t)(x->body.len + n) > x->max_body ||
	    (x->spool && ftello(x->spool) + (int64_t)n > x->max_body)) {
		x->too_big = true;
		return 0;
	}
	return spool_add(x, data, n) ? n : 0;
}

static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
	struct xfer *x = ud;
	(void)ultotal; (void)ulnow;
	if (x->q->progress && x->out_started)
		x->q->progress(x->q->ctx, x->base + (int64_t)dlnow, dltotal > 0 ? x->base + (int64_t)dltotal : 0);
	return 0;
}

static char *header_value(const char *line, size_t len, const char *name)
{
	size_t nl = strlen(name);
	if (len <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
		return NULL;
	const char *v = line + nl + 1, *end = line + len;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && isspace((unsigned char)end[-1]))
		end--;
	return end > v ? xstrndup(v, (size_t)(end - v)) : NULL;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t n = size * nmemb;
	char *v;

	if (n > 5 && strncmp(data, "HTTP/", 5) == 0) {
		/* A new response (after a redirect or 100 Continue): forget the previous headers. */
		free(x->r->etag);
		free(x->r->last_modified);
		free(x->r->content_type);
		x->r->etag = x->r->last_modified = x->r->content_type = NULL;
		x->r->reason[0] = '\0';
		const char *p = memchr(data, ' ', n);
		if (p && (p = memchr(p + 1, ' ', (size_t)(data + n - p - 1)))) {
			const char *end = data + n;
			p++;
			while (end > p && isspace((unsigned char)end[-1]))
				end--;
			size_t rl = (size_t)(end - p);
			if (rl >= sizeof x->r->reason)
				rl = sizeof x->r->reason - 1;
			memcpy(x->r->reason, p, rl);
			x->r->reason[rl] = '\0';
		}
	} else if ((v = header_value(data, n, "ETag"))) {
		free(x->r->etag);
		x->r->etag = v;
	} else if ((v = header_value(data, n, "Last-Modified"))) {
		free(x->r->last_modified);
		x->r->last_modified = v;
	} else if ((v = header_value(data, n, "Content-Type"))) {
		free(x->r->content_type);
		x->r->content_type = v;
	}
	return n;
}

static void set_opts(CURL *h, const struct net *n, const char *url, struct curl_slist *hdrs,
                     struct xfer *x, char *errbuf)
{
	const struct net_req *q = x->q;
	long timeout_ms = q->timeout < 0 ? 0 : (q->timeout > 0 ? q->timeout : n->lim.timeout) * 1000L;
	if (q->deadline > 0) {
		/* the source's deadline cuts a transfer (and its connect) short */
		double left = q->deadline - util_monotonic();
		long ms = left > 0.001 ? (long)(left * 1000.0) : 1;
		if (!timeout_ms || ms < timeout_ms)
			timeout_ms = ms;
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_USERAGENT, NET_USER_AGENT);
	/* a download to a file is stored as sent: a PDF must not be decoded twice */
	if (q->out_fd < 0)
		curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");   /* every encoding curl supports */
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, n->lim.max_redirs);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, n->lim.connect_timeout);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, n->lim.low_speed_time);
	if (q->out_fd < 0)
		curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)n->lim.max_body);
	if (q->out_fd >= 0 && q->resume_from > 0)
		curl_easy_setopt(h, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)q->resume_from);
	if (q->progress) {
		curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
		curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(h, CURLOPT_XFERINFODATA, x);
	}
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_PRIVATE, x);
	if (hdrs)
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
}

static void describe_failure(struct lerr *e, CURLcode rc, const char *errbuf, const char *url,
                             const struct net *n, bool connected, int os_errno)
{
	const char *why = errbuf[0] ? errbuf : curl_easy_strerror(rc);
	char *host = net_url_host(url);
	const char *h = host ? host : url;
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		/* The usual face of "no network": say so first (the text may be cut to a status line). */
		lerr_set(e, LERR_NET, (int)rc, "cannot resolve %s: are you offline? (fetching %s)", h, url);
		break;
	case CURLE_COULDNT_RESOLVE_PROXY:
		lerr_set(e, LERR_NET, (int)rc, "cannot resolve the proxy: are you offline? (%s; check the "
		         "http_proxy/https_proxy environment variables)", why);
		break;
	case CURLE_COULDNT_CONNECT:
		lerr_set(e, LERR_NET, (int)rc, "cannot connect to %s: %s (fetching %s)", h,
		         os_errno ? strerror(os_errno) : why, url);
		break;
	case CURLE_OPERATION_TIMEDOUT:
		if (!connected) {
			/* Nothing answered at all (packets dropped, a dead route): that is a failure to
			 * connect, and reported as one so that callers treat the host as unreachable. */
			lerr_set(e, LERR_NET, CURLE_COULDNT_CONNECT,
			         "cannot connect to %s: no answer within %lds (fetching %s)", h,
			         n->lim.connect_timeout, url);
			break;
		}
		lerr_set(e, LERR_NET, (int)rc, "timed out fetching %s (%s; limit %lds, set timeout)",
		         url, why, n->lim.timeout);
		break;
	case CURLE_TOO_MANY_REDIRECTS:
		lerr_set(e, LERR_NET, (int)rc, "too many redirects (a loop?) fetching %s", url);
		break;
	case CURLE_PARTIAL_FILE:
		lerr_set(e, LERR_NET, (int)rc, "response from %s was cut off (%s)", url, why);
		break;
	case CURLE_FILESIZE_EXCEEDED:
		lerr_set(e, LERR_IO, NET_TOO_BIG, "response from %s is larger than %lld bytes (set max-body)",
		         url, (long long)n->lim.max_body);
		break;
	default:
		lerr_set(e, LERR_NET, (int)rc, "cannot fetch %s: %s", url, why);
	}
	free(host);
}

/* Marks x done (called by the driver with n->mu held, x already out of the multi handle). */
static void finish(struct net *n, struct xfer *x, CURLcode rc, bool stopped)
{
	x->rc = rc;
	x->stopped = stopped;
	x->done = true;
	pthread_cond_broadcast(&n->cv);
}

/* The driver: adds queued transfers, runs the multi handle, and hands finished transfers back.
 * Runs until net_free(); on net_abort() it ends every transfer as stopped. */
static void *driver(void *arg)
{
	struct net *n = arg;
	for (;;) {
		pthread_mutex_lock(&n->mu);
		if (n->quit && !n->n_active && !n->add_q) {
			pthread_mutex_unlock(&n->mu);
			break;
		}
		bool stop = net_aborted(n) || n->quit;
		while (n->add_q) {
			struct xfer *x = n->add_q;
			n->add_q = x->next;
			CURLMcode mc = stop ? CURLM_OK : curl_multi_add_handle(n->multi, x->h);
			if (stop || mc != CURLM_OK) {
				finish(n, x, CURLE_FAILED_INIT, stop);
				continue;
			}
			n->active = xreallocarray(n->active, n->n_active + 1, sizeof *n->active);
			n->active[n->n_active++] = x;
		}
		if (stop) {
			for (size_t i = 0; i < n->n_active; i++) {
				curl_multi_remove_handle(n->multi, n->active[i]->h);
				finish(n, n->active[i], CURLE_ABORTED_BY_CALLBACK, true);
			}
			n->n_active = 0;
		}
		pthread_mutex_unlock(&n->mu);
		if (stop) {
			/* wait for net_free() or more transfers to refuse */
			pthread_mutex_lock(&n->mu);
			while (!n->quit && !n->add_q)
				pthread_cond_wait(&n->cv, &n->mu);
			pthread_mutex_unlock(&n->mu);
			continue;
		}
		int running = 0;
		CURLMcode mc = curl_multi_perform(n->multi, &running);
		CURLMsg *m;
		int left;
		pthread_mutex_lock(&n->mu);
		while ((m = curl_multi_info_read(n->multi, &left))) {
			if (m->msg != CURLMSG_DONE)
				continue;
			struct xfer *x = NULL;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
			CURLcode rc = m->data.result;
			curl_multi_remove_handle(n->multi, m->easy_handle);
			for (size_t i = 0; i < n->n_active; i++)
				if (n->active[i] == x) {
					n->active[i] = n->active[--n->n_active];
					break;
				}
			if (x)
				finish(n, x, rc, false);
		}
		if (mc != CURLM_OK) {   /* the multi handle is broken: fail what runs */
			for (size_t i = 0; i < n->n_active; i++) {
				curl_multi_remove_handle(n->multi, n->active[i]->h);
				finish(n, n->active[i], CURLE_FAILED_INIT, false);
			}
			n->n_active = 0;
		}
		pthread_mutex_unlock(&n->mu);
		/* Wakes on socket activity, curl's own timers, a new transfer or net_abort(). */
		curl_multi_poll(n->multi, NULL, 0, 1000, NULL);
	}
	return NULL;
}

/* Hands x to the driver (starting it the first time) and waits until it is done. */
static int run_xfer(struct net *n, struct xfer *x, struct lerr *e)
{
	pthread_mutex_lock(&n->mu);
	if (!n->driver_up) {
		int rc = pthread_create(&n->driver, NULL, driver, n);
		if (rc) {
			pthread_mutex_unlock(&n->mu);
			lerr_set(e, LERR_NET, 0, "cannot start the network thread: %s", strerror(rc));
			return -1;
		}
		n->driver_up = true;
	}
	x->next = NULL;
	struct xfer **tail = &n->add_q;
	while (*tail)
		tail = &(*tail)->next;
	*tail = x;
	pthread_cond_broadcast(&n->cv);
	pthread_mutex_unlock(&n->mu);
	curl_multi_wakeup(n->multi);
	pthread_mutex_lock(&n->mu);
	while (!x->done)
		pthread_cond_wait(&n->cv, &n->mu);
	pthread_mutex_unlock(&n->mu);
	return 0;
}

/* The spooled body, mapped (with a NUL after it) instead of read back into memory. */
static int map_spool(struct xfer *x, struct net_response *r)
{
	size_t len = (size_t)ftello(x->spool);
	if (fputc('\0', x->spool) == EOF || fflush(x->spool) != 0)
		return -1;
	void *m = mmap(NULL, len + 1, PROT_READ | PROT_WRITE, MAP_PRIVATE, fileno(x->spool), 0);
	if (m == MAP_FAILED)
		return -1;
	r->body = m;
	r->len = len;
	r->mapped = true;
	return 0;
}

int net_fetch(struct net *n, const char *url, const struct net_req *q, struct net_response *r,
              struct lerr *e)
{
	static const struct net_req plain = { .out_fd = -1 };
	if (!q)
		q = &plain;
	memset(r, 0, sizeof *r);
	r->retry_after = -1;
	if (net_aborted(n)) {
		lerr_set(e, LERR_NET, NET_ABORTED, "stopped");
		return -1;
	}
	CURL *h = curl_easy_init();
	if (!h) {
		lerr_set(e, LERR_NET, 0, "cannot create a curl handle");
		return -1;
	}
	struct curl_slist *hdrs = NULL;
	if (q->etag && *q->etag) {
		char *s = xasprintf("If-None-Match: %s", q->etag);
		hdrs = curl_slist_append(hdrs, s);
		free(s);
	}
	if (q->last_modified && *q->last_modified) {
		char *s = xasprintf("If-Modified-Since: %s", q->last_modified);
		hdrs = curl_slist_append(hdrs, s);
		free(s);
	}
	struct xfer x = { .h = h, .r = r, .q = q, .max_body = n->lim.max_body };
	char errbuf[CURL_ERROR_SIZE] = "";
	set_opts(h, n, url, hdrs, &x, errbuf);
	int ret = run_xfer(n, &x, e);
	if (ret == 0 && x.stopped) {
		lerr_set(e, LERR_NET, NET_ABORTED, "stopped");
		ret = -1;
	} else if (ret == 0 && x.too_big) {
		lerr_set(e, LERR_IO, NET_TOO_BIG, "response from %s is larger than %lld bytes (set max-body)",
		         url, (long long)n->lim.max_body);
		ret = -1;
	} else if (ret == 0 && x.io_error) {
		lerr_set(e, LERR_IO, x.io_errno, "cannot write the response from %s: %s", url,
		         strerror(x.io_errno));
		ret = -1;
	} else if (ret == 0 && x.rc != CURLE_OK) {
		curl_off_t ct = 0;
		bool connected = curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &ct) == CURLE_OK && ct > 0;
		long oserr = 0;
		curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &oserr);
		describe_failure(e, x.rc, errbuf, url, n, connected, (int)oserr);
		ret = -1;
	} else if (ret == 0) {
		long status = 0;
		curl_off_t ra = -1;
		char *eff = NULL;
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		if (curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
			r->retry_after = (int64_t)ra;
		curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &eff);
		r->status = status;
		r->final_url = xstrdup(eff ? eff : url);
		r->written = x.written;
		r->resumed = x.out_started && x.base > 0;
		if (x.spool && map_spool(&x, r) < 0) {
			lerr_set(e, LERR_IO, errno, "cannot read back the response from %s: %s", url,
			         strerror(errno));
			ret = -1;
		} else if (!x.spool) {
			r->len = x.body.len;
			r->body = sbuf_steal(&x.body);
		}
	}
	curl_easy_cleanup(h);
	curl_slist_free_all(hdrs);
	sbuf_free(&x.body);
	if (x.spool)
		fclose(x.spool);   /* a mapping outlives its file */
	if (ret)
		net_response_clear(r);
	return ret;
}

int net_get(struct net *n, const char *url, const char *etag, const char *last_modified,
            struct net_response *r, struct lerr *e)
{
	struct net_req q = { .etag = etag, .last_modified = last_modified, .out_fd = -1 };
	return net_fetch(n, url, &q, r, e);
}

bool net_retryable(const struct lerr *e)
{
	if (e->kind != LERR_NET || e->code == NET_ABORTED)
		return false;
	switch ((CURLcode)e->code) {
	/* A name that does not resolve now will not resolve a second later: the resolver has
	 * already asked its servers (with their own retries). Retrying only made an offline
	 * start wait through the whole backoff. */
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_TOO_MANY_REDIRECTS:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_FILESIZE_EXCEEDED:
	case CURLE_FAILED_INIT:
		return false;
	default:
		return true;
	}
}

int net_sleep(struct net *n, double seconds)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	double end = (double)until.tv_sec + (double)until.tv_nsec / 1e9 + (seconds > 0 ? seconds : 0);
	until.tv_sec = (time_t)end;
	until.tv_nsec = (long)((end - (double)until.tv_sec) * 1e9);
	pthread_mutex_lock(&n->mu);
	int rc = 0;
	while (!net_aborted(n) && pthread_cond_timedwait(&n->cv, &n->mu, &until) != ETIMEDOUT)
		;
	rc = net_aborted(n) ? -1 : 0;
	pthread_mutex_unlock(&n->mu);
	return rc;
}

bool net_unreachable(const struct lerr *e)
{
	if (e->kind != LERR_NET)
		return false;
	switch ((CURLcode)e->code) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
		return true;
	default:
		return false;
	}
}

char *net_url_host(const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL, *out = NULL;
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && host) {
		size_t hl = strlen(host);
		while (hl && host[hl - 1] == '.')   /* "arxiv.org." is the same host */
			hl--;
		out = xstrndup(host, hl);
		for (char *p = out; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	}
	curl_free(host);
	curl_url_cleanup(u);
	return out;
}

char *net_url_port(const char *url)
{
	CURLU *u = curl_url();
	char *port = NULL, *out = NULL;
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK && port)
		out = xstrdup(port);
	curl_free(port);
	curl_url_cleanup(u);
	return out;
}

bool net_is_arxiv_host(const char *url)
{
	char *host = net_url_host(url);
	size_t hl = host ? strlen(host) : 0;
	bool yes = (hl == 9 && strcmp(host, "arxiv.org") == 0) ||
	           (hl > 10 && strcmp(host + hl - 10, ".arxiv.org") == 0);
	free(host);
	return yes;
}
