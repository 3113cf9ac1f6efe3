/*
 * Test groups (--set groups, `zdtm group`): tests that can share a tree run under one init of
 * ours (zdtm/group/zdtm-group), which starts them as its children in its namespaces, so that one
 * dump and one restore take them all: criu has to restore many unrelated states at once. The
 * group's job is run like a test's; its outfile has a line per member, from which each member
 * gets its own verdict. A test with flags, criu options, features or known failures of its own
 * needs a job of its own: the set SKIPs it, naming why (run it without --set groups).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

#define MEMBER_MARK ": member "   /* the init's lines: "TIME PID: member NAME: VERDICT" */

static bool blank(const char *s)
{
	return !s[strspn(s, " ")];
}

/* Why the job cannot share a tree (it has something of its own for the runner or criu to do), or
 * NULL when it can. */
static const char *not_groupable(const struct job *j)
{
	const struct test *t = j->test;

	if (strstr(t->name, "/transition/"))
		return "a transition test";
	if (!blank(t->flags))
		return "flags of its own";
	if (!blank(t->opts) || !blank(t->dopts) || !blank(t->ropts))
		return "criu options of its own";
	if (!blank(t->features))
		return "criu features of its own";
	if (t->timeout)
		return "a timeout of its own";
	if (j->known[0])
		return "known failures of its own";
	return NULL;
}

static int new_group(struct plan *p, const struct catalog *c, const struct job *first)
{
	struct test_group *g = &p->groups[p->ngroups++];

	memset(g, 0, sizeof(*g));
	snprintf(g->test.name, sizeof(g->test.name), "zdtm/group/%02d", p->ngroups);
	snprintf(g->test.path, sizeof(g->test.path), "%.3900s/" GROUP_INIT_NAME, c->root);
	snprintf(g->test.doc, sizeof(g->test.doc), "a group of tests in one tree");
	g->test.flavors = first->flavor;
	g->test.built = g->test.described = true;
	g->job.test = &g->test;
	g->job.group = g;
	g->job.flavor = first->flavor;
	g->job.index = first->index;
	return p->ngroups - 1;
}

int plan_groups(struct plan *p, const struct catalog *c, const struct run_opts *o)
{
	if (!o->group_max)
		return 0;
	p->groups = calloc(p->n / 2 + 1, sizeof(*p->groups));
	if (!p->groups)
		return -1;
	for (int i = 0; i < p->n; i++) {
		const char *why = p->jobs[i].skip[0] ? NULL : not_groupable(&p->jobs[i]);

		if (why)
			snprintf(p->jobs[i].skip, sizeof(p->jobs[i].skip), "not in a group (--set groups): %s", why);
	}
	for (enum flavor f = FL_H; f <= FL_UNS; f <<= 1) {
		int open = -1;

		for (int i = 0; i < p->n; i++) {
			struct job *j = &p->jobs[i];

			if (j->flavor != f || j->skip[0])
				continue;
			if (open < 0 || p->groups[open].n == o->group_max)
				open = new_group(p, c, j);
			p->groups[open].tests[p->groups[open].n] = j->test;
			p->groups[open].member[p->groups[open].n++] = i;
			j->group = &p->groups[open];
		}
	}
	return 0;
}

void group_env(const struct test_group *g, const char *dir, char *names, size_t nlen, char *where, size_t wlen)
{
	size_t used = snprintf(names, nlen, "ZDTM_GROUP=");

	for (int i = 0; i < g->n && used < nlen; i++)
		used += snprintf(names + used, nlen - used, "%s%s", i ? " " : "", g->tests[i]->name);
	snprintf(where, wlen, "ZDTM_GROUP_DIR=%s", dir);
}

/* The member's verdict line from the group's outfile into r; false when it has none. */
static bool member_line(const char *outfile, const char *name, struct result *r)
{
	FILE *f = fopen(outfile, "re");
	char line[1024], want[200];
	bool found = false;

	snprintf(want, sizeof(want), MEMBER_MARK "%s: ", name);
	while (f && !found && fgets(line, sizeof(line), f)) {
		char *v = strstr(line, want);

		if (!v)
			continue;
		v += strlen(want);
		v[strcspn(v, "\n")] = 0;
		found = true;
		r->reason[0] = 0;
		if (!strcmp(v, "PASS"))
			r->verdict = V_PASS;
		else if (!strncmp(v, "SKIP: ", 6)) {
			r->verdict = V_SKIP;
			snprintf(r->reason, sizeof(r->reason), "%s", v + 6);
		} else {
			r->verdict = V_FAIL;
			snprintf(r->reason, sizeof(r->reason), "%s", v);
		}
	}
	if (f)
		fclose(f);
	return found;
}

void group_judge(const struct test_group *g, const char *outfile, struct result *results)
{
	const struct result gr = results[g->job.index];
	/* The init ends its members and writes their lines when it got to its verdict. */
	bool lines = gr.verdict == V_PASS || (gr.verdict == V_FAIL && !strcmp(gr.phase, "verify"));

	for (int i = 0; i < g->n; i++) {
		struct result *r = &results[g->member[i]];

		*r = gr;
		if (i) {   /* the group's costs are counted once, with its first member */
			r->criu = r->test = 0;
			metrics_init(&r->m);
		}
		if (!lines) {
			snprintf(r->reason, sizeof(r->reason), "%s: %s", g->test.name, gr.reason);
			continue;
		}
		if (!member_line(outfile, g->tests[i]->name, r)) {
			r->verdict = V_BROKEN;
			snprintf(r->reason, sizeof(r->reason), "%s has no line for this member", g->test.name);
		}
	}
}

/* No selection means the whole catalog; no -m, groups of 10. */
int cmd_group(struct catalog *c, int argc, char **argv)
{
	char *args[256];
	int n = 0, alone = 0, grouped = 0;
	bool selection = false;
	struct run_opts o;
	struct engine e;
	struct plan p;

	for (int i = 0; i < argc && n < 250; i++) {
		selection |= !strcmp(argv[i], "-a") || !strcmp(argv[i], "--all") || !strncmp(argv[i], "-t", 2) ||
			     !strncmp(argv[i], "-T", 2) || !strncmp(argv[i], "--test", 6);
		args[n++] = argv[i];
	}
	if (!selection)
		args[n++] = "-a";
	args[n++] = "--set";
	args[n++] = "groups";
	args[n] = NULL;
	if (parse_run_opts(n, args, &o))
		return 2;
	if (engine_find(&e, c->root, o.criu_bin) || plan_build(&p, c, &o, &e, NULL) || plan_groups(&p, c, &o))
		return 2;
	for (int k = 0; k < p.ngroups; k++) {
		const struct test_group *g = &p.groups[k];

		printf("%s (%s):", g->test.name, flavor_name(g->job.flavor));
		for (int i = 0; i < g->n; i++)
			printf(" %s", g->tests[i]->name);
		printf("\n");
		grouped += g->n;
	}
	for (int i = 0; i < p.n; i++)
		alone += !strncmp(p.jobs[i].skip, "not in a group", 14);
	printf("zdtm: %d jobs in groups of up to %d; %d not (flags, criu options, features or known failures "
	       "of their own)\n", grouped, o.group_max, alone);
	return 0;
}
