/*
 * zdtm compare A.json B.json: what changed between two runs (two criu versions, two kernels):
 * verdicts that changed, and criu's costs (total, dump, restore, frozen time) that moved beyond
 * noise. Reads the runner's own --json reports (jsonload.c).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "runner.h"

/* A time moved when it changed by more than both of these. */
#define NOISE_ABS 0.05   /* seconds */
#define NOISE_REL 0.25   /* of the first run's time */

static int find(const struct loaded_report *r, const struct job *j)
{
	for (int i = 0; i < r->n; i++)
		if (r->jobs[i].flavor == j->flavor && !strcmp(r->tests[i].name, j->test->name))
			return i;
	return -1;
}

static void only_in(const char *path, const struct loaded_report *r, int i)
{
	printf("only in %s: %s %s (%s)\n", path, r->tests[i].name, flavor_name(r->jobs[i].flavor),
	       verdict_name(r->results[i].verdict));
}

/* Prints each cost of job x that moved in y; returns how many did. */
static int moved_costs(const struct job *j, const struct result *x, const struct result *y)
{
	const struct { const char *name; double a, b; } cost[] = {
		{ "criu", x->criu, y->criu },
		{ "dump", x->m.dump, y->m.dump },
		{ "restore", x->m.restore, y->m.restore },
		{ "frozen", x->m.frozen, y->m.frozen },
	};
	int moved = 0;

	for (size_t k = 0; k < sizeof(cost) / sizeof(cost[0]); k++) {
		double a = cost[k].a, b = cost[k].b;

		if (a < 0 || b < 0 || fabs(b - a) <= NOISE_ABS || fabs(b - a) <= NOISE_REL * a)
			continue;
		printf("%-40s %-3s %-7s %.3f s -> %.3f s (%+.0f%%)\n", j->test->name, flavor_name(j->flavor),
		       cost[k].name, a, b, a > 0 ? (b - a) / a * 100 : 0);
		moved++;
	}
	return moved != 0;
}

int cmd_compare(int argc, char **argv)
{
	struct loaded_report a, b;
	int changed = 0, moved = 0;

	if (argc != 3) {
		fprintf(stderr, "zdtm: usage: zdtm compare A.json B.json\n");
		return 2;
	}
	if (json_load(argv[1], &a))
		return 2;
	if (json_load(argv[2], &b)) {
		json_free(&a);
		return 2;
	}
	for (int i = 0; i < a.n; i++) {
		const struct job *j = &a.jobs[i];
		int k = find(&b, j);

		if (k < 0) {
			only_in(argv[1], &a, i);
		} else if (a.results[i].verdict != b.results[k].verdict) {
			printf("%-40s %-3s %-7s -> %s\n", j->test->name, flavor_name(j->flavor),
			       verdict_name(a.results[i].verdict), verdict_name(b.results[k].verdict));
			changed++;
		} else {
			moved += moved_costs(j, &a.results[i], &b.results[k]);
		}
	}
	for (int i = 0; i < b.n; i++)
		if (find(&a, &b.jobs[i]) < 0)
			only_in(argv[2], &b, i);
	printf("zdtm compare: %d verdicts changed, %d jobs whose criu costs moved beyond noise (%.0f ms and %.0f%%)\n",
	       changed, moved, NOISE_ABS * 1000, NOISE_REL * 100);
	json_free(&a);
	json_free(&b);
	return changed ? 1 : 0;
}
