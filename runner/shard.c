/*
 * --shard I/N: which of N parts a job belongs to, the same on every machine that is given the same
 * selection, so N machines or CI jobs each run one part and together run everything once.
 *   by name (default): a stable hash of test and flavor; parts stay put as tests come and go.
 *   --durations FILE (a previous --json): longest job first, each to the part with the least time
 *   so far; a job the file does not know weighs the mean of those it does (order.c's times).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

/* FNV-1a of the test's name and flavor. */
static unsigned hash_job(const struct job *j)
{
	unsigned h = 2166136261u;

	for (const char *s = j->test->name; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return (h ^ j->flavor) * 16777619u;
}

struct weighed {
	int job;
	double time;
	unsigned hash;
};

static int longest_first(const void *a, const void *b)
{
	const struct weighed *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? 1 : -1;
	return x->hash < y->hash ? -1 : x->hash > y->hash;
}

/* part[i] for every job of p, balanced by the times in the report at path. */
static int by_durations(const struct plan *p, const char *path, int shards, int *part)
{
	struct job_times t;
	struct weighed *w = calloc(p->n ? p->n : 1, sizeof(*w));
	double *load = calloc(shards, sizeof(*load));

	if (!w || !load || times_load(&t, path)) {
		free(w);
		free(load);
		return -1;
	}
	for (int i = 0; i < p->n; i++)
		w[i] = (struct weighed){ i, times_of(&t, &p->jobs[i]), hash_job(&p->jobs[i]) };
	qsort(w, p->n, sizeof(*w), longest_first);
	for (int i = 0; i < p->n; i++) {
		int lightest = 0;

		for (int k = 1; k < shards; k++)
			if (load[k] < load[lightest])
				lightest = k;
		part[w[i].job] = lightest;
		load[lightest] += w[i].time;
	}
	times_free(&t);
	free(w);
	free(load);
	return 0;
}

int shard_keep(struct plan *p, const struct run_opts *o)
{
	int *part = calloc(p->n ? p->n : 1, sizeof(*part)), n = 0;

	if (!part)
		return -1;
	if (o->durations) {
		if (by_durations(p, o->durations, o->shards, part)) {
			free(part);
			return -1;
		}
	} else {
		for (int i = 0; i < p->n; i++)
			part[i] = hash_job(&p->jobs[i]) % o->shards;
	}
	for (int i = 0; i < p->n; i++)
		if (part[i] == o->shard - 1) {
			p->jobs[n] = p->jobs[i];
			p->jobs[n].index = n;
			n++;
		}
	p->n = n;
	free(part);
	return 0;
}
