/* fetch_thread — the background worker for the UI: a request queue in, an event queue out, and a
 * pipe that becomes readable when events are waiting (the UI polls it beside stdin).
 *
 * The worker owns a fetch_env (its own store connection and curl client); a refresh runs the
 * sources due on threads of fetch_sources() under it, and the worker waits for them. Only the two queues,
 * the stop flag and the pipe are shared, all under one mutex; no lock is held while the worker
 * talks to the network or the database. fetch_stop() aborts a transfer in flight through
 * net_abort() (curl_multi_wakeup), so it returns promptly. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fetch_int.h"

enum { EVENT_QUEUE_MAX = 4096 };   /* beyond this, progress events are dropped (UI not draining) */

struct qreq {
	enum fetch_req_kind kind;
	char *arg;
};

struct fetcher {
	struct fetch_env env;      /* used by the worker only (env.net also by fetch_stop) */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;

	struct qreq *reqs;         /* FIFO of pending requests */
	size_t n_reqs;

	enum fetch_req_kind running; /* the request being run: its events are tagged with it */
	struct fetch_event *evs;   /* FIFO of events for the UI */
	size_t ev_head, n_evs, ev_cap;

	int rfd, wfd;              /* wake-up pipe */
};

static void push_event(void *ctx, const struct fetch_event *ev)
{
	struct fetcher *f = ctx;
	pthread_mutex_lock(&f->mu);
	if (f->n_evs >= EVENT_QUEUE_MAX && ev->kind == FETCH_EV_PROGRESS) {
		pthread_mutex_unlock(&f->mu);
		return;
	}
	if (f->n_evs == f->ev_cap) {
		/* grow and unwrap the ring */
		size_t cap = f->ev_cap ? f->ev_cap * 2 : 32;
		struct fetch_event *v = xcalloc(cap, sizeof *v);
		for (size_t i = 0; i < f->n_evs; i++)
			v[i] = f->evs[(f->ev_head + i) % f->ev_cap];
		free(f->evs);
		f->evs = v;
		f->ev_cap = cap;
		f->ev_head = 0;
	}
	struct fetch_event *slot = &f->evs[(f->ev_head + f->n_evs) % f->ev_cap];
	*slot = *ev;
	slot->req = f->running;
	if (f->n_evs++ == 0) {
		/* empty -> non-empty: one byte is enough; the reader drains it when it empties the queue */
		ssize_t w;
		do
			w = write(f->wfd, "!", 1);
		while (w < 0 && errno == EINTR);
	}
	pthread_mutex_unlock(&f->mu);
}

static void drain_pipe(int fd)
{
	char buf[64];
	while (read(fd, buf, sizeof buf) > 0)
		;
}

bool fetch_next_event(struct fetcher *f, struct fetch_event *ev)
{
	bool got = false;
	pthread_mutex_lock(&f->mu);
	if (f->n_evs) {
		*ev = f->evs[f->ev_head];
		f->ev_head = (f->ev_head + 1) % f->ev_cap;
		f->n_evs--;
		got = true;
	}
	if (!f->n_evs)
		drain_pipe(f->rfd);
	pthread_mutex_unlock(&f->mu);
	return got;
}

int fetch_wake_fd(const struct fetcher *f)
{
	return f->rfd;
}

void fetch_request(struct fetcher *f, enum fetch_req_kind kind, const char *arg)
{
	if (!f)
		return;
	pthread_mutex_lock(&f->mu);
	for (size_t i = 0; i < f->n_reqs; i++) {
		const struct qreq *q = &f->reqs[i];
		if (q->kind == kind && ((!q->arg && !arg) || (q->arg && arg && !strcmp(q->arg, arg)))) {
			pthread_mutex_unlock(&f->mu);   /* already queued */
			return;
		}
	}
	f->reqs = xreallocarray(f->reqs, f->n_reqs + 1, sizeof *f->reqs);
	f->reqs[f->n_reqs++] = (struct qreq){ kind, xstrdup(arg) };
	pthread_cond_signal(&f->cv);
	pthread_mutex_unlock(&f->mu);
}

static void emit_failed(struct fetcher *f, const char *name, const char *msg)
{
	struct fetch_event ev = { .kind = FETCH_EV_FAILED };
	snprintf(ev.name, sizeof ev.name, "%s", name);
	snprintf(ev.message, sizeof ev.message, "%s", msg);
	push_event(f, &ev);
}

static bool stopping(struct fetcher *f)
{
	pthread_mutex_lock(&f->mu);
	bool s = f->stop;
	pthread_mutex_unlock(&f->mu);
	return s;
}

