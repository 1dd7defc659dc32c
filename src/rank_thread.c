/* rank_thread — the ranker's worker (see rank_thread.h). One mutex guards the request slots, the
 * event queue and the stop flag; no lock is held while it trains or scores. */
#include "lectern/rank_thread.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lectern/store.h"

enum { EVENTS_MAX = 64, SIMILAR_LIMIT = 100 };

struct slot {
	bool pending;
	char arg[64];
	int64_t since;
};

struct ranker {
	char *db_path;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop, running;
	struct slot req[RANK_REQ_KINDS];
	struct rank_event ev[EVENTS_MAX];
	size_t ev_head, n_ev;
	int rfd, wfd;
};

static void push(struct ranker *r, const struct rank_event *ev)
{
	pthread_mutex_lock(&r->mu);
	if (r->n_ev < EVENTS_MAX)
		r->ev[(r->ev_head + r->n_ev++) % EVENTS_MAX] = *ev;
	pthread_mutex_unlock(&r->mu);
	char c = 1;
	(void)!write(r->wfd, &c, 1);
}

/* Runs one request on the worker's store: rank, then keep the list for the views. */
static void run(struct store *s, enum rank_req_kind kind, const struct slot *q,
                struct rank_event *ev)
{
	struct rank_result res;
	struct lerr e = {0};
	double t0 = util_monotonic();
	int rc = kind == RANK_REQ_FOR_YOU
	         ? rank_recommend(s, &(struct rank_opts){ .since = q->since, .seed = 1 }, &res, &e)
	         : rank_similar(s, q->arg, SIMILAR_LIMIT, &res, &e);
	ev->kind = kind;
	snprintf(ev->arg, sizeof ev->arg, "%s", q->arg);
	if (rc == 0) {
		int64_t *pk = xcalloc(res.n ? res.n : 1, sizeof *pk);
		double *sc = xcalloc(res.n ? res.n : 1, sizeof *sc);
		char **why = xcalloc(res.n ? res.n : 1, sizeof *why);
		for (size_t i = 0; i < res.n; i++) {
			pk[i] = res.v[i].pk;
			sc[i] = res.v[i].score;
			why[i] = res.v[i].close ? xasprintf("%s%sclose to: %s", res.v[i].why,
			                                    *res.v[i].why ? " · " : "", res.v[i].close)
			                        : xstrdup(res.v[i].why ? res.v[i].why : "");
		}
		rc = store_rank_put(s, kind == RANK_REQ_FOR_YOU ? STORE_LIST_FOR_YOU
		                                                : STORE_LIST_SIMILAR,
		                    pk, sc, why, res.n, &e);
		for (size_t i = 0; i < res.n; i++)
			free(why[i]);
		free(why);
		free(sc);
		free(pk);
		ev->mode = res.mode;
		ev->n = res.n;
		ev->n_pos = res.n_pos;
		ev->n_neg = res.n_neg;
		rank_result_free(&res);
	}
	ev->ok = rc == 0;
	if (rc < 0)
		snprintf(ev->msg, sizeof ev->msg, "%s", e.msg);
	ev->ms = (util_monotonic() - t0) * 1000.0;
}

static void *worker(void *arg)
{
	struct ranker *r = arg;
	struct lerr e = {0};
	struct store *s = store_open(r->db_path, STORE_NOCREATE, &e);
	pthread_mutex_lock(&r->mu);
	for (;;) {
		int k = -1;
		while (!r->stop) {
			for (int i = 0; i < RANK_REQ_KINDS && k < 0; i++)
				if (r->req[i].pending)
					k = i;
			if (k >= 0)
				break;
			pthread_cond_wait(&r->cv, &r->mu);
		}
		if (r->stop)
			break;
		struct slot q = r->req[k];
		r->req[k].pending = false;
		r->running = true;
		pthread_mutex_unlock(&r->mu);
		struct rank_event ev = { .kind = (enum rank_req_kind)k };
		if (s)
			run(s, (enum rank_req_kind)k, &q, &ev);
		else
			snprintf(ev.msg, sizeof ev.msg, "%s", e.msg);
		push(r, &ev);
		pthread_mutex_lock(&r->mu);
		r->running = false;
	}
	pthread_mutex_unlock(&r->mu);
	store_close(&s);
	return NULL;
}

struct ranker *rank_start(const char *db_path, struct lerr *e)
{
	struct ranker *r = xcalloc(1, sizeof *r);
	int fds[2];
	if (pipe(fds) < 0) {
		lerr_set(e, LERR_IO, errno, "the ranker: %s", strerror(errno));
		free(r);
		return NULL;
	}
	for (int i = 0; i < 2; i++) {
		fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
		fcntl(fds[i], F_SETFD, FD_CLOEXEC);
	}
	r->rfd = fds[0];
	r->wfd = fds[1];
	r->db_path = xstrdup(db_path);
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	if (pthread_create(&r->thread, NULL, worker, r) != 0) {
		lerr_set(e, LERR_IO, 0, "the ranker: cannot start its thread");
		close(fds[0]);
		close(fds[1]);
		free(r->db_path);
		free(r);
		return NULL;
	}
	return r;
}

void rank_request(struct ranker *r, enum rank_req_kind kind, const char *arg, int64_t since)
{
	pthread_mutex_lock(&r->mu);
	struct slot *q = &r->req[kind];
	q->pending = true;
	snprintf(q->arg, sizeof q->arg, "%s", arg ? arg : "");
	q->since = since;
	pthread_cond_signal(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

int rank_wake_fd(const struct ranker *r)
{
	return r ? r->rfd : -1;
}

bool rank_next_event(struct ranker *r, struct rank_event *ev)
{
	if (!r)
		return false;
	pthread_mutex_lock(&r->mu);
	bool got = r->n_ev > 0;
	if (got) {
		*ev = r->ev[r->ev_head];
		r->ev_head = (r->ev_head + 1) % EVENTS_MAX;
		r->n_ev--;
	}
	if (!r->n_ev) {
		char buf[64];
		while (read(r->rfd, buf, sizeof buf) > 0)
			;
	}
	pthread_mutex_unlock(&r->mu);
	return got;
}

bool rank_busy(struct ranker *r)
{
	if (!r)
		return false;
	pthread_mutex_lock(&r->mu);
	bool busy = r->running;
	for (int i = 0; i < RANK_REQ_KINDS; i++)
		busy |= r->req[i].pending;
	pthread_mutex_unlock(&r->mu);
	return busy;
}

void rank_stop(struct ranker **rp)
{
	struct ranker *r = rp ? *rp : NULL;
	if (!r)
		return;
	pthread_mutex_lock(&r->mu);
	r->stop = true;
	pthread_cond_signal(&r->cv);
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->thread, NULL);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cv);
	close(r->rfd);
	close(r->wfd);
	free(r->db_path);
	free(r);
	*rp = NULL;
}
