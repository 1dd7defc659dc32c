/* polite — politeness groups and the schedule shared between processes (see polite.h). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "lectern/net.h"
#include "lectern/polite.h"

enum {
	ARXIV_MIN_MS = 3000,   /* arXiv's terms: one request every three seconds */
	HF_MIN_MS = 1000,      /* at most 300 in 5 minutes, well inside Hugging Face's 500 */
	MAX_GROUPS = 256,      /* entries kept in the file; the stalest go first */
	STALE = 86400,         /* entries with nothing left to say after this long are dropped */
};

struct entry {
	char key[160];
	double next;           /* wall time the next request may start (a lease while one runs) */
	double blocked;        /* wall time before which the host asked not to be asked, 0 none */
	bool busy;             /* this process holds the group's connection */
};

struct polite {
	pthread_mutex_t mu;
	char *path;            /* NULL: memory only */
	char *warning;
	struct entry *v;       /* this process's view; merged with the file at every claim */
	size_t n;
};

double polite_now(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static bool host_is(const char *host, const char *domain)
{
	size_t hl = strlen(host), dl = strlen(domain);
	return (hl == dl && !strcmp(host, domain)) ||
	       (hl > dl && host[hl - dl - 1] == '.' && !strcmp(host + hl - dl, domain));
}

void polite_group_of(const struct config *cfg, const char *url, bool arxiv_service,
                     struct polite_group *g)
{
	char *host = net_url_host(url);
	char *port = net_url_port(url);
	int64_t ms;
	if (arxiv_service || (host && host_is(host, "arxiv.org"))) {
		snprintf(g->key, sizeof g->key, "arxiv");
		ms = cfg->arxiv_delay_ms;
		if (host && host_is(host, "arxiv.org") && ms < ARXIV_MIN_MS)
			ms = ARXIV_MIN_MS;   /* the setting may only go lower for test servers */
	} else {
		snprintf(g->key, sizeof g->key, "%s%s%s", host ? host : "?", port ? ":" : "",
		         port ? port : "");
		ms = cfg->host_delay_ms;
		if (host && host_is(host, "huggingface.co") && ms < HF_MIN_MS)
			ms = HF_MIN_MS;
	}
	/* a key is one word of the file */
	for (char *c = g->key; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == 0x7f)
			*c = '_';
	g->spacing = ms > 0 ? (double)ms / 1000.0 : 0;
	free(host);
	free(port);
}

struct polite *polite_open(const char *path)
{
	struct polite *p = xcalloc(1, sizeof *p);
	pthread_mutex_init(&p->mu, NULL);
	if (path) {
		p->path = xstrdup(path);
	} else {
		char *dir = util_state_dir();
		if (!dir)
			p->warning = xstrdup("HOME and XDG_STATE_HOME are not set: the request spacing is "
			                     "not shared with other lectern processes");
		else if (util_mkdir_p(dir, 0700) == 0)
			p->path = xasprintf("%s/polite", dir);
		else
			p->warning = xasprintf("cannot create %s (%s): the request spacing is not shared "
			                       "with other lectern processes", dir, strerror(errno));
		free(dir);
	}
	return p;
}

void polite_free(struct polite **pp)
{
	if (!pp || !*pp)
		return;
	struct polite *p = *pp;
	pthread_mutex_destroy(&p->mu);
	free(p->path);
	free(p->warning);
	free(p->v);
	free(p);
	*pp = NULL;
}

const char *polite_warning(const struct polite *p)
{
	return p->warning;
}

static struct entry *find(struct entry *v, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].key, key))
			return &v[i];
	return NULL;
}

static struct entry *mine(struct polite *p, const char *key)
{
	struct entry *e = find(p->v, p->n, key);
	if (!e) {
		p->v = xreallocarray(p->v, p->n + 1, sizeof *p->v);
		e = &p->v[p->n++];
		memset(e, 0, sizeof *e);
		snprintf(e->key, sizeof e->key, "%s", key);
	}
	return e;
}

/* The file's entries (lines that do not parse are dropped). */
static struct entry *read_entries(FILE *f, size_t *n)
{
	struct entry *v = NULL;
	char line[512];
	*n = 0;
	while (fgets(line, sizeof line, f)) {
		struct entry e = {0};
		if (sscanf(line, "%159s %lf %lf", e.key, &e.next, &e.blocked) != 3 || *n >= MAX_GROUPS)
			continue;
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = e;
	}
	return v;
}

