/*
 * The mount tree under a path, as a string that compares equal before and after C/R: mount ids and
 * peer group numbers change in a restore, the tree, the options and the sharing relations do not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zdtm.h"

#define TREE_MAX 256

struct mnt {
	char point[4096];
	char *line;         /* "POINT ROOT OPTS [TAGS] TYPE SOURCE SUPER" with raw group numbers */
	int id, parent, depth;   /* depth: ancestors in the tree; a mount stacked on another is deeper */
};

static int cmp_mnt(const void *a, const void *b)
{
	const struct mnt *x = a, *y = b;
	int c = strcmp(x->point, y->point);

	return c ? c : x->depth - y->depth;   /* stacked mounts bottom up */
}

/* Whether point is prefix or lies below it. */
static bool under(const char *point, const char *prefix)
{
	size_t n = strlen(prefix);

	return !strncmp(point, prefix, n) && (point[n] == 0 || point[n] == '/' || (n == 1 && prefix[0] == '/'));
}

/* Tags "shared:N master:M propagate_from:K unbindable" with N, M, K renumbered by first use in groups. */
static void tags(char *fields, int *groups, int *ngroups, char *out, size_t len)
{
	size_t used = 0;

	out[0] = 0;
	for (char *tok = strtok(fields, " "); tok; tok = strtok(NULL, " ")) {
		char name[32];
		int g, i;

		if (sscanf(tok, "%31[a-z_]:%d", name, &g) != 2) {
			used += snprintf(out + used, used < len ? len - used : 0, " %s", tok);
		} else {
			for (i = 0; i < *ngroups && groups[i] != g; i++)
				;
			if (i == *ngroups && *ngroups < 2 * TREE_MAX)
				groups[(*ngroups)++] = g;
			used += snprintf(out + used, used < len ? len - used : 0, " %s:#%d", name, i + 1);
		}
		used = used < len ? used : len - 1;
	}
}

int mountinfo_tree(pid_t pid, const char *prefix, char *out, size_t len)
{
	static struct mnt m[TREE_MAX];
	static char line[8192];
	int n = 0, groups[2 * TREE_MAX], ngroups = 0;
	size_t used = 0;
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), pid ? "/proc/%d/mountinfo" : "/proc/self/mountinfo", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (n < TREE_MAX && fgets(line, sizeof(line), f)) {
		char root[4096], point[4096], opts[256], *dash = strstr(line, " - ");
		int off;

		if (!dash || sscanf(line, "%d %d %*u:%*u %4095s %4095s %255s%n", &m[n].id, &m[n].parent, root, point, opts, &off) != 5 ||
		    !under(point, prefix))
			continue;
		*dash = 0;
		dash[strcspn(dash + 3, "\n") + 3] = 0;
		/* the optional fields stay raw here: renumbered after sorting */
		if (asprintf(&m[n].line, "%s %s %s|%s|%s", point, root, opts, line + off, dash + 3) < 0)
			break;
		snprintf(m[n].point, sizeof(m[n].point), "%s", point);
		n++;
	}
	fclose(f);
	for (int i = 0; i < n; i++) {
		m[i].depth = 0;
		for (int p = m[i].parent, j = 0; j < n; j++)
			if (m[j].id == p) {   /* one more ancestor inside the prefix; start again from it */
				m[i].depth++;
				p = m[j].parent;
				j = -1;
			}
	}
	qsort(m, n, sizeof(m[0]), cmp_mnt);
	out[0] = 0;
	for (int i = 0; i < n; i++) {
		char *bar = strchr(m[i].line, '|'), *bar2 = strchr(bar + 1, '|'), t[512];

		*bar = *bar2 = 0;
		tags(bar + 1, groups, &ngroups, t, sizeof(t));
		used += snprintf(out + used, used < len ? len - used : 0, "%s%s%s %s", i ? "\n" : "", m[i].line, t,
				 bar2 + 1);
		used = used < len ? used : len - 1;
		free(m[i].line);
	}
	return n;
}

int zdtm_expect_lines(const char *file, int line, const char *what, const char *found, const char *expected)
{
	int n = 1;

	while (*found || *expected) {
		size_t a = strcspn(found, "\n"), b = strcspn(expected, "\n");

		if (a != b || memcmp(found, expected, a))
			return zdtm_fail(file, line, 0, "%s, line %d: found \"%.*s\", expected \"%.*s\"", what, n,
					 (int)a, found, (int)b, expected);
		found += a + !!found[a];
		expected += b + !!expected[b];
		n++;
	}
	return 0;
}
