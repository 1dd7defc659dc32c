/* fetch — sources -> HTTP requests -> parser -> store, one transaction per response.
 * The synchronous entry point (fetch_run) and the pieces the background thread
 * reuses (fetch_int.h). */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "lectern/feed.h"
#include "lectern/query.h"
#include "lectern/text.h"
#include "fetch_int.h"
#include "harvest.h"

enum {
	BACKOFF_CAP = 60,
	QUERY_PAGE = 100,            /* arXiv API page size while refreshing a query source */
	HF_PAGE = 100,               /* Daily Papers page size (the API's largest limit) */
};

/* A page cap setting (0: none) as a bound for a page loop. */
static long page_cap(int setting)
{
	return setting > 0 ? setting : LONG_MAX;
}

/* One source in one run (or one remote search): what its thread keeps. */
struct run {
	struct fetch_env *env;
	const char *name;
	double deadline;          /* util_monotonic() time all its tries must end by */
	long deadline_s;          /* the setting, for messages */
	bool timed_out;           /* the deadline ended it */
	unsigned rng;             /* jitter state */
	/* What the source's DONE event says besides its counts: a page cap that was reached. */
	char note[256];
};

static void run_init(struct run *run, struct fetch_env *env, const char *name)
{
	memset(run, 0, sizeof *run);
	run->env = env;
	run->name = name;
	run->deadline_s = env->cfg->source_deadline > 0 ? (long)env->cfg->source_deadline : 120;
	run->deadline = util_monotonic() + (double)run->deadline_s;
	run->rng = (unsigned)time(NULL) ^ ((unsigned)getpid() << 16) ^ (unsigned)(uintptr_t)run;
}

/* Remembers for the DONE event that a cap stopped a fetch short (the first one is kept). */
static void note_cap(struct run *run, const char *what, int cap, const char *setting)
{
	if (!run->note[0])
		snprintf(run->note, sizeof run->note, "stopped at %d page%s of %s (set %s N, 0 = no cap)",
		         cap, cap == 1 ? "" : "s", what, setting);
}

static void db_lock(struct fetch_env *env) { pthread_mutex_lock(&env->db_mu); }
static void db_unlock(struct fetch_env *env) { pthread_mutex_unlock(&env->db_mu); }

/* One HTTP request of a source and how to read its answer. */
struct req {
	char *url;
	enum feed_format fmt;
	const char *day;          /* listing day to record (HF day), NULL: feed's day or today */
	bool arxiv;               /* counts against arXiv's rate limit */
	bool paged;               /* Daily Papers: url takes &p=N, pages of HF_PAGE */
	const char *hint;         /* appended to 4xx errors: what the user can change */
	bool no_validators;       /* neither send nor keep ETag / Last-Modified (searches) */
};

/* Per-response accounting, filled by the parser callback. */
struct sink {
	struct fetch_env *env;
	struct run *run;          /* the source's run: its DONE note */
	const char *source;
	const char *day;
	const char *today;
	struct feed_info *info;
	enum paper_source_kind kind;   /* who sends these papers: the store merges by it */
	/* The Daily Papers day asked for, "" when none. Stored as every paper's hf_day: the parser
	 * can only guess it (old items lack submittedOnDailyAt and their publishedAt is UTC, a day
	 * early for some), while the day of the request is what the listing is. */
	char hf_day[11];
	long n_new, n_updated, n_items;
	long n_dayless;           /* papers stored before the feed's day was known (under today) */
	int64_t oldest;           /* oldest `published` seen (for paging), 0 none */
	struct lerr err;          /* a store error stops the parse */
};

void fetch_emit(struct fetch_env *env, const struct fetch_event *ev)
{
	if (!env->on_event)
		return;
	pthread_mutex_lock(&env->ev_mu);
	env->on_event(env->ctx, ev);
	pthread_mutex_unlock(&env->ev_mu);
}

static void emit(struct fetch_env *env, enum fetch_event_kind kind, const char *name, long done,
                 long total, long n_new, long n_upd, const char *msg)
{
	struct fetch_event ev = { .kind = kind, .done = done, .total = total, .n_new = n_new,
	                          .n_updated = n_upd };
	snprintf(ev.name, sizeof ev.name, "%s", name ? name : "");
	snprintf(ev.message, sizeof ev.message, "%s", msg ? msg : "");
	fetch_emit(env, &ev);
}

int fetch_env_init(struct fetch_env *env, const struct config *cfg, const char *db_path,
                   struct lerr *e)
{
	memset(env, 0, sizeof *env);
	env->cfg = cfg;
	/* store_open itself waits out another process creating or migrating the file. */
	env->db = store_open(db_path, 0, e);
	if (!env->db)
		return -1;
	if (store_is_readonly(env->db)) {
		lerr_set(e, LERR_IO, 0, "%s is read-only: cannot store fetched papers", db_path);
		store_close(&env->db);
		return -1;
	}
	struct net_limits lim = {
		.timeout = cfg->timeout > 0 ? (long)cfg->timeout : 60,
		.max_body = cfg->max_body,
	};
	env->net = net_new(&lim, e);
	if (!env->net) {
		store_close(&env->db);
		return -1;
	}
	env->polite = polite_open(NULL);
	pthread_mutex_init(&env->db_mu, NULL);
	pthread_mutex_init(&env->ev_mu, NULL);
	return 0;
}

void fetch_env_fini(struct fetch_env *env)
{
	if (!env->net)
		return;
	net_free(&env->net);
	polite_free(&env->polite);
	store_close(&env->db);
	pthread_mutex_destroy(&env->db_mu);
	pthread_mutex_destroy(&env->ev_mu);
}

/* ---- small helpers ------------------------------------------------------------------------ */

/* Error texts may quote the server (a reason phrase, an arXiv error feed): make them safe to
 * store and print (no control characters or escape sequences, one line). */
static void clean_msg(char *msg, size_t cap)
{
	char *c = text_clean(msg, strlen(msg), TEXT_COLLAPSE);
	snprintf(msg, cap, "%s", c);
	free(c);
}

static void today_str(char out[11])
{
	util_fmt_date(util_now(), out, 11);
}

/* Percent-encodes a query value the way arXiv's docs write them: space as '+', ':' kept. */
static void url_escape(struct sbuf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || strchr("-._~:", c))
			sbuf_addc(b, (char)c);
		else if (c == ' ')
			sbuf_addc(b, '+');
		else {
			char t[3] = { '%', hex[c >> 4], hex[c & 15] };
			sbuf_add(b, t, 3);
		}
	}
}

