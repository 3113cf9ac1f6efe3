/*
 * The order jobs start in, and what it predicts. Jobs start longest first (list scheduling: the
 * long ones cannot end up alone at the end of a run), by the job times of an earlier run: the
 * --durations FILE given, else the times the runner keeps by itself after every run (KEPT_TIMES
 * below). A job never seen weighs the mean of those seen. Jobs flagged excl start first, one
 * after the other, before the pool fills: the pool never has to drain for them. Reports keep the
 * plan's own (catalog) order; only the start order changes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "runner.h"

/* Where the runner keeps the job times of its runs: $ZDTM_TIMES, else the user's cache. */
static void kept_path(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (getenv("ZDTM_TIMES"))
		snprintf(buf, len, "%s", getenv("ZDTM_TIMES"));
	else if (xdg && *xdg)
		snprintf(buf, len, "%s/zdtm/job-times", xdg);
	else
		snprintf(buf, len, "%s/.cache/zdtm/job-times", home && *home ? home : "/root");
}

static void times_add(struct job_times *t, const char *name, const char *flavor, double secs)
{
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].name, name) && !strcmp(t->v[i].flavor, flavor)) {
			t->v[i].secs = secs;
			return;
		}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->v = realloc(t->v, t->cap * sizeof(*t->v));
	}
	snprintf(t->v[t->n].name, sizeof(t->v[0].name), "%s", name);
	snprintf(t->v[t->n].flavor, sizeof(t->v[0].flavor), "%s", flavor);
	t->v[t->n++].secs = secs;
}

/* "flavor test seconds" lines; a missing file is no times at all. */
static void load_kept(struct job_times *t)
{
	char path[4096], line[512], name[128], flavor[8];
	double secs;
	FILE *f;

	kept_path(path, sizeof(path));
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%7s %127s %lf", flavor, name, &secs) == 3 && secs >= 0)
			times_add(t, name, flavor, secs);
	if (f)
		fclose(f);
}

int times_load(struct job_times *t, const char *report)
{
	struct loaded_report r;

	memset(t, 0, sizeof(*t));
	if (!report) {
		load_kept(t);
		return 0;
	}
	if (json_load(report, &r))
		return -1;
	for (int i = 0; i < r.n; i++)
		if (r.results[i].verdict != V_SKIP)
			times_add(t, r.tests[i].name, flavor_name(r.jobs[i].flavor), r.results[i].wall);
	json_free(&r);
	return 0;
}

void times_free(struct job_times *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}

double times_of(const struct job_times *t, const struct job *j)
{
	double sum = 0;

	if (j->skip[0])
		return 0;
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].name, j->test->name) && !strcmp(t->v[i].flavor, flavor_name(j->flavor)))
			return t->v[i].secs;
	for (int i = 0; i < t->n; i++)
		sum += t->v[i].secs;
	return t->n ? sum / t->n : 1;
}

void times_keep(const struct plan *p, const struct result *results)
{
	struct job_times t = { 0 };
	char path[4096], tmp[4200], *slash;
	FILE *f;

	load_kept(&t);
	for (int i = 0; i < p->n; i++)
		if (results[i].verdict != V_SKIP && results[i].verdict != V_COUNT)
			times_add(&t, p->jobs[i].test->name, flavor_name(p->jobs[i].flavor), results[i].wall);
	kept_path(path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s", path);
	if ((slash = strrchr(tmp, '/')))
		*slash = 0, mkdir_p(tmp, 0755);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	if ((f = fopen(tmp, "we"))) {
		for (int i = 0; i < t.n; i++)
			fprintf(f, "%s %s %.3f\n", t.v[i].flavor, t.v[i].name, t.v[i].secs);
		if (fclose(f) == 0)
			rename(tmp, path);
	}
	times_free(&t);
}

struct ranked {
	int job;
	double secs;
	bool excl;
};

static int start_earlier(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->excl != y->excl)
		return x->excl ? -1 : 1;
	if (x->secs != y->secs)
		return x->secs < y->secs ? 1 : -1;
	return x->job - y->job;
}

int plan_order(struct plan *p, const struct job_times *t)
{
	struct ranked *r = calloc(p->n ? p->n : 1, sizeof(*r));

	free(p->order);
	p->order = calloc(p->n ? p->n : 1, sizeof(*p->order));
	if (!r || !p->order) {
		free(r);
		return -1;
	}
	for (int i = 0; i < p->n; i++)
		r[i] = (struct ranked){ i, times_of(t, &p->jobs[i]), test_has_flag(p->jobs[i].test, "excl") };
	qsort(r, p->n, sizeof(*r), start_earlier);
	for (int i = 0; i < p->n; i++)
		p->order[i] = r[i].job;
	free(r);
	return 0;
}

void plan_predict(const struct plan *p, const struct job_times *t, int workers, struct prediction *out)
{
	double *free_at = calloc(workers, sizeof(*free_at)), serial = 0;

	memset(out, 0, sizeof(*out));
	for (int k = 0; k < p->n && free_at; k++) {
		const struct job *j = &p->jobs[p->order[k]];
		double secs = times_of(t, j);
		int w = 0;

		out->sum += secs;
		if (secs > out->longest)
			out->longest = secs;
		if (test_has_flag(j->test, "excl")) {   /* alone: every worker waits for it */
			serial += secs;
			continue;
		}
		for (int i = 1; i < workers; i++)
			if (free_at[i] < free_at[w])
				w = i;
		free_at[w] += secs;
	}
	for (int i = 0; i < workers && free_at; i++)
		if (free_at[i] > out->wall)
			out->wall = free_at[i];
	out->wall += serial;
	out->bound = out->sum / workers > out->longest ? out->sum / workers : out->longest;
	free(free_at);
}
