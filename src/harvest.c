/* harvest — OAI-PMH ListRecords (arXivRaw) for `source arxiv-oai [SET]`: token paging, arXiv's
 * flow control (503 + Retry-After), a checkpoint committed with every page, a time budget.
 * See harvest.h. The parser is feed_oai.c (through feed_parse); HTTP goes through one seam,
 * arxiv_turn_get(), which is where arXiv's politeness rule applies. */
#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harvest.h"
#include "lectern/feed.h"
#include "lectern/net.h"
#include "lectern/polite.h"
#include "lectern/store.h"
#include "lectern/text.h"

enum {
	DEFAULT_BG_BUDGET = 600,     /* the reader's cycle: ten minutes of harvesting at most */
	FLOW_WAITS = 20,             /* 503 + Retry-After answers waited out for one page */
	FLOW_DEFAULT_WAIT = 10,      /* a 503 without Retry-After: seconds before asking again */
	FLOW_MAX_WAIT = 3600,        /* a longer Retry-After ends the run (it resumes next time) */
	BACKOFF_CAP = 60,
};
#define FORMAT "arXivRaw"

/* ---- the seam: arXiv's turn, then the GET ------------------------------------------------- */

struct harvest;
static int arxiv_turn_get(struct harvest *h, const char *url, struct net_response *r,
                          struct lerr *e);

/* ---- one harvest ---------------------------------------------------------------------------- */

struct harvest {
	struct fetch_env *env;
	const struct config_source *src;
	struct polite_group group;    /* arXiv's politeness group (its spacing) */
	double last_end;              /* monotonic time this harvest's last request ended, 0 none */
	double deadline;              /* monotonic; 0: no budget */
	int64_t budget;               /* seconds, for the report */
	long pages, papers, withdrawn, absent;   /* absent: withdrawn records the cache lacks */
	long n_new, n_upd;
	struct lerr err;              /* a store error stops the parse */
};

/* Waits for the arXiv politeness group's turn (its one connection and spacing, shared by every
 * lectern process of the user: polite.c), then GETs url (no validators: every page is new). The
 * one place a harvest touches the network. Returns 1 when a response arrived (r), 0 when the turn
 * would come only after the budget's end, -1 with e set (a failed transfer, or stopped). */
static int arxiv_turn_get(struct harvest *h, const char *url, struct net_response *r,
                          struct lerr *e)
{
	struct fetch_env *env = h->env;
	double lease = (double)(env->cfg->timeout > 0 ? env->cfg->timeout : 60) + 5;
	for (;;) {
		if (net_aborted(env->net)) {
			lerr_set(e, LERR_NET, NET_ABORTED, "stopped");
			return -1;
		}
		double t;
		enum polite_claim c = polite_claim(env->polite, &h->group, lease, &t);
		if (c == POLITE_GO)
			break;
		double wait = c == POLITE_BLOCKED ? t - polite_now() : t;
		if (h->deadline > 0 && util_monotonic() + wait >= h->deadline)
			return 0;
		if (net_sleep(env->net, wait > 0 ? wait : 0.01) < 0) {
			lerr_set(e, LERR_NET, NET_ABORTED, "stopped");
			return -1;
		}
	}
	int rc = net_get(env->net, url, NULL, NULL, r, e);
	polite_release(env->polite, &h->group);
	h->last_end = util_monotonic();
	return rc < 0 ? -1 : 1;
}

/* Events go to the listener under ev_mu, as fetch's do (fetch_int.h). */
static void progress(struct harvest *h)
{
	struct fetch_env *env = h->env;
	struct fetch_event ev = { .kind = FETCH_EV_PROGRESS, .done = h->pages, .n_new = h->n_new,
	                          .n_updated = h->n_upd };
	snprintf(ev.name, sizeof ev.name, "%s", h->src->name);
	if (!env->on_event)
		return;
	pthread_mutex_lock(&env->ev_mu);
	env->on_event(env->ctx, &ev);
	pthread_mutex_unlock(&env->ev_mu);
}