static void run(struct fetcher *f, const struct qreq *q)
{
	const struct config *cfg = f->env.cfg;
	switch (q->kind) {
	case FETCH_REQ_DUE:
	case FETCH_REQ_ALL: {
		/* the sources due, all at once (fetch_sources: within the politeness groups) */
		const struct config_source **list = xcalloc(cfg->n_sources + 1, sizeof *list);
		size_t n = 0;
		for (size_t i = 0; i < cfg->n_sources && !stopping(f); i++)
			if (q->kind == FETCH_REQ_ALL || fetch_source_due(&f->env, &cfg->sources[i]))
				list[n++] = &cfg->sources[i];
		if (!stopping(f))
			fetch_sources(&f->env, list, n, NULL, NULL, NULL);
		free(list);
		break;
	}
	case FETCH_REQ_SOURCE: {
		const struct config_source *s = q->arg ? config_find_source(cfg, q->arg) : NULL;
		if (s)
			fetch_source(&f->env, s, NULL, NULL, NULL);
		else
			emit_failed(f, q->arg ? q->arg : "", "no such source in the configuration");
		break;
	}
	case FETCH_REQ_HF_DAY: {
		if (!q->arg || !util_valid_date(q->arg)) {
			emit_failed(f, "hf-daily", "invalid day (use YYYY-MM-DD)");
			break;
		}
		/* The configured Daily Papers source, or an implicit one so a day can be stepped to. */
		const struct config_source *s = NULL;
		for (size_t i = 0; i < cfg->n_sources && !s; i++)
			if (cfg->sources[i].type == SOURCE_HF_DAILY)
				s = &cfg->sources[i];
		struct config_source implicit = { .name = (char *)"hf-daily", .type = SOURCE_HF_DAILY };
		fetch_source(&f->env, s ? s : &implicit, q->arg, NULL, NULL);
		break;
	}
	case FETCH_REQ_SEARCH:
		if (q->arg && *q->arg)
			fetch_search_env(&f->env, q->arg, 50, NULL, NULL);
		break;
	case FETCH_REQ_PDF: {
		char *path = NULL;
		if (q->arg && fetch_pdf(&f->env, q->arg, &path, NULL) == 0)
			free(path);
		break;
	}
	}
}

static void *worker(void *arg)
{
	struct fetcher *f = arg;
	int64_t period = f->env.cfg->refresh > 60 ? f->env.cfg->refresh : 60;
	struct timespec next;
	clock_gettime(CLOCK_MONOTONIC, &next);
	next.tv_sec += (time_t)period;
	bool idle_sent = true;   /* nothing happened yet: no need to say "idle" */

	pthread_mutex_lock(&f->mu);
	while (!f->stop) {
		if (!f->n_reqs) {
			if (!idle_sent) {
				idle_sent = true;
				pthread_mutex_unlock(&f->mu);
				push_event(f, &(struct fetch_event){ .kind = FETCH_EV_IDLE });
				pthread_mutex_lock(&f->mu);
				continue;
			}
			int rc = pthread_cond_timedwait(&f->cv, &f->mu, &next);
			if (rc == ETIMEDOUT && !f->stop && !f->n_reqs) {
				f->reqs = xreallocarray(f->reqs, 1, sizeof *f->reqs);
				f->reqs[f->n_reqs++] = (struct qreq){ FETCH_REQ_DUE, NULL };
			}
			continue;
		}
		struct qreq q = f->reqs[0];
		memmove(f->reqs, f->reqs + 1, --f->n_reqs * sizeof *f->reqs);
		f->running = q.kind;
		pthread_mutex_unlock(&f->mu);

		run(f, &q);
		free(q.arg);
		idle_sent = false;
		if (q.kind == FETCH_REQ_DUE || q.kind == FETCH_REQ_ALL) {
			clock_gettime(CLOCK_MONOTONIC, &next);
			next.tv_sec += (time_t)period;
		}
		pthread_mutex_lock(&f->mu);
	}
	pthread_mutex_unlock(&f->mu);
	return NULL;
}

static int make_pipe(int fds[2])
{
	if (pipe(fds) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
		fcntl(fds[i], F_SETFD, FD_CLOEXEC);
	}
	return 0;
}

struct fetcher *fetch_start(const struct config *cfg, const char *db_path, bool refresh_due,
                            struct lerr *e)
{
	struct fetcher *f = xcalloc(1, sizeof *f);
	int fds[2];
	if (make_pipe(fds) < 0) {
		lerr_set(e, LERR_IO, errno, "cannot create a pipe: %s", strerror(errno));
		free(f);
		return NULL;
	}
	f->rfd = fds[0];
	f->wfd = fds[1];
	/* Opened here so that errors reach the caller; then used by the worker alone. */
	if (fetch_env_init(&f->env, cfg, db_path, e) < 0) {
		close(f->rfd);
		close(f->wfd);
		free(f);
		return NULL;
	}
	f->env.on_event = push_event;
	f->env.background = true;
	f->env.ctx = f;
	pthread_mutex_init(&f->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&f->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (refresh_due)
		fetch_request(f, FETCH_REQ_DUE, NULL);
	int rc = pthread_create(&f->thread, NULL, worker, f);
	if (rc) {
		lerr_set(e, LERR_IO, rc, "cannot start the fetch thread: %s", strerror(rc));
		f->thread = 0;
		fetch_env_fini(&f->env);
		pthread_mutex_destroy(&f->mu);
		pthread_cond_destroy(&f->cv);
		for (size_t i = 0; i < f->n_reqs; i++)
			free(f->reqs[i].arg);
		free(f->reqs);
		close(f->rfd);
		close(f->wfd);
		free(f);
		return NULL;
	}
	return f;
}

void fetch_stop(struct fetcher **fp)
{
	if (!fp || !*fp)
		return;
	struct fetcher *f = *fp;
	pthread_mutex_lock(&f->mu);
	f->stop = true;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
	net_abort(f->env.net);   /* ends a transfer or a politeness sleep in flight */
	pthread_join(f->thread, NULL);

	fetch_env_fini(&f->env);
	for (size_t i = 0; i < f->n_reqs; i++)
		free(f->reqs[i].arg);
	free(f->reqs);
	free(f->evs);
	pthread_mutex_destroy(&f->mu);
	pthread_cond_destroy(&f->cv);
	close(f->rfd);
	close(f->wfd);
	free(f);
	*fp = NULL;
}
