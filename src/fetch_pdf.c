/* fetch_pdf — a paper's PDF to pdf-dir: in its host's politeness group, streamed to a ".part"
 * file, resumed with a Range request after a cut (in this run or a later one), renamed into
 * place once whole and checked to be a PDF. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lectern/paper.h"
#include "lectern/pdf.h"
#include "lectern/text.h"
#include "fetch_int.h"

enum { PDF_LEASE = 900 };   /* seconds a download may hold its group against other processes */

struct pdf_progress {
	struct fetch_env *env;
	const char *id;
	double last;              /* when the last PROGRESS event went out */
};

/* On the network thread: at most five events a second. */
static void on_bytes(void *ctx, int64_t have, int64_t total)
{
	struct pdf_progress *pp = ctx;
	double now = util_monotonic();
	if (now - pp->last < 0.2 && (total <= 0 || have < total))
		return;
	pp->last = now;
	struct fetch_event ev = { .kind = FETCH_EV_PROGRESS, .done = (long)have, .total = (long)total };
	snprintf(ev.name, sizeof ev.name, "pdf");
	snprintf(ev.message, sizeof ev.message, "%s", pp->id);
	fetch_emit(pp->env, &ev);
}

/* The URL to ask: the paper's PDF link, else arXiv's for its id and version. */
static char *pdf_url(const struct paper *p)
{
	char aid[64];
	int v = 0;
	if (p->url_pdf && *p->url_pdf)
		return xstrdup(p->url_pdf);
	if (strncmp(p->id, "url:", 4) && strncmp(p->id, "doi:", 4) &&
	    paper_parse_arxiv_id(p->id, aid, sizeof aid, &v) == 0)
		return p->version > 0 ? xasprintf("https://arxiv.org/pdf/%sv%d", aid, p->version)
		                      : paper_pdf_url(aid);
	return NULL;
}

static bool starts_as_pdf(int fd)
{
	char head[5];
	return pread(fd, head, sizeof head, 0) == (ssize_t)sizeof head && !memcmp(head, "%PDF-", 5);
}

/* One download into fd (appending from its current size), with retries that resume. */
static int download(struct fetch_env *env, const char *id, const char *url, int fd,
                    struct lerr *e)
{
	int max_tries = env->cfg->max_tries > 0 ? env->cfg->max_tries : 1;
	struct polite_group g;
	polite_group_of(env->cfg, url, false, &g);
	struct pdf_progress pp = { .env = env, .id = id };
	for (int tries = 1;; tries++) {
		if (fetch_polite_wait(env, &g, PDF_LEASE, e) < 0)
			return -1;
		struct stat st;
		int64_t have = fstat(fd, &st) == 0 ? (int64_t)st.st_size : 0;
		struct net_req q = { .out_fd = fd, .resume_from = have, .timeout = -1,
		                     .progress = on_bytes, .ctx = &pp };
		struct net_response r;
		struct lerr ne = {0};
		lseek(fd, 0, SEEK_END);
		int rc = net_fetch(env->net, url, &q, &r, &ne);
		polite_release(env->polite, &g);
		if (rc == 0 && r.status == 416 && have > 0) {
			/* the part file is no prefix of what the server has now: start over */
			net_response_clear(&r);
			if (ftruncate(fd, 0) != 0) {
				lerr_set(e, LERR_IO, errno, "cannot truncate the partial PDF: %s", strerror(errno));
				return -1;
			}
			continue;
		}
		if (rc == 0) {
			long status = r.status;
			char reason[64];
			snprintf(reason, sizeof reason, "%s", r.reason);
			net_response_clear(&r);
			if (status >= 200 && status < 300)
				return 0;
			lerr_set(e, LERR_HTTP, (int)status, "HTTP %ld%s%s from %s", status,
			         reason[0] ? " " : "", reason, url);
			if (status != 429 && status != 503 && status < 500)
				return -1;
		} else if (!net_retryable(&ne)) {
			*e = ne;
			return -1;
		} else {
			*e = ne;
		}
		if (tries >= max_tries) {
			size_t l = strlen(e->msg);
			snprintf(e->msg + l, sizeof e->msg - l, " (gave up after %d tries; the part kept "
			         "is resumed next time)", tries);
			return -1;
		}
		if (net_sleep(env->net, fmin(60, ldexp(1.0, tries - 1))) < 0) {
			lerr_set(e, LERR_NET, NET_ABORTED, "stopped");
			return -1;
		}
	}
}

int fetch_pdf(struct fetch_env *env, const char *id, char **path_out, struct lerr *e_out)
{
	struct lerr err = {0}, *e = &err;   /* the FAILED event says why, whether or not e_out */
	struct paper p = {0};
	char *url = NULL, *dir = NULL, *name = NULL, *path = NULL, *part = NULL;
	int ret = -1, fd = -1;
	*path_out = NULL;
	pthread_mutex_lock(&env->db_mu);
	int got = store_get(env->db, id, &p, e);
	pthread_mutex_unlock(&env->db_mu);
	if (got < 0) {
		if (e->kind == LERR_NOTFOUND)
			lerr_set(e, LERR_NOTFOUND, 0, "not in the cache");
		if (e_out)
			*e_out = err;
		return -1;
	}
	struct fetch_event ev = { .kind = FETCH_EV_START };
	snprintf(ev.name, sizeof ev.name, "pdf");
	snprintf(ev.message, sizeof ev.message, "%s", p.id);
	fetch_emit(env, &ev);
	url = pdf_url(&p);
	if (!url) {
		lerr_set(e, LERR_NOTFOUND, 0, "no PDF link");
		goto out;
	}
	dir = pdf_dir(env->cfg);
	if (!dir) {
		lerr_set(e, LERR_USAGE, 0, "no place for PDFs: set pdf-dir (HOME and XDG_DATA_HOME "
		         "are not set)");
		goto out;
	}
	char key[80];
	pdf_key(p.id, p.version, key, sizeof key);
	if ((path = pdf_find(dir, key))) {   /* already there (perhaps under an older title) */
		ret = 0;
		goto out;
	}
	if (util_mkdir_p(dir, 0755) < 0) {
		lerr_set(e, LERR_IO, errno, "cannot create %s: %s", dir, strerror(errno));
		goto out;
	}
	name = pdf_file_name(p.id, p.version, p.title);
	path = xasprintf("%s/%s", dir, name);
	part = xasprintf("%s.part", path);
	fd = open(part, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		lerr_set(e, LERR_IO, errno, "cannot write %s: %s", part, strerror(errno));
		goto out;
	}
	if (download(env, p.id, url, fd, e) < 0)
		goto out;
	if (!starts_as_pdf(fd)) {
		/* a login page or an error text with status 200: not kept, not resumed */
		lerr_set(e, LERR_PARSE, 0, "%s did not send a PDF", url);
		unlink(part);
		goto out;
	}
	if (fsync(fd) != 0 || rename(part, path) != 0) {
		lerr_set(e, LERR_IO, errno, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	ev.kind = ret ? FETCH_EV_FAILED : FETCH_EV_DONE;
	if (ret) {
		char *c = text_clean(e->msg, strlen(e->msg), TEXT_COLLAPSE);
		snprintf(ev.message, sizeof ev.message, "%s: %s", p.id, c);
		free(c);
	} else if (!ret) {
		snprintf(ev.message, sizeof ev.message, "%s", path);
	}
	fetch_emit(env, &ev);
	if (ret && e_out)
		*e_out = err;
	if (ret == 0)
		*path_out = path;
	else
		free(path);
	paper_clear(&p);
	free(url);
	free(dir);
	free(name);
	free(part);
	return ret;
}