static int on_record(void *ctx, const struct paper *p)
{
	struct harvest *h = ctx;
	if (p->withdrawn) {
		/* arXiv's deleted record: the paper stays, with its user state, marked withdrawn. */
		bool found = false;
		if (store_set_withdrawn(h->env->db, p->id, true, &found, &h->err) < 0)
			return 1;
		h->withdrawn++;
		h->absent += !found;
		return net_aborted(h->env->net);
	}
	enum store_upsert_result res = STORE_UNCHANGED;
	struct store_listing l = { .source = h->src->name, .position = -1 };
	if (store_upsert(h->env->db, p, &l, &res, &h->err) < 0)
		return 1;
	h->papers++;
	h->n_new += res == STORE_INSERTED;
	h->n_upd += res == STORE_UPDATED;
	if (h->env->on_paper && h->env->on_paper(h->env->paper_ctx, p))
		return 1;
	return net_aborted(h->env->net);
}

/* Appends s percent-encoded (everything but RFC 3986's unreserved characters): a token goes back
 * verbatim, its own %XX included. */
static void put_escaped(struct sbuf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || strchr("-._~", c))
			sbuf_addc(b, (char)c);
		else
			sbuf_printf(b, "%%%02X", c);
	}
}

static char *list_url(const struct config *cfg, const char *token, const char *set,
                      const char *from, const char *until)
{
	struct sbuf b = {0};
	sbuf_printf(&b, "%s%cverb=ListRecords", cfg->arxiv_oai_url,
	            strchr(cfg->arxiv_oai_url, '?') ? '&' : '?');
	if (token) {
		sbuf_adds(&b, "&resumptionToken=");
		put_escaped(&b, token);
		return sbuf_steal(&b);
	}
	sbuf_adds(&b, "&metadataPrefix=" FORMAT);
	const char *const k[] = { "&set=", "&from=", "&until=" }, *v[] = { set, from, until };
	for (size_t i = 0; i < ARRAY_LEN(k); i++)
		if (v[i]) {
			sbuf_adds(&b, k[i]);
			put_escaped(&b, v[i]);
		}
	return sbuf_steal(&b);
}

/* What a page request came to. */
enum got { GOT_PAGE, GOT_BUDGET, GOT_ERROR };

/* "10m", "1h 30m", "45s" for a report. */
static void fmt_duration(int64_t s, char *out, size_t n)
{
	if (s >= 3600 && s % 60 == 0)
		snprintf(out, n, s % 3600 ? "%lldh%lldm" : "%lldh", (long long)(s / 3600),
		         (long long)(s % 3600 / 60));
	else if (s >= 60 && s % 60 == 0)
		snprintf(out, n, "%lldm", (long long)(s / 60));
	else
		snprintf(out, n, "%llds", (long long)s);
}

/* GETs one page: arXiv's turn, retries of failed transfers and 5xx (max-tries), 503/429 +
 * Retry-After waited out (up to FLOW_WAITS times). GOT_BUDGET when the next attempt could only
 * start after the deadline. */
static enum got get_page(struct harvest *h, const char *url, struct net_response *r,
                         struct lerr *e)
{
	struct fetch_env *env = h->env;
	int max_tries = env->cfg->max_tries > 0 ? env->cfg->max_tries : 1;
	int tries = 0, flow = 0;
	double wait = 0;
	for (;;) {
		/* The earliest this request can start: after the wait, and after the group's spacing
		 * since our own last request (another process may make it later still). */
		double start = util_monotonic() + wait;
		if (h->last_end > 0 && h->last_end + h->group.spacing > start)
			start = h->last_end + h->group.spacing;
		if (h->deadline > 0 && start >= h->deadline)
			return GOT_BUDGET;
		if (wait > 0 && net_sleep(env->net, wait) < 0) {
			lerr_set(e, LERR_NET, NET_ABORTED, "stopped");
			return GOT_ERROR;
		}
		net_response_clear(r);
		struct lerr ne = {0};
		int rc = arxiv_turn_get(h, url, r, &ne);
		if (rc == 0)
			return GOT_BUDGET;
		if (rc < 0) {
			if (!net_retryable(&ne) || ++tries >= max_tries) {
				*e = ne;
				return GOT_ERROR;
			}
			wait = fmin(BACKOFF_CAP, ldexp(1.0, tries - 1));
			continue;
		}
		if (r->status >= 200 && r->status < 300)
			return GOT_PAGE;
		if ((r->status == 503 || r->status == 429) && r->retry_after > FLOW_MAX_WAIT) {
			lerr_set(e, LERR_HTTP, (int)r->status, "HTTP %ld from %s: the server asks to wait "
			         "%lld s; try again later", r->status, url, (long long)r->retry_after);
			return GOT_ERROR;
		}
		if ((r->status == 503 || r->status == 429) && ++flow <= FLOW_WAITS) {
			/* arXiv's flow control: wait as long as it says (within the budget); the other
			 * lectern processes are told too. */
			wait = r->retry_after >= 0 ? (double)r->retry_after : FLOW_DEFAULT_WAIT;
			polite_block(env->polite, &h->group, polite_now() + wait);
			continue;
		}
		if (r->status >= 500 && r->status != 503 && ++tries < max_tries) {
			wait = fmin(BACKOFF_CAP, ldexp(1.0, tries - 1));
			continue;
		}
		lerr_set(e, LERR_HTTP, (int)r->status, "HTTP %ld%s%s from %s%s", r->status,
		         r->reason[0] ? " " : "", r->reason, url,
		         r->status == 503 || r->status == 429 ? ": the server kept asking to wait"
		         : r->status >= 500 ? ": the server has a problem; try again later"
		         : ": check `set arxiv-oai-url`");
		return GOT_ERROR;
	}
}

