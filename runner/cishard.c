/*
 * --shard auto: part I of N from the variables a CI system sets in each of its parallel copies of
 * a job, so one CI file line serves every copy. Each CI counts its own way (checked in their docs):
 *   ZDTM_SHARD_INDEX / ZDTM_SHARD_TOTAL            ours, 1-based (a GitHub Actions matrix sets them)
 *   CI_NODE_INDEX / CI_NODE_TOTAL                  GitLab `parallel: N`, 1-based
 *   CIRCLE_NODE_INDEX / CIRCLE_NODE_TOTAL          CircleCI `parallelism: N`, 0-based
 *   BUILDKITE_PARALLEL_JOB / BUILDKITE_PARALLEL_JOB_COUNT   Buildkite `parallelism: N`, 0-based
 * The first pair found wins, ours first. GitLab sets CI_NODE_TOTAL=1 without an index in a job that
 * is not parallel: that is the whole run, part 1 of 1.
 */
#include <stdio.h>
#include <stdlib.h>

#include "runner.h"

static const struct ci_pair {
	const char *ci, *index, *total;
	int base;                  /* what the first copy's index is */
} pairs[] = {
	{ "zdtm", "ZDTM_SHARD_INDEX", "ZDTM_SHARD_TOTAL", 1 },
	{ "GitLab", "CI_NODE_INDEX", "CI_NODE_TOTAL", 1 },
	{ "CircleCI", "CIRCLE_NODE_INDEX", "CIRCLE_NODE_TOTAL", 0 },
	{ "Buildkite", "BUILDKITE_PARALLEL_JOB", "BUILDKITE_PARALLEL_JOB_COUNT", 0 },
};

static int number(const char *name, const char *v, int *out)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (!*v || *end || n < 0 || n > 1000) {
		fprintf(stderr, "zdtm: --shard auto: %s='%s' is not a whole number from 0 to 1000\n", name, v);
		return -1;
	}
	*out = n;
	return 0;
}

/* One CI's pair: 1 when it is not set at all, 0 with *shard and *shards, -1 (after a message). */
static int from_pair(const struct ci_pair *p, int *shard, int *shards)
{
	const char *iv = getenv(p->index), *tv = getenv(p->total);
	int i, n;

	if (!iv && !tv)
		return 1;
	if (!tv) {
		fprintf(stderr, "zdtm: --shard auto: %s is set but %s is not\n", p->index, p->total);
		return -1;
	}
	if (number(p->total, tv, &n))
		return -1;
	if (!iv && n == 1)
		i = p->base;     /* GitLab's job without parallel: everything */
	else if (!iv) {
		fprintf(stderr, "zdtm: --shard auto: %s=%d is set but %s is not\n", p->total, n, p->index);
		return -1;
	} else if (number(p->index, iv, &i))
		return -1;
	if (n < 1 || i < p->base || i - p->base >= n) {
		fprintf(stderr, "zdtm: --shard auto: %s=%d does not fit %s=%d (%s counts from %d)\n", p->index, i,
			p->total, n, p->ci, p->base);
		return -1;
	}
	*shard = i - p->base + 1;
	*shards = n;
	fprintf(stderr, "zdtm: --shard auto: part %d of %d (%s: %s=%d, %s=%d)\n", *shard, n, p->ci, p->index, i,
		p->total, n);
	return 0;
}

int shard_from_ci(int *shard, int *shards)
{
	for (size_t k = 0; k < sizeof(pairs) / sizeof(pairs[0]); k++) {
		int rc = from_pair(&pairs[k], shard, shards);

		if (rc <= 0)
			return rc;
	}
	fprintf(stderr, "zdtm: --shard auto: no CI shard variables are set (ZDTM_SHARD_INDEX/ZDTM_SHARD_TOTAL, "
			"GitLab's CI_NODE_INDEX/CI_NODE_TOTAL, CircleCI's CIRCLE_NODE_INDEX/CIRCLE_NODE_TOTAL, "
			"Buildkite's BUILDKITE_PARALLEL_JOB/BUILDKITE_PARALLEL_JOB_COUNT); give --shard I/N\n");
	return -1;
}
