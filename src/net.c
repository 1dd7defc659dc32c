/* net — HTTP GET over the libcurl multi interface (see net.h for the contract). */
#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "lectern/net.h"

struct net {
	CURLM *multi;
	struct net_limits lim;
	atomic_bool aborted;
};

/* One transfer's state, filled by the callbacks. */
struct xfer {
	struct net_response *r;
	struct sbuf body;
	int64_t max_body;
	bool too_big;
};

static pthread_once_t net_once = PTHREAD_ONCE_INIT;
static CURLcode net_global_rc = CURLE_OK;

static void net_global_init(void)
{
	net_global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

void net_response_clear(struct net_response *r)
{
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
	return n;
}

void net_free(struct net **np)
{
	if (!np || !*np)
		return;
	curl_multi_cleanup((*np)->multi);
	free(*np);
	*np = NULL;
}

void net_abort(struct net *n)
{
	if (!n)
		return;
	atomic_store(&n->aborted, true);
	curl_multi_wakeup(n->multi);   /* documented as callable from another thread */
}

bool net_aborted(const struct net *n)
{
	return atomic_load(&((struct net *)n)->aborted);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t n = size * nmemb;
	/* The cap applies to the decoded bytes, so a small gzip bomb cannot fill memory. */
	if ((int64_t)(x->body.len + n) > x->max_body) {
		x->too_big = true;
		return 0;
	}
	sbuf_add(&x->body, data, n);
	return n;
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
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_USERAGENT, NET_USER_AGENT);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");   /* every encoding curl supports */
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, n->lim.max_redirs);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, n->lim.connect_timeout);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, n->lim.timeout);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, n->lim.low_speed_time);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)n->lim.max_body);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
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

int net_get(struct net *n, const char *url, const char *etag, const char *last_modified,
            struct net_response *r, struct lerr *e)
{
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
	if (etag && *etag) {
		char *s = xasprintf("If-None-Match: %s", etag);
		hdrs = curl_slist_append(hdrs, s);
		free(s);
	}
	if (last_modified && *last_modified) {
		char *s = xasprintf("If-Modified-Since: %s", last_modified);
		hdrs = curl_slist_append(hdrs, s);
		free(s);
	}
	struct xfer x = { .r = r, .max_body = n->lim.max_body };
	char errbuf[CURL_ERROR_SIZE] = "";
	set_opts(h, n, url, hdrs, &x, errbuf);

	CURLcode rc = CURLE_OK;
	bool done = false, stopped = false;
	CURLMcode mc = curl_multi_add_handle(n->multi, h);
	if (mc != CURLM_OK) {
		rc = CURLE_FAILED_INIT;
		done = true;
		snprintf(errbuf, sizeof errbuf, "%s", curl_multi_strerror(mc));
	}
	while (!done) {
		int running = 0;
		mc = curl_multi_perform(n->multi, &running);
		CURLMsg *m;
		int left;
		while ((m = curl_multi_info_read(n->multi, &left))) {
			if (m->msg == CURLMSG_DONE && m->easy_handle == h) {
				rc = m->data.result;
				done = true;
			}
		}
		if (done)
			break;
		if (mc != CURLM_OK) {
			rc = CURLE_FAILED_INIT;
			snprintf(errbuf, sizeof errbuf, "%s", curl_multi_strerror(mc));
			break;
		}
		if (net_aborted(n)) {
			stopped = true;
			break;
		}
		/* Wakes on socket activity, curl's own timers, or net_abort(). */
		curl_multi_poll(n->multi, NULL, 0, 1000, NULL);
		if (net_aborted(n)) {
			stopped = true;
			break;
		}
	}

	int ret = 0;
	if (stopped) {
		lerr_set(e, LERR_NET, NET_ABORTED, "stopped");
		ret = -1;
	} else if (x.too_big) {
		lerr_set(e, LERR_IO, NET_TOO_BIG, "response from %s is larger than %lld bytes (set max-body)",
		         url, (long long)n->lim.max_body);
		ret = -1;
	} else if (rc != CURLE_OK) {
		curl_off_t ct = 0;
		bool connected = curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &ct) == CURLE_OK && ct > 0;
		long oserr = 0;
		curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &oserr);
		describe_failure(e, rc, errbuf, url, n, connected, (int)oserr);
		ret = -1;
	} else {
		long status = 0;
		curl_off_t ra = -1;
		char *eff = NULL;
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		if (curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
			r->retry_after = (int64_t)ra;
		curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &eff);
		r->status = status;
		r->final_url = xstrdup(eff ? eff : url);
		r->len = x.body.len;
		r->body = sbuf_steal(&x.body);
	}
	curl_multi_remove_handle(n->multi, h);
	curl_easy_cleanup(h);
	curl_slist_free_all(hdrs);
	sbuf_free(&x.body);
	if (ret)
		net_response_clear(r);
	return ret;
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
	double end = util_monotonic() + seconds;
	for (;;) {
		if (net_aborted(n))
			return -1;
		double left = end - util_monotonic();
		if (left <= 0)
			return 0;
		int ms = left > 1.0 ? 1000 : (int)(left * 1000.0) + 1;
		/* With no transfers this only waits: for the timeout or curl_multi_wakeup(). */
		curl_multi_poll(n->multi, NULL, 0, ms, NULL);
	}
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

bool net_is_arxiv_host(const char *url)
{
	char *host = net_url_host(url);
	size_t hl = host ? strlen(host) : 0;
	bool yes = (hl == 9 && strcmp(host, "arxiv.org") == 0) ||
	           (hl > 10 && strcmp(host + hl - 10, ".arxiv.org") == 0);
	free(host);
	return yes;
}