/* The definition a checkpoint belongs to. */
static char *spec_of(const struct fetch_env *env, const struct config_source *src)
{
	return xasprintf("%s %s %s", env->cfg->arxiv_oai_url, src->n_args ? src->args[0] : "",
	                 FORMAT);
}

int harvest_source(struct fetch_env *env, const struct config_source *src, const char *date,
                   const char *since, char *note_out, size_t note_n, long *n_new, long *n_upd,
                   struct lerr *err)
{
	struct harvest h = { .env = env, .src = src };
	struct store_harvest cp = {0};
	struct net_response r = { .retry_after = -1 };
	struct feed_info fi = {0};
	bool oneoff = date || since, fell_back = false, complete = false, stopped = false;
	char *spec = spec_of(env, src), *token = NULL, *from = NULL, *url = NULL;
	char fell_from[16] = "";   /* the datestamp an expired token fell back to */
	const char *set = src->n_args ? src->args[0] : NULL;
	int rc = -1;

	h.budget = env->cfg->harvest_budget >= 0 ? env->cfg->harvest_budget
	           : env->background ? DEFAULT_BG_BUDGET : 0;
	if (h.budget > 0)
		h.deadline = util_monotonic() + (double)h.budget;
	polite_group_of(env->cfg, env->cfg->arxiv_oai_url, true, &h.group);
	pthread_mutex_lock(&env->db_mu);   /* the one store connection (fetch_int.h) */
	int got = store_harvest_get(env->db, src->name, &cp, err);
	pthread_mutex_unlock(&env->db_mu);
	if (got < 0)
		goto out;
	if (cp.spec && strcmp(cp.spec, spec) != 0) {   /* another set or server: start over */
		store_harvest_clear(&cp);
	}
	free(cp.spec);
	cp.spec = xstrdup(spec);
	if (oneoff)
		from = xstrdup(date ? date : since);
	else if (cp.token)
		token = xstrdup(cp.token);
	else if (cp.datestamp)
		from = xstrdup(cp.datestamp);