/* Joins base and path without doubling or dropping the '/'. */
static char *url_join(const char *base, const char *path)
{
	size_t bl = strlen(base);
	while (bl && base[bl - 1] == '/')
		bl--;
	return xasprintf("%.*s/%s", (int)bl, base, path[0] == '/' ? path + 1 : path);
}

static double jitter(struct run *run)
{
	run->rng = run->rng * 1103515245u + 12345u;
	return 0.5 + (double)((run->rng >> 8) % 1000) / 1000.0;   /* 0.5 .. 1.5 */
}

/* The source ran out of time: its message. */
static int past_deadline(struct run *run, struct lerr *e)
{
	run->timed_out = true;
	lerr_set(e, LERR_NET, FETCH_DEADLINE, "no answer within %ld s; skipped", run->deadline_s);
	return -1;
}

static int stopped(struct lerr *e)
{
	lerr_set(e, LERR_NET, NET_ABORTED, "stopped");
	return -1;
}

/* Waits for g's turn (its one connection, its spacing, in every lectern process of the user),
 * holding it for at most `lease` seconds once given: 0 when the request may start
 * (polite_release it after), -1 with e set when `deadline` (util_monotonic) would pass first
 * (*timed_out set; e says "no answer within deadline_s"), the host asked to be left alone beyond
 * it, or on abort. */
static int wait_turn(struct fetch_env *env, const struct polite_group *g, double lease,
                     double deadline, long deadline_s, bool *timed_out, struct lerr *e)
{
	for (;;) {
		if (net_aborted(env->net))
			return stopped(e);
		double t, left = deadline - util_monotonic();
		if (left <= 0) {
			*timed_out = true;
			lerr_set(e, LERR_NET, FETCH_DEADLINE, "no answer within %ld s; skipped", deadline_s);
			return -1;
		}
		enum polite_claim c = polite_claim(env->polite, g, lease, &t);
		if (c == POLITE_GO)
			return 0;
		if (c == POLITE_BLOCKED) {
			t -= polite_now();
			if (t > left) {
				char when[32];
				util_fmt_iso((int64_t)(polite_now() + t), when, sizeof when);
				*timed_out = true;
				lerr_set(e, LERR_NET, FETCH_DEADLINE, "%s asked not to be asked again before "
				         "%.10s %.5s UTC (Retry-After), after the %ld s source-deadline; skipped",
				         g->key, when, when + 11, deadline_s);
				return -1;
			}
		}
		if (t > left)
			t = left;   /* and then the deadline says so */
		if (net_sleep(env->net, t) < 0)
			return stopped(e);
	}
}

static int polite_wait(struct run *run, const struct polite_group *g, struct lerr *e)
{
	double lease = (double)(run->env->cfg->timeout > 0 ? run->env->cfg->timeout : 60) + 5;
	double left = run->deadline - util_monotonic();
	return wait_turn(run->env, g, lease < left ? lease : left + 1, run->deadline, run->deadline_s,
	                 &run->timed_out, e);
}

int fetch_polite_wait(struct fetch_env *env, const struct polite_group *g, double lease,
                      struct lerr *e)
{
	long s = env->cfg->source_deadline > 0 ? (long)env->cfg->source_deadline : 120;
	bool timed_out = false;
	return wait_turn(env, g, lease, util_monotonic() + (double)s, s, &timed_out, e);
}

static bool aborted(struct fetch_env *env)
{
	return net_aborted(env->net);
}

/* A request failed at or after the deadline: that is the reason, whatever curl saw. */
static bool deadline_passed(const struct run *run)
{
	return util_monotonic() >= run->deadline - 0.01;
}

/* ---- one response --------------------------------------------------------------------------- */

static int on_paper(void *ctx, const struct paper *p)
{
	struct sink *s = ctx;
	enum store_upsert_result res = STORE_UNCHANGED;
	if (!p->id || !*p->id)
		return 0;   /* nothing to key it by: skip rather than fail the whole listing */
	if (strlen(p->id) > PAPER_ID_MAX) {   /* the store refuses it: skip it, and say so */
		if (!s->run->note[0])
			snprintf(s->run->note, sizeof s->run->note, "skipped a paper whose id is over %d "
			         "bytes", PAPER_ID_MAX);
		return 0;
	}
	const char *day = s->day ? s->day : s->info->day;
	if (!day) {
		day = s->today;
		s->n_dayless++;
	}
	struct paper q = *p;   /* shallow: only the day and the kind differ */
	if (s->hf_day[0])
		q.hf_day = s->hf_day;
	if (q.source_kind == PAPER_SRC_UNKNOWN)
		q.source_kind = s->kind;
	p = &q;
	/* The position counts the stored items of this request, so it continues across pages. */
	struct store_listing l = { .source = s->source, .day = day, .position = s->n_items,
	                           .type = p->announce, .url = p->listing_url };
	if (store_upsert(s->env->db, p, &l, &res, &s->err) < 0)
		return 1;
	if (store_cut_note(s->env->db) && !s->run->note[0])   /* the first one is said */
		snprintf(s->run->note, sizeof s->run->note, "%s: %s", p->id, store_cut_note(s->env->db));
	s->n_items++;
	if (res == STORE_INSERTED)
		s->n_new++;
	else if (res == STORE_UPDATED)
		s->n_updated++;
	if (p->published > 0 && (s->oldest == 0 || p->published < s->oldest))
		s->oldest = p->published;
	if (s->env->on_paper && s->env->on_paper(s->env->paper_ctx, p))
		return 1;
	return aborted(s->env) ? 1 : 0;
}

/* What one request gave: counts and, for paging, the feed's facts. */
struct outcome {
	long n_new, n_updated, n_items;
	long total_results;
	int64_t oldest;
	bool unchanged;           /* 304 */
};

static void http_failure(struct lerr *e, const struct req *rq, const char *url,
                         const struct net_response *r, int tries, const char *detail)
{
	char what[96];
	snprintf(what, sizeof what, "HTTP %ld%s%s", r->status, r->reason[0] ? " " : "", r->reason);
	if (r->status == 429 || r->status == 503)
		lerr_set(e, LERR_HTTP, (int)r->status, "%s from %s: rate limited%s%s; try again later",
		         what, url, tries > 1 ? ", gave up after retrying" : "", detail ? detail : "");
	else if (r->status >= 500)
		lerr_set(e, LERR_HTTP, (int)r->status,
		         "%s from %s (gave up after %d tries): the server has a problem; try again later",
		         what, url, tries);
	else if (detail)
		lerr_set(e, LERR_HTTP, (int)r->status, "%s from %s: %s", what, url, detail);
	else
		lerr_set(e, LERR_HTTP, (int)r->status, "%s from %s%s%s", what, url,
		         rq->hint ? ": " : "", rq->hint ? rq->hint : "");
}

