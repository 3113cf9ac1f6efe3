/*
 * zdtm compare A.json B.json: what changed between two runs (two criu versions, two kernels):
 * verdicts that changed, and criu times that moved beyond noise. Reads the runner's own --json
 * (one job object per line).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

/* A criu time moved when it changed by more than both of these. */
#define NOISE_ABS 0.05   /* seconds */
#define NOISE_REL 0.25   /* of the first run's time */

struct job_line {
	char key[160];       /* "test flavor" */
	char verdict[16];
	double criu;
};

struct run_file {
	struct job_line *jobs;
	int n;
};

static int field(const char *line, const char *name, char *out, size_t len)
{
	char pat[40];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\": \"", name);
	if (!(p = strstr(line, pat)))
		return -1;
	p += strlen(pat);
	snprintf(out, len, "%.*s", (int)strcspn(p, "\""), p);
	return 0;
}

static int load_run(const char *path, struct run_file *r)
{
	FILE *f = fopen(path, "re");
	char line[4096], test[128], flavor[8];

	r->jobs = NULL;
	r->n = 0;
	if (!f) {
		fprintf(stderr, "zdtm: compare: cannot read %s\n", path);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		struct job_line *j;
		const char *c;

		if (strncmp(line, "{\"test\"", 7) || field(line, "test", test, sizeof(test)) ||
		    field(line, "flavor", flavor, sizeof(flavor)))
			continue;
		r->jobs = realloc(r->jobs, (r->n + 1) * sizeof(*r->jobs));
		j = &r->jobs[r->n++];
		snprintf(j->key, sizeof(j->key), "%s %s", test, flavor);
		field(line, "verdict", j->verdict, sizeof(j->verdict));
		c = strstr(line, "\"criu\": ");
		j->criu = c ? atof(c + 8) : 0;
	}
	fclose(f);
	if (!r->n)
		fprintf(stderr, "zdtm: compare: %s holds no jobs (is it a zdtm --json report?)\n", path);
	return r->n ? 0 : -1;
}

static const struct job_line *find(const struct run_file *r, const char *key)
{
	for (int i = 0; i < r->n; i++)
		if (!strcmp(r->jobs[i].key, key))
			return &r->jobs[i];
	return NULL;
}

int cmd_compare(int argc, char **argv)
{
	struct run_file a, b;
	int changed = 0, moved = 0;

	if (argc != 3) {
		fprintf(stderr, "zdtm: usage: zdtm compare A.json B.json\n");
		return 2;
	}
	if (load_run(argv[1], &a) || load_run(argv[2], &b))
		return 2;
	for (int i = 0; i < a.n; i++) {
		const struct job_line *x = &a.jobs[i], *y = find(&b, x->key);

		if (!y) {
			printf("only in %s: %s (%s)\n", argv[1], x->key, x->verdict);
			continue;
		}
		if (strcmp(x->verdict, y->verdict)) {
			printf("%-44s %-8s -> %s\n", x->key, x->verdict, y->verdict);
			changed++;
		} else if (fabs(y->criu - x->criu) > NOISE_ABS && fabs(y->criu - x->criu) > NOISE_REL * x->criu) {
			printf("%-44s criu %.3f s -> %.3f s (%+.0f%%)\n", x->key, x->criu, y->criu,
			       x->criu > 0 ? (y->criu - x->criu) / x->criu * 100 : 0);
			moved++;
		}
	}
	for (int i = 0; i < b.n; i++)
		if (!find(&a, b.jobs[i].key))
			printf("only in %s: %s (%s)\n", argv[2], b.jobs[i].key, b.jobs[i].verdict);
	printf("zdtm compare: %d verdicts changed, %d criu times moved beyond noise (%.0f ms and %.0f%%)\n",
	       changed, moved, NOISE_ABS * 1000, NOISE_REL * 100);
	free(a.jobs);
	free(b.jobs);
	return changed ? 1 : 0;
}