	for (;;) {
		free(url);
		url = list_url(env->cfg, token, set, from, date);
		enum got g = get_page(&h, url, &r, err);
		if (g == GOT_BUDGET) {
			stopped = true;
			break;
		}
		if (g == GOT_ERROR)
			goto out;
		/* A page is parsed and stored holding the store connection, in one transaction. */
		pthread_mutex_lock(&env->db_mu);
		if (store_begin(env->db, err) < 0) {
			pthread_mutex_unlock(&env->db_mu);
			goto out;
		}
		long papers = h.papers, withdrawn = h.withdrawn, absent = h.absent;
		long nn = h.n_new, nu = h.n_upd;
		struct lerr pe = {0};
		lerr_clear(&h.err);
		feed_info_clear(&fi);
		if (feed_parse(FEED_OAI_PMH, r.body, r.len, url, on_record, &h, &fi, &pe) < 0) {
			store_rollback(env->db);
			pthread_mutex_unlock(&env->db_mu);
			h.papers = papers, h.withdrawn = withdrawn, h.absent = absent;
			h.n_new = nn, h.n_upd = nu;
			if (!strcmp(fi.oai_error, "badResumptionToken") && token && !fell_back) {
				/* Tokens expire at the next UTC midnight: ask again from the last datestamp. */
				fell_back = true;
				free(token);
				token = NULL;
				free(from);   /* a one-off window starts over; a harvest from its datestamp */
				from = oneoff ? xstrdup(date ? date : since)
				       : cp.datestamp ? xstrdup(cp.datestamp) : NULL;
				snprintf(fell_from, sizeof fell_from, "%s", from ? from : "");
				continue;
			}
			if (h.err.kind != LERR_NONE)
				*err = h.err;
			else if (net_aborted(env->net))
				lerr_set(err, LERR_NET, NET_ABORTED, "stopped");
			else if (fi.oai_error[0])
				lerr_set(err, LERR_PARSE, 0, "%s from %s%s", pe.msg, url,
				         !strcmp(fi.oai_error, "badArgument") || !strcmp(fi.oai_error, "noSetHierarchy")
				         ? " (check the set in `source arxiv-oai`, e.g. cs or physics:hep-th)" : "");
			else
				lerr_set(err, LERR_PARSE, pe.code, "cannot read the response from %s: %s", url,
				         pe.msg[0] ? pe.msg : "parse error");
			goto out;
		}
		/* The checkpoint goes with the page it follows: both or neither. */
		free(cp.token);
		cp.token = fi.oai_token ? xstrdup(fi.oai_token) : NULL;
		if (fi.oai_datestamp && (!cp.datestamp || strcmp(fi.oai_datestamp, cp.datestamp) > 0)) {
			free(cp.datestamp);
			cp.datestamp = xstrdup(fi.oai_datestamp);
		}
		int saved = (oneoff || store_harvest_put(env->db, src->name, &cp, err) == 0) &&
		            store_commit(env->db, err) == 0;
		if (!saved)
			store_rollback(env->db);
		pthread_mutex_unlock(&env->db_mu);
		if (!saved) {
			h.papers = papers, h.withdrawn = withdrawn, h.absent = absent;
			h.n_new = nn, h.n_upd = nu;
			goto out;
		}
		h.pages++;
		*n_new += h.n_new - nn;
		*n_upd += h.n_upd - nu;
		progress(&h);
		if (!fi.oai_token) {   /* the list is complete (noRecordsMatch: it was empty) */
			complete = true;
			break;
		}
		free(token);
		token = xstrdup(fi.oai_token);
		free(from);
		from = NULL;
		if (net_aborted(env->net)) {
			lerr_set(err, LERR_NET, NET_ABORTED, "stopped");
			goto out;
		}
	}
	rc = 0;
out:;
	/* What it did, said where the user looks (fetch's DONE event, or with the failure). */
	struct sbuf note = {0};
	sbuf_printf(&note, "%ld page%s, %ld paper%s", h.pages, h.pages == 1 ? "" : "s", h.papers,
	            h.papers == 1 ? "" : "s");
	if (h.withdrawn)
		sbuf_printf(&note, ", %ld withdrawn%s", h.withdrawn,
		            h.absent ? " (some not in the cache)" : "");
	else if (rc == 0 && !h.papers && !stopped)
		sbuf_adds(&note, ": nothing new");
	if (fell_back)
		sbuf_printf(&note, "; the resumption token had expired: asked again from %s",
		            fell_from[0] ? fell_from : "the start");
	if (complete && cp.datestamp && !oneoff)
		sbuf_printf(&note, "; up to date to %s", cp.datestamp);
	if (stopped) {
		char d[32];
		fmt_duration(h.budget, d, sizeof d);
		sbuf_printf(&note, "; harvest-budget %s reached: resumes next run", d);
	} else if (rc < 0 && !oneoff && (h.pages || cp.token)) {
		sbuf_adds(&note, "; resumes next run");
	}
	if (rc == 0) {
		snprintf(note_out, note_n, "%s", note.s);
	} else if (h.pages) {
		size_t l = strlen(err->msg);
		snprintf(err->msg + l, sizeof err->msg - l, " (after %s)", note.s);
	}
	sbuf_free(&note);
	feed_info_clear(&fi);
	net_response_clear(&r);
	store_harvest_clear(&cp);
	free(spec);
	free(token);
	free(from);
	free(url);
	return rc;
}