static int noop_paper(void *ctx, const struct paper *p)
{
	(void)ctx; (void)p;
	return 0;
}

/* For a 4xx answer from the arXiv API: the message of its error feed, if it is one. */
static char *api_error_detail(const struct net_response *r)
{
	struct feed_info fi = {0};
	struct lerr pe = {0};
	char *d = NULL;
	if (r->len && feed_parse(FEED_ARXIV_API, r->body, r->len, NULL, noop_paper, NULL, &fi, &pe) < 0 &&
	    pe.kind == LERR_PARSE && pe.msg[0])
		d = xstrdup(pe.msg);
	feed_info_clear(&fi);
	return d;
}

/* GETs url with politeness, retries and the validators (either may be NULL), within the
 * source's deadline. Returns 1 with a 2xx answer in *r, 0 for 304 Not Modified, or -1 with e
 * set. */
static int http_get(struct run *run, const struct req *rq, const char *url,
                    const char *etag, const char *lm, struct net_response *r, struct lerr *e)
{
	struct fetch_env *env = run->env;
	int max_tries = env->cfg->max_tries > 0 ? env->cfg->max_tries : 1;
	struct polite_group g;
	polite_group_of(env->cfg, url, rq->arxiv, &g);
	for (int tries = 1;; tries++) {
		if (polite_wait(run, &g, e) < 0)
			return -1;
		struct lerr ne = {0};
		struct net_req q = { .etag = etag, .last_modified = lm, .deadline = run->deadline,
		                     .out_fd = -1 };
		int rc = net_fetch(env->net, url, &q, r, &ne);
		polite_release(env->polite, &g);
		double wait = -1;
		if (rc < 0) {
			if (ne.code != NET_ABORTED && deadline_passed(run))
				return past_deadline(run, e);
			if (!net_retryable(&ne) || tries >= max_tries) {
				*e = ne;
				if (net_retryable(&ne) && tries > 1) {
					size_t l = strlen(e->msg);
					snprintf(e->msg + l, sizeof e->msg - l, " (gave up after %d tries)", tries);
				}
				return -1;
			}
			wait = fmin(BACKOFF_CAP, ldexp(1.0, tries - 1)) * jitter(run);
		} else if (r->status == 304) {
			return 0;
		} else if (r->status >= 200 && r->status < 300) {
			return 1;
		} else if (r->status == 429 || r->status == 503 || r->status >= 500) {
			bool asked = r->retry_after >= 0 && (r->status == 429 || r->status == 503);
			double left = run->deadline - util_monotonic();
			if (asked) {
				/* no run of any lectern process asks this host before then */
				polite_block(env->polite, &g, polite_now() + (double)r->retry_after);
				if ((double)r->retry_after > left) {
					char d[160];
					snprintf(d, sizeof d, " (the server asks to wait %lld s, more than the %.0f s "
					         "left of source-deadline); skipped", (long long)r->retry_after,
					         left > 0 ? left : 0);
					run->timed_out = true;
					http_failure(e, rq, url, r, tries, d);
					return -1;
				}
			}
			if (tries >= max_tries) {
				http_failure(e, rq, url, r, tries, NULL);
				return -1;
			}
			wait = asked ? (double)r->retry_after
			       : fmin(BACKOFF_CAP, ldexp(1.0, tries - 1)) * jitter(run);
		} else {
			char *detail = rq->fmt == FEED_ARXIV_API ? api_error_detail(r) : NULL;
			http_failure(e, rq, url, r, tries, detail);
			free(detail);
			return -1;
		}
		net_response_clear(r);
		if (util_monotonic() + wait > run->deadline)
			return past_deadline(run, e);
		if (net_sleep(env->net, wait) < 0)
			return stopped(e);
	}
}

/* Parses r's body into the open transaction through the sink. -1 with e set: the caller rolls
 * back. *fi is (re)initialised by the parser; the caller clears it. */
static int parse_into(struct fetch_env *env, struct sink *s, const struct req *rq, const char *url,
                      const struct net_response *r, struct feed_info *fi, struct lerr *e)
{
	struct lerr pe = {0};
	s->info = fi;
	if (feed_parse(rq->fmt, r->body, r->len, r->final_url ? r->final_url : url, on_paper, s, fi, &pe) == 0)
		return 0;
	if (s->err.kind != LERR_NONE)
		*e = s->err;
	else if (aborted(env))
		lerr_set(e, LERR_NET, NET_ABORTED, "stopped");
	else   /* the parser's message names the line */
		lerr_set(e, LERR_PARSE, pe.code, "cannot read the response from %s: %s", url,
		         pe.msg[0] ? pe.msg : "parse error");
	return -1;
}

static void sink_reset(struct sink *s)
{
	s->n_new = s->n_updated = s->n_items = s->n_dayless = 0;
	s->oldest = 0;
}

/* GETs rq (retries, politeness, validators) and stores the answer in one transaction: all of it
 * or nothing. A paged request (Daily Papers) asks for p=0,1,... while a page comes back full, all
 * pages in the same transaction. Returns 0 or -1 with e set (nothing was written then). */
/* The kind of source a request's papers come from, as its source's config kind built it: Daily
 * Papers is Hugging Face; anything at arXiv (listings, the API, a search, and a feed whose URL is
 * arXiv's) is arXiv; any other feed is a feed. */
static enum paper_source_kind req_kind(const struct req *rq)
{
	if (rq->fmt == FEED_HF_DAILY)
		return PAPER_SRC_HF;
	return rq->arxiv ? PAPER_SRC_ARXIV : PAPER_SRC_FEED;
}

/* A page's first id, read without storing anything (paging decides on it and the item count
 * before the pages are stored together). */
static int peek_paper(void *ctx, const struct paper *p)
{
	char *first = ctx;
	if (p->id && *p->id && !first[0])
		snprintf(first, 64, "%s", p->id);
	return 0;
}

/* Stores the pages of one request (one response, or a Daily Papers day's pages) in one
 * transaction with the validators that describe them: all of it or nothing. Called with db_mu
 * held. */
