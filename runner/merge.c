/*
 * zdtm merge [--json OUT] [--tap OUT] [--junit OUT] [--html OUT] A.json B.json ...: the reports of the
 * shards of one run (--shard I/N on N machines) become one: the summary on stdout, and any of the four
 * reports written from the joined jobs. The environment block is the first report's; the wall time
 * is the longest shard's (shards run side by side).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

struct merge_out {
	const char *json, *tap, *junit, *html;
};

static int parse(int argc, char **argv, struct merge_out *out, int *first)
{
	int i = 1;

	for (; i < argc && !strncmp(argv[i], "--", 2); i += 2) {
		const char **slot = !strcmp(argv[i], "--json") ? &out->json : !strcmp(argv[i], "--tap") ? &out->tap
				  : !strcmp(argv[i], "--junit") ? &out->junit : !strcmp(argv[i], "--html") ? &out->html : NULL;

		if (!slot) {
			fprintf(stderr, "zdtm: merge: unknown option '%s'\n", argv[i]);
			return -1;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "zdtm: merge: %s needs a file name\n", argv[i]);
			return -1;
		}
		*slot = argv[i + 1];
	}
	if (i >= argc) {
		fprintf(stderr, "zdtm: usage: zdtm merge [--json OUT] [--tap OUT] [--junit OUT] [--html OUT] A.json B.json ...\n");
		return -1;
	}
	*first = i;
	return 0;
}

static bool seen(const struct loaded_report *all, const struct job *j)
{
	for (int i = 0; i < all->n; i++)
		if (all->jobs[i].flavor == j->flavor && !strcmp(all->tests[i].name, j->test->name))
			return true;
	return false;
}

/* Appends the jobs of part to all; a job already there (overlapping shards) is reported, not doubled. */
static int append(struct loaded_report *all, const struct loaded_report *part, const char *path)
{
	for (int i = 0; i < part->n; i++) {
		if (seen(all, &part->jobs[i])) {
			fprintf(stderr, "zdtm: merge: %s (%s) is in more than one report; %s's is left out\n",
				part->tests[i].name, flavor_name(part->jobs[i].flavor), path);
			continue;
		}
		all->tests = realloc(all->tests, (all->n + 1) * sizeof(*all->tests));
		all->jobs = realloc(all->jobs, (all->n + 1) * sizeof(*all->jobs));
		all->results = realloc(all->results, (all->n + 1) * sizeof(*all->results));
		all->tests[all->n] = part->tests[i];
		all->jobs[all->n] = part->jobs[i];
		all->jobs[all->n].index = all->n;
		all->results[all->n] = part->results[i];
		all->n++;
	}
	if (part->wall > all->wall)
		all->wall = part->wall;
	return 0;
}

int cmd_merge(int argc, char **argv)
{
	struct merge_out out = { 0 };
	struct loaded_report all = { 0 }, part;
	struct plan p = { 0 };
	int first, rc;

	if (parse(argc, argv, &out, &first))
		return 2;
	for (int i = first; i < argc; i++) {
		if (json_load(argv[i], &part)) {
			json_free(&all);
			return 2;
		}
		if (!all.environment)
			all.environment = strdup(part.environment);
		append(&all, &part, argv[i]);
		json_free(&part);
	}
	for (int i = 0; i < all.n; i++)
		all.jobs[i].test = &all.tests[i];
	p = (struct plan){ .jobs = all.jobs, .n = all.n };
	printf("zdtm merge: %d jobs from %d reports\n", all.n, argc - first);
	rc = report_summary(&p, all.results, &(struct run_end){ 0 }, host_taint());
	if ((out.json && report_json_env(out.json, all.environment, &p, all.results, all.wall)) ||
	    (out.tap && report_tap(out.tap, &p, all.results)) || (out.junit && report_junit(out.junit, &p, all.results)) ||
	    (out.html && html_file(out.html, &all, 1)))
		rc = 2;
	json_free(&all);
	return rc;
}