static void write_entries(FILE *f, const struct entry *v, size_t n, double now)
{
	rewind(f);
	if (ftruncate(fileno(f), 0) != 0)
		return;
	for (size_t i = 0; i < n; i++)
		if (v[i].next > now - STALE || v[i].blocked > now)
			fprintf(f, "%s %.3f %.3f\n", v[i].key, v[i].next, v[i].blocked);
	fflush(f);
}

/* Runs `update` on the group's entry as the file has it (merged with this process's view) and
 * writes the result back, all under the file's lock. Called with p->mu held. */
static void with_file(struct polite *p, const char *key, void (*update)(struct entry *, void *),
                      void *ctx)
{
	struct entry *me = mine(p, key);
	int fd = p->path ? open(p->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600) : -1;
	if (p->path && fd < 0 && !p->warning)
		p->warning = xasprintf("cannot open %s (%s): the request spacing is not shared with "
		                       "other lectern processes", p->path, strerror(errno));
	struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int rc = -1;
	while (fd >= 0 && (rc = fcntl(fd, F_SETLKW, &lk)) < 0 && errno == EINTR)
		;
	FILE *f = fd >= 0 && rc == 0 ? fdopen(fd, "r+") : NULL;
	if (!f) {
		if (fd >= 0)
			close(fd);
		update(me, ctx);
		return;
	}
	size_t n;
	struct entry *v = read_entries(f, &n);
	struct entry *fe = find(v, n, key);
	if (!fe) {
		v = xreallocarray(v, n + 1, sizeof *v);
		fe = &v[n++];
		memset(fe, 0, sizeof *fe);
		snprintf(fe->key, sizeof fe->key, "%s", key);
	}
	/* The file is the schedule (this process's view only stands in while it is unusable);
	 * whether this process holds the group's connection is not in it. */
	fe->busy = me->busy;
	update(fe, ctx);
	me->next = fe->next;
	me->blocked = fe->blocked;
	me->busy = fe->busy;
	write_entries(f, v, n, polite_now());
	fclose(f);   /* releases the lock */
	free(v);
}

struct claim_ctx {
	double lease, t;
	enum polite_claim r;
};

static void do_claim(struct entry *e, void *ctx)
{
	struct claim_ctx *c = ctx;
	double now = polite_now();
	if (e->blocked > now) {
		c->r = POLITE_BLOCKED;
		c->t = e->blocked;
	} else if (e->busy || e->next > now) {
		/* Re-checked often: the lease of a request in another process ends early when it
		 * does. */
		c->r = POLITE_WAIT;
		c->t = e->busy || e->next - now > 0.25 ? 0.25 : e->next - now;
	} else {
		c->r = POLITE_GO;
		e->busy = true;
		e->next = now + c->lease;
	}
}

enum polite_claim polite_claim(struct polite *p, const struct polite_group *g, double lease,
                               double *t)
{
	struct claim_ctx c = { .lease = lease > 1 ? lease : 1 };
	pthread_mutex_lock(&p->mu);
	struct entry *me = mine(p, g->key);
	if (me->busy) {   /* one connection per group, also inside this process */
		c.r = POLITE_WAIT;
		c.t = 0.05;
	} else {
		with_file(p, g->key, do_claim, &c);
	}
	pthread_mutex_unlock(&p->mu);
	*t = c.t;
	return c.r;
}

static void do_release(struct entry *e, void *ctx)
{
	e->busy = false;
	e->next = polite_now() + *(const double *)ctx;
}

void polite_release(struct polite *p, const struct polite_group *g)
{
	double spacing = g->spacing;
	pthread_mutex_lock(&p->mu);
	with_file(p, g->key, do_release, &spacing);
	pthread_mutex_unlock(&p->mu);
}

static void do_block(struct entry *e, void *ctx)
{
	double until = *(const double *)ctx;
	if (until > e->blocked)
		e->blocked = until;
}

void polite_block(struct polite *p, const struct polite_group *g, double until)
{
	pthread_mutex_lock(&p->mu);
	with_file(p, g->key, do_block, &until);
	pthread_mutex_unlock(&p->mu);
}