static int store_pages(struct fetch_env *env, struct sink *s, const struct req *rq,
                       char *const *urls, const struct net_response *pages, long n_pages,
                       const char *new_etag, const char *new_lm, struct outcome *out, struct lerr *e)
{
	struct feed_info fi = {0};
	char *late_day = NULL;
	long n_items = 0;
	int ret = -1;
	if (store_begin(env->db, e) < 0)
		return -1;
	/* One pass: feeds state their day (RSS channel pubDate) before their items, and feed_parse
	 * makes it visible as soon as it is read. A malformed document rolls the transaction back. */
	for (long i = 0; i < n_pages; i++) {
		feed_info_clear(&fi);
		if (parse_into(env, s, rq, urls[i], &pages[i], &fi, e) < 0)
			goto out;
		n_items += fi.n_items;
	}
	if (!rq->paged && s->n_dayless && fi.day && strcmp(fi.day, s->today) != 0) {
		/* A feed that states its day only after some items: store them again under it. */
		store_rollback(env->db);
		late_day = xstrdup(fi.day);
		feed_info_clear(&fi);
		sink_reset(s);
		s->day = late_day;
		if (store_begin(env->db, e) < 0)
			goto out_nt;
		if (parse_into(env, s, rq, urls[0], &pages[0], &fi, e) < 0)
			goto out;
	}
	/* Validators go in the same transaction: they are saved only with the data they describe. */
	if ((new_etag || new_lm) && store_http_put(env->db, rq->url, new_etag, new_lm, e) < 0)
		goto out;
	if (store_commit(env->db, e) < 0)
		goto out;
	out->n_new = s->n_new;
	out->n_updated = s->n_updated;
	out->n_items = n_items;
	out->total_results = fi.total_results;
	out->oldest = s->oldest;
	ret = 0;
	goto out_nt;
out:
	store_rollback(env->db);
out_nt:
	s->day = rq->day;
	feed_info_clear(&fi);
	free(late_day);
	return ret;
}

/* GETs rq (retries, politeness, validators) and stores the answer in one transaction: all of it
 * or nothing. A paged request (Daily Papers) asks for p=0,1,... while a page comes back full;
 * the pages are kept (a big one spooled to a file) until the last has come, then stored
 * together. Only the storing holds db_mu: other sources' transfers go on meanwhile. Returns 0
 * or -1 with e set (nothing was written then). */
static int fetch_one(struct run *run, const char *source, const struct req *rq,
                     struct outcome *out, struct lerr *e)
{
	struct fetch_env *env = run->env;
	char *etag = NULL, *lm = NULL;
	char *new_etag = NULL, *new_lm = NULL;   /* what the first page's answer sent */
	struct net_response *pages = NULL;
	char **urls = NULL;
	long n_pages = 0;
	int ret = -1;
	char today[11], prev_first[64] = "";

	memset(out, 0, sizeof *out);
	out->total_results = -1;
	today_str(today);
	/* Validators belong to rq->url (for a paged request: to its first page). A day whose first
	 * page is unchanged is taken as unchanged: new papers or votes would change that page. */
	db_lock(env);
	if (!rq->no_validators && store_http_get(env->db, rq->url, &etag, &lm, NULL) < 0)
		etag = lm = NULL;   /* validators are an optimisation; fetch in full without them */
	db_unlock(env);

	long max_pages = rq->paged ? page_cap(env->cfg->hf_max_pages) : 1;
	for (long page = 0; page < max_pages; page++) {
		pages = xreallocarray(pages, (size_t)n_pages + 1, sizeof *pages);
		urls = xreallocarray(urls, (size_t)n_pages + 1, sizeof *urls);
		struct net_response *r = &pages[n_pages];
		memset(r, 0, sizeof *r);
		urls[n_pages++] = rq->paged ? xasprintf("%s&p=%ld", rq->url, page) : xstrdup(rq->url);
		const char *url = urls[n_pages - 1];
		int got = http_get(run, rq, url, page ? NULL : etag, page ? NULL : lm, r, e);
		if (got < 0)
			goto out;
		if (got == 0) {
			if (page) {   /* no validators were sent: a broken server */
				lerr_set(e, LERR_HTTP, 304, "unexpected HTTP 304 from %s", url);
				goto out;
			}
			out->unchanged = true;
			ret = 0;
			goto out;
		}
		if (page == 0 && !rq->no_validators) {
			new_etag = r->etag ? xstrdup(r->etag) : NULL;
			new_lm = r->last_modified ? xstrdup(r->last_modified) : NULL;
		}
		if (!rq->paged)
			break;
		/* A short page is the last; a page starting like the previous one means the server
		 * ignores p. A full last page under the cap: the day may go on (said, not hidden). An
		 * unreadable page ends the paging here; storing then says what is wrong with it. */
		char first[64] = "";
		struct feed_info fi = {0};
		int pr = feed_parse(rq->fmt, r->body, r->len, url, peek_paper, first, &fi, NULL);
		long n_items = fi.n_items;
		feed_info_clear(&fi);
		if (pr < 0 || n_items < HF_PAGE || (page && !strcmp(first, prev_first)))
			break;
		if (page + 1 == max_pages)
			note_cap(run, "a Daily Papers day", (int)max_pages, "hf-max-pages");
		memcpy(prev_first, first, sizeof prev_first);
	}
	struct sink s = { .env = env, .run = run, .source = source, .day = rq->day, .today = today,
	                  .kind = req_kind(rq) };
	if (rq->day && rq->fmt == FEED_HF_DAILY)
		snprintf(s.hf_day, sizeof s.hf_day, "%s", rq->day);
	db_lock(env);
	ret = store_pages(env, &s, rq, urls, pages, n_pages, new_etag, new_lm, out, e);
	db_unlock(env);
out:
	for (long i = 0; i < n_pages; i++) {
		net_response_clear(&pages[i]);
		free(urls[i]);
	}
	free(pages);
	free(urls);
	free(new_etag);
	free(new_lm);
	free(etag);
	free(lm);
	return ret;
}

/* ---- sources ------------------------------------------------------------------------------- */

struct reqs {
	struct req *v;
	size_t n;
	char (*days)[11];   /* storage for req.day */
};

static void reqs_free(struct reqs *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		free(rs->v[i].url);
	free(rs->v);
	free(rs->days);
	memset(rs, 0, sizeof *rs);
}

static struct req *reqs_add(struct reqs *rs, char *url, enum feed_format fmt)
{
	rs->v = xreallocarray(rs->v, rs->n + 1, sizeof *rs->v);
	struct req *r = &rs->v[rs->n++];
	memset(r, 0, sizeof *r);
	r->url = url;
	r->fmt = fmt;
	return r;
}

static int64_t day_start(const char *day)
{
	int64_t t = 0;
	return util_parse_time(day, &t) == 0 ? t : -1;
}

/* Hugging Face Daily Papers: one request per day, newest first. */
static void hf_requests(struct fetch_env *env, const char *date, const char *since, struct reqs *rs)
{
	int64_t now = util_now(), first;
	int ndays;
	if (date) {
		first = day_start(date);
		ndays = 1;
	} else if (since) {
		first = day_start(since);
		ndays = (int)((now - first) / 86400) + 1;
		if (ndays < 1)
			ndays = 1;
	} else {
		ndays = env->cfg->hf_days > 0 ? env->cfg->hf_days : 1;
		first = now - (int64_t)(ndays - 1) * 86400;
	}
	rs->days = xcalloc((size_t)ndays, sizeof *rs->days);
	for (int i = 0; i < ndays; i++) {
		/* newest first: the days a user most likely looks at arrive first */
		int64_t t = date ? first : now - (int64_t)i * 86400;
		util_fmt_date(t, rs->days[i], 11);
		char *path = xasprintf("api/daily_papers?date=%s&limit=%d", rs->days[i], HF_PAGE);
		struct req *r = reqs_add(rs, url_join(env->cfg->hf_url, path), FEED_HF_DAILY);
		free(path);
		r->day = rs->days[i];
		r->paged = true;
		r->hint = "check the date (YYYY-MM-DD) and `set hf-url`";
	}
}

static char *api_url(const struct config *cfg, const char *query, const char *sort, long start,
                     long max)
{
	struct sbuf b = {0};
	sbuf_adds(&b, cfg->arxiv_api_url);
	sbuf_addc(&b, strchr(cfg->arxiv_api_url, '?') ? '&' : '?');
	sbuf_adds(&b, "search_query=");
	url_escape(&b, query);
	sbuf_printf(&b, "&sortBy=%s&sortOrder=descending&start=%ld&max_results=%ld", sort, start, max);
	return sbuf_steal(&b);
}

/* Runs a source's requests in order. Once one of them could not reach its host at all (the
 * name does not resolve, the connection is refused or unanswered, after its retries), the
 * remaining requests to that host are skipped for the same reason: offline, seven Daily Papers
 * days used to take seven rounds of backoff to fail. */
static int run_requests(struct run *run, const struct config_source *src, struct reqs *rs,
                        long *n_new, long *n_upd, struct lerr *first_err)
{
	struct fetch_env *env = run->env;
	int failed = 0;
	char *down = NULL;        /* host found unreachable, NULL none */
	long skipped = 0;
	size_t done = 0;
	for (size_t i = 0; i < rs->n && !aborted(env) && !run->timed_out; i++) {
		struct outcome o;
		struct lerr e = {0};
		if (down) {
			char *host = net_url_host(rs->v[i].url);
			bool same = host && !strcmp(host, down);
			free(host);
			if (same) {
				skipped++;
				continue;
			}
		}
		if (fetch_one(run, src->name, &rs->v[i], &o, &e) < 0) {
			if (!failed || run->timed_out)
				*first_err = e;   /* the deadline is the reason the rest was not asked */
			failed = 1;
			if (!down && net_unreachable(&e))
				down = net_url_host(rs->v[i].url);
		} else {
			*n_new += o.n_new;
			*n_upd += o.n_updated;
			done++;
		}
		emit(env, FETCH_EV_PROGRESS, src->name, (long)i + 1, (long)rs->n, *n_new, *n_upd, NULL);
	}
	if (run->timed_out && done) {
		size_t l = strlen(first_err->msg);
		snprintf(first_err->msg + l, sizeof first_err->msg - l, " (%zu of %zu requests stored)",
		         done, rs->n);
	} else if (skipped) {
		size_t l = strlen(first_err->msg);
		snprintf(first_err->msg + l, sizeof first_err->msg - l, "; %ld more request%s to %s skipped",
		         skipped, skipped == 1 ? "" : "s", down);
	}
	free(down);
	return failed ? -1 : 0;
}

/* arXiv API query: pages, newest submissions first, until the window is covered. */
static int run_query(struct run *run, const struct config_source *src, const char *date,
                     const char *since, long *n_new, long *n_upd, struct lerr *err)
{
	struct fetch_env *env = run->env;
	char *q;
	int64_t window;
	if (date) {
		char d[9];
		snprintf(d, sizeof d, "%.4s%.2s%.2s", date, date + 5, date + 8);
		q = xasprintf("(%s) AND submittedDate:[%s0000 TO %s2359]", src->args[0], d, d);
		window = day_start(date);
	} else {
		q = xstrdup(src->args[0]);
		if (since) {
			window = day_start(since);
		} else {
			struct store_source_state st = {0};
			int64_t last = 0;
			/* A changed query has never been fetched: its first window. */
			db_lock(env);
			if (store_source_get(env->db, src->name, &st, NULL) == 0 && st.name &&
			    fetch_source_signature_check(env->db, env->cfg, src) == FETCH_SIG_SAME)
				last = st.last_success;
			db_unlock(env);
			store_source_state_clear(&st);
			/* A day of overlap: announcements lag submissions. First run: hf-days back. */
			window = last > 0 ? last - 86400
			                  : util_now() - (int64_t)(env->cfg->hf_days > 0 ? env->cfg->hf_days : 7) * 86400;
		}
	}
	int rc = 0;
	long max_pages = page_cap(env->cfg->arxiv_query_max_pages);
	for (long page = 0; page < max_pages && !aborted(env); page++) {
		struct req rq = { .url = api_url(env->cfg, q, "submittedDate", page * QUERY_PAGE, QUERY_PAGE),
		                  .fmt = FEED_ARXIV_API, .arxiv = true,
		                  .hint = "check the query syntax in `source arxiv-query`" };
		struct outcome o;
		int r = fetch_one(run, src->name, &rq, &o, err);
		free(rq.url);
		if (r < 0) {
			rc = -1;
			break;
		}
		*n_new += o.n_new;
		*n_upd += o.n_updated;
		emit(env, FETCH_EV_PROGRESS, src->name, page + 1, 0, *n_new, *n_upd, NULL);
		if (o.unchanged || o.n_items < QUERY_PAGE ||
		    (o.total_results >= 0 && (page + 1) * QUERY_PAGE >= o.total_results) ||
		    (o.oldest > 0 && o.oldest < window))
			break;
		if (page + 1 == max_pages)
			note_cap(run, "arXiv results", (int)max_pages, "arxiv-query-max-pages");
	}
	free(q);
	return rc;
}

/* ---- source signatures ---------------------------------------------------------------------
 * The fetch state in the store (store_source_*) is keyed by the source's name alone, so after
 * `source arxiv cs.LG` became `source arxiv math.CO` the new categories looked fresh. The
 * definition a source last succeeded with — its type, base URL and arguments, as a JSON array
 * such as ["arxiv","https://rss.arxiv.org/rss","cs.LG"] — is therefore stored with its state
 * (store_source_signature_*). A source whose signature differs, or that has none (cached by an
 * older lectern), is due now. */
static char *source_signature(const struct config *cfg, const struct config_source *src)
{
	const char *base = src->type == SOURCE_HF_DAILY ? cfg->hf_url
	                   : src->type == SOURCE_ARXIV ? cfg->arxiv_rss_url
	                   : src->type == SOURCE_ARXIV_QUERY ? cfg->arxiv_api_url
	                   : src->type == SOURCE_ARXIV_OAI ? cfg->arxiv_oai_url
	                   : "";   /* a feed's URL is its argument */
	json_object *a = json_object_new_array();
	json_object_array_add(a, json_object_new_string(config_source_type_name(src->type)));
	json_object_array_add(a, json_object_new_string(base ? base : ""));
	for (size_t i = 0; i < src->n_args; i++)
		json_object_array_add(a, json_object_new_string(src->args[i]));
	char *sig = xstrdup(json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN |
	                                                      JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(a);
	return sig;
}

enum fetch_sig fetch_source_signature_check(struct store *db, const struct config *cfg,
                                            const struct config_source *src)
{
	char *stored = NULL;
	enum fetch_sig r = FETCH_SIG_NONE;
	if (store_source_signature_get(db, src->name, &stored, NULL) == 0 && stored) {
		char *sig = source_signature(cfg, src);
		r = strcmp(sig, stored) ? FETCH_SIG_CHANGED : FETCH_SIG_SAME;
		free(sig);
	}
	free(stored);
	return r;
}

/* Records the definition src just succeeded with. */
static int save_signature(struct fetch_env *env, const struct config_source *src, struct lerr *e)
{
	char *sig = source_signature(env->cfg, src);
	int rc = store_source_signature_put(env->db, src->name, sig, e);
	free(sig);
	return rc;
}

bool fetch_source_due(struct fetch_env *env, const struct config_source *src)
{
	struct store_source_state st = {0};
	bool due = true;
	if (store_source_get(env->db, src->name, &st, NULL) == 0 && st.name && st.last_success > 0)
		due = util_now() - st.last_success >= env->cfg->refresh ||
		      fetch_source_signature_check(env->db, env->cfg, src) != FETCH_SIG_SAME;
	store_source_state_clear(&st);
	return due;
}

static void add_sum(struct fetch_env *env, struct fetch_summary *sum, int rc, long n_new,
                    long n_upd)
{
	if (!sum)
		return;
	pthread_mutex_lock(&env->ev_mu);
	sum->sources++;
	sum->failed += rc ? 1 : 0;
	sum->n_new += n_new;
	sum->n_updated += n_upd;
	pthread_mutex_unlock(&env->ev_mu);
}

int fetch_source(struct fetch_env *env, const struct config_source *src, const char *date,
                 const char *since, struct fetch_summary *sum)
{
	const struct config *cfg = env->cfg;
	struct lerr err = {0};
	long n_new = 0, n_upd = 0;
	int rc = 0;
	struct reqs rs = {0};
	struct run run;

	run_init(&run, env, src->name);
	emit(env, FETCH_EV_START, src->name, 0, 0, 0, 0, NULL);
	db_lock(env);
	rc = store_source_begin(env->db, src->name, &err);
	db_unlock(env);
	if (rc < 0) {
		emit(env, FETCH_EV_FAILED, src->name, 0, 0, 0, 0, err.msg);
		add_sum(env, sum, -1, 0, 0);
		return -1;
	}
	switch (src->type) {
	case SOURCE_HF_DAILY:
		hf_requests(env, date, since, &rs);
		rc = run_requests(&run, src, &rs, &n_new, &n_upd, &err);
		break;
	case SOURCE_ARXIV: {
		struct sbuf spec = {0};
		for (size_t i = 0; i < src->n_args; i++) {
			if (i)
				sbuf_addc(&spec, '+');
			sbuf_adds(&spec, src->args[i]);
		}
		struct req *r = reqs_add(&rs, url_join(cfg->arxiv_rss_url, spec.s ? spec.s : ""), FEED_AUTO);
		r->arxiv = true;
		r->hint = "check the category names in `source arxiv` (e.g. cs.LG)";
		sbuf_free(&spec);
		rc = run_requests(&run, src, &rs, &n_new, &n_upd, &err);
		break;
	}
	case SOURCE_ARXIV_QUERY:
		rc = src->n_args ? run_query(&run, src, date, since, &n_new, &n_upd, &err) : -1;
		if (!src->n_args)
			lerr_set(&err, LERR_USAGE, 0, "source %s has no query", src->name);
		break;
	case SOURCE_ARXIV_OAI:
		rc = harvest_source(env, src, date, since, run.note, sizeof run.note, &n_new, &n_upd,
		                    &err);
		break;
	case SOURCE_FEED: {
		struct req *r = reqs_add(&rs, xstrdup(src->n_args ? src->args[0] : ""), FEED_AUTO);
		r->arxiv = net_is_arxiv_host(r->url);
		r->hint = "check the feed URL";
		rc = run_requests(&run, src, &rs, &n_new, &n_upd, &err);
		break;
	}
	}
	reqs_free(&rs);
	if (rc == 0 && aborted(env)) {
		rc = -1;
		lerr_set(&err, LERR_NET, NET_ABORTED, "stopped");
	}

	struct lerr fe = {0};
	db_lock(env);
	if (rc == 0 && save_signature(env, src, &fe) < 0) {
		rc = -1;   /* else the source would look changed, and due, forever */
		err = fe;
	}
	if (rc)
		clean_msg(err.msg, sizeof err.msg);
	if (store_source_finish(env->db, src->name, rc ? err.msg : NULL, n_new, &fe) < 0 && rc == 0) {
		rc = -1;
		err = fe;
	}
	db_unlock(env);
	if (rc)
		emit(env, FETCH_EV_FAILED, src->name, 0, 0, n_new, n_upd, err.msg);
	else
		emit(env, FETCH_EV_DONE, src->name, 0, 0, n_new, n_upd, run.note[0] ? run.note : NULL);
	add_sum(env, sum, rc, n_new, n_upd);
	return rc;
}

/* ---- sources in parallel ------------------------------------------------------------------ */

enum { MAX_SOURCE_THREADS = 16 };   /* more sources wait for a thread (groups serialise anyway) */

struct pool {
	struct fetch_env *env;
	const struct config_source *const *list;
	size_t n, next;           /* next: the next source to take, under env->ev_mu */
	const char *date, *since;
	struct fetch_summary *sum;
};

static void *source_thread(void *arg)
{
	struct pool *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->env->ev_mu);
		size_t i = p->next < p->n ? p->next++ : p->n;
		pthread_mutex_unlock(&p->env->ev_mu);
		if (i == p->n)
			return NULL;
		fetch_source(p->env, p->list[i], p->date, p->since, p->sum);
	}
}

void fetch_sources(struct fetch_env *env, const struct config_source *const *list, size_t n,
                   const char *date, const char *since, struct fetch_summary *sum)
{
	struct pool p = { .env = env, .list = list, .n = n, .date = date, .since = since, .sum = sum };
	size_t nt = n < MAX_SOURCE_THREADS ? n : MAX_SOURCE_THREADS, started = 0;
	pthread_t *t = xcalloc(nt ? nt : 1, sizeof *t);
	for (; started < nt; started++)
		if (pthread_create(&t[started], NULL, source_thread, &p) != 0)
			break;
	if (!started)   /* no thread to be had: one after another on this one */
		source_thread(&p);
	for (size_t i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	free(t);
}

/* ---- remote search ------------------------------------------------------------------------- */

/* A term arXiv's syntax knows as written (its own fields, which the local language keeps as
 * text because they are no local field: `jr:`, `co:`, `rn:`, `submittedDate:`). */
static bool is_field_term(const char *w)
{
	static const char *const prefixes[] = { "co:", "jr:", "rn:", "submittedDate:" };
	for (size_t i = 0; i < ARRAY_LEN(prefixes); i++)
		if (!strncmp(w, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/* "YYYYMMDDHHMM" (out >= 13) of t. */
static void arxiv_time(int64_t t, char *out)
{
	char iso[32];
	util_fmt_iso(t, iso, sizeof iso);   /* YYYY-MM-DDTHH:MM:SSZ */
	snprintf(out, 13, "%.4s%.2s%.2s%.2s%.2s", iso, iso + 5, iso + 8, iso + 11, iso + 14);
}

static bool is_date(enum query_field f)
{
	return f >= QF_AFTER && f <= QF_DATE;
}

/* Narrows [*lo, *hi) by a date leaf, with the local meanings (query.h): after: and before:
 * exclude the period named, since: and until: include it. */
static void date_narrow(const struct query_node *n, int64_t *lo, int64_t *hi)
{
	int64_t a = n->lo, z = n->hi;
	if (n->field == QF_AFTER)
		a = z, z = INT64_MAX;
	else if (n->field == QF_BEFORE)
		z = a, a = 0;
	else if (n->field == QF_SINCE)
		z = INT64_MAX;
	else if (n->field == QF_UNTIL)
		a = 0;
	if (a > *lo)
		*lo = a;
	if (z < *hi)
		*hi = z;
}

static void put_range(struct sbuf *b, int64_t lo, int64_t hi)
{
	char from[13] = "199101010000", to[13] = "999912312359";
	if (lo > 0)
		arxiv_time(lo, from);
	if (hi < INT64_MAX)
		arxiv_time(hi - 60, to);   /* the last minute inside the period */
	sbuf_printf(b, "submittedDate:[%s TO %s]", from, to);
}

static char *arxiv_expr(const struct query_node *n, bool top);

/* An AND: the positive parts, one submittedDate range for its dates, then ANDNOT each
 * excluded part. NULL when nothing positive is left (ANDNOT needs something to subtract
 * from). */
static char *arxiv_and(const struct query_node *const *kid, size_t n_kid, bool top)
{
	struct sbuf b = {0}, neg = {0};
	int64_t lo = 0, hi = INT64_MAX;
	bool dated = false;
	size_t n_pos = 0;
	for (size_t i = 0; i < n_kid; i++) {
		const struct query_node *k = kid[i];
		if (k->op == QOP_LEAF && is_date(k->field)) {
			date_narrow(k, &lo, &hi);
			dated = true;
			continue;
		}
		bool not = k->op == QOP_NOT;
		char *x = arxiv_expr(not ? k->kid[0] : k, false);
		if (x && not)
			sbuf_printf(&neg, " ANDNOT %s", x);
		else if (x)
			sbuf_printf(&b, "%s%s", n_pos++ ? " AND " : "", x);
		free(x);
	}
	if (dated) {
		sbuf_adds(&b, b.len ? " AND " : "");
		put_range(&b, lo, hi);
		n_pos++;
	}
	char *r = NULL;
	if (n_pos) {
		if (neg.len)
			sbuf_adds(&b, neg.s);
		r = !top && (n_pos > 1 || neg.len) ? xasprintf("(%s)", b.s) : sbuf_steal(&b);
	}
	sbuf_free(&b);
	sbuf_free(&neg);
	return r;
}

/* arXiv's search_query for a subtree, or NULL for what arXiv cannot express: the cache's own
 * filters (is: has: tag: org:, which arXiv knows nothing about), a NOT that is not part of an
 * AND (arXiv has only ANDNOT), and an OR with such a part (dropping one side would narrow
 * it). */
static char *arxiv_expr(const struct query_node *n, bool top)
{
	static const char *const field[] = { [QF_TEXT] = "all:", [QF_TI] = "ti:", [QF_ABS] = "abs:",
	                                     [QF_AU] = "au:", [QF_CAT] = "cat:", [QF_ID] = "id:" };
	switch (n->op) {
	case QOP_AND:
		return arxiv_and((const struct query_node *const *)n->kid, n->n_kid, top);
	case QOP_NOT:
		return NULL;
	case QOP_OR: {
		struct sbuf b = {0};
		for (size_t i = 0; i < n->n_kid; i++) {
			char *x = arxiv_expr(n->kid[i], false);
			if (!x) {
				sbuf_free(&b);
				return NULL;
			}
			sbuf_printf(&b, "%s%s", i ? " OR " : "", x);
			free(x);
		}
		char *r = top ? sbuf_steal(&b) : xasprintf("(%s)", b.s);
		sbuf_free(&b);
		return r;
	}
	case QOP_LEAF:
		break;
	}
	if (is_date(n->field)) {
		struct sbuf b = {0};
		int64_t lo = 0, hi = INT64_MAX;
		date_narrow(n, &lo, &hi);
		put_range(&b, lo, hi);
		return sbuf_steal(&b);
	}
	if ((size_t)n->field >= ARRAY_LEN(field) || !field[n->field])
		return NULL;
	const char *f = n->field == QF_TEXT && is_field_term(n->text) ? "" : field[n->field];
	return xasprintf("%s%s%s%s%s", f, n->quoted ? "\"" : "", n->text, n->quoted ? "\"" : "",
	                 n->prefix ? "*" : "");
}

/* Turns the local search language (query.h) into arXiv's search_query from the same tree:
 * words and "phrases" search all:, au: ti: abs: cat: id: keep their field, AND OR NOT and
 * parentheses become AND OR ANDNOT and parentheses, dates become submittedDate:[...] (one
 * range for the dates of the top-level AND), and is: tag: has: org:, which arXiv knows
 * nothing about, are dropped (see arxiv_expr). "" when nothing is left; NULL with e set when
 * the query does not parse. */
char *fetch_arxiv_query(const char *q, struct lerr *e)
{
	struct query_node *t;
	if (query_parse(q, &t, e) < 0)
		return NULL;
	char *r = !t ? NULL : t->op == QOP_LEAF && is_date(t->field)
	          ? arxiv_and((const struct query_node *const *)&t, 1, true) : arxiv_expr(t, true);
	query_free(t);
	return r ? r : xstrdup("");
}

/* A query made only of arXiv ids ("2501.01234 hep-th/9901001v2", URLs too) as the API's
 * id_list (comma-separated, versions kept), which the API answers exactly; NULL otherwise. */
static char *id_list(const char *query)
{
	struct sbuf b = {0};
	char *copy = xstrdup(query), *save = NULL;

	for (char *w = strtok_r(copy, " \t,", &save); w; w = strtok_r(NULL, " \t,", &save)) {
		char id[64];
		int v;
		if (paper_parse_arxiv_id(w, id, sizeof id, &v) != 0) {
			sbuf_free(&b);
			break;
		}
		if (b.len)
			sbuf_addc(&b, ',');
		sbuf_adds(&b, id);
		if (v)
			sbuf_printf(&b, "v%d", v);
		if (!b.s)
			break;
	}
	free(copy);
	return b.s;
}

char *fetch_search_source(const char *query)
{
	return xasprintf("search:%s", query ? query : "");
}

int fetch_search_env(struct fetch_env *env, const char *query, long max, long *n_found,
                     struct lerr *e)
{
	struct lerr err = {0};
	char *ids = id_list(query ? query : "");
	char *q = ids ? ids : fetch_arxiv_query(query, &err);
	bool unparsed = !q;   /* err says why */
	if (unparsed)
		q = xstrdup("");
	if (max <= 0)
		max = 50;
	if (max > 2000)
		max = 2000;
	char *url;
	if (ids) {
		struct sbuf b = {0};
		sbuf_printf(&b, "%s%cid_list=", env->cfg->arxiv_api_url,
		            strchr(env->cfg->arxiv_api_url, '?') ? '&' : '?');
		url_escape(&b, ids);   /* old-style ids hold '/', sent as %2F */
		sbuf_printf(&b, "&start=0&max_results=%ld", max);
		url = sbuf_steal(&b);
	} else {
		url = api_url(env->cfg, q, "relevance", 0, max);
	}
	/* No validators: a search is asked for its results, and its URLs are not worth keeping. */
	struct req rq = { .url = url, .fmt = FEED_ARXIV_API,
	                  .arxiv = true, .no_validators = true, .hint = "check the search syntax" };
	struct outcome o = { .total_results = -1 };
	struct run run;
	run_init(&run, env, "search");
	emit(env, FETCH_EV_START, "search", 0, 1, 0, 0, query);
	char *listing = fetch_search_source(query);
	int rc = *q ? fetch_one(&run, listing, &rq, &o, &err) : -1;
	free(listing);
	if (!*q && !unparsed)
		lerr_set(&err, LERR_USAGE, 0, "nothing to search arXiv for in \"%s\" (is:, tag:, has:, "
		         "org:, dates and -words are filters of the cache, not searches)",
		         query ? query : "");
	free(rq.url);
	if (n_found)
		*n_found = rc ? 0 : o.n_items;
	if (rc) {
		clean_msg(err.msg, sizeof err.msg);
		emit(env, FETCH_EV_FAILED, "search", 1, 1, 0, 0, err.msg);
		if (e)
			*e = err;
	} else if (env->on_event) {
		struct fetch_event ev = { .kind = FETCH_EV_DONE, .done = 1, .total = 1, .n_new = o.n_new,
		                          .n_updated = o.n_updated, .n_found = o.n_items,
		                          .n_total = o.total_results };
		snprintf(ev.name, sizeof ev.name, "search");
		snprintf(ev.message, sizeof ev.message, "%s", q);
		fetch_emit(env, &ev);
	}
	free(q);
	return rc;
}

/* ---- synchronous API ------------------------------------------------------------------------ */

enum fetch_run_result fetch_run(const struct config *cfg, const char *db_path,
                                const struct fetch_opts *o, struct fetch_summary *sum,
                                struct lerr *e)
{
	struct fetch_summary s = {0};
	const char *date = o ? o->date : NULL, *since = o ? o->since : NULL;
	if (sum)
		*sum = s;
	if ((date && !util_valid_date(date)) || (since && !util_valid_date(since))) {
		lerr_set(e, LERR_USAGE, 0, "invalid date \"%s\" (use YYYY-MM-DD)",
		         date && !util_valid_date(date) ? date : since);
		return FETCH_RUN_NOT_STARTED;
	}
	if (date && since) {
		lerr_set(e, LERR_USAGE, 0, "use either --date or --since, not both");
		return FETCH_RUN_NOT_STARTED;
	}
	/* Resolve names first: a typo is a usage error before any network traffic. */
	size_t n = o && o->n_sources ? o->n_sources : cfg->n_sources;
	const struct config_source **list = xcalloc(n ? n : 1, sizeof *list);
	for (size_t i = 0; i < n; i++) {
		list[i] = o && o->n_sources ? config_find_source(cfg, o->sources[i]) : &cfg->sources[i];
		if (!list[i]) {
			lerr_set(e, LERR_USAGE, 0, "unknown source \"%s\"", o->sources[i]);
			free(list);
			return FETCH_RUN_NOT_STARTED;
		}
	}
	if (o && o->offline) {
		free(list);
		return FETCH_RUN_OK;
	}
	struct fetch_env env;
	if (fetch_env_init(&env, cfg, db_path, e) < 0) {
		free(list);
		return FETCH_RUN_NOT_STARTED;
	}
	env.on_event = o ? o->on_event : NULL;
	env.ctx = o ? o->ctx : NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!(o && o->only_due && !fetch_source_due(&env, list[i])))
			list[k++] = list[i];
	fetch_sources(&env, list, k, date, since, &s);
	if (polite_warning(env.polite))
		snprintf(s.note, sizeof s.note, "%s", polite_warning(env.polite));
	fetch_env_fini(&env);
	free(list);
	if (sum)
		*sum = s;
	return s.failed ? FETCH_RUN_FAILED : FETCH_RUN_OK;
}
