/*
 * The catalog: every zdtm/{static,transition}/NAME.c is a test named
 * "zdtm/static/NAME"; its binary describes itself with --describe, so the
 * declaration in the C file is the only place metadata lives.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner.h"

/* Where tests live, relative to the root; $ZDTM_DIRS (colon separated) replaces it (self-tests). */
static const char default_dirs[] = "zdtm/static:zdtm/transition";

static void set_field(struct test *t, const char *key, const char *val)
{
	if (!strcmp(key, "doc"))
		snprintf(t->doc, sizeof(t->doc), "%s", val);
	else if (!strcmp(key, "flags"))
		snprintf(t->flags, sizeof(t->flags), "%s", val);
	else if (!strcmp(key, "features"))
		snprintf(t->features, sizeof(t->features), "%s", val);
	else if (!strcmp(key, "opts"))
		snprintf(t->opts, sizeof(t->opts), "%s", val);
	else if (!strcmp(key, "dopts"))
		snprintf(t->dopts, sizeof(t->dopts), "%s", val);
	else if (!strcmp(key, "ropts"))
		snprintf(t->ropts, sizeof(t->ropts), "%s", val);
	else if (!strcmp(key, "timeout"))
		t->timeout = atoi(val);
	else if (!strcmp(key, "flavors"))
		t->flavors = flavors_parse(val, " ");
}

/* Runs `BINARY --describe` and fills t from its "key: value" lines. */
static int describe(struct test *t)
{
	char *argv[] = { t->path, "--describe", NULL };
	int p[2], status;
	FILE *f;
	char line[1024];
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = proc_spawn(argv, NULL, p[1], NULL);
	close(p[1]);
	f = fdopen(p[0], "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, ": ");

		line[strcspn(line, "\n")] = 0;
		if (!sep && (sep = strchr(line, ':')) && sep[1])
			continue;
		if (!sep)
			continue;
		*sep = 0;
		set_field(t, line, sep[1] ? sep + 2 : "");
	}
	if (f)
		fclose(f);
	if (pid < 0 || proc_wait(pid, 10000, &status) || !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct test *)a)->name, ((const struct test *)b)->name);
}

static void add_test(struct catalog *c, const char *dir, const char *file)
{
	struct test *t = &c->tests[c->n];
	size_t len = strlen(file);
	struct stat st;

	if (c->n >= MAX_TESTS || len < 3 || strcmp(file + len - 2, ".c"))
		return;
	memset(t, 0, sizeof(*t));
	char name[sizeof(t->name)], path[sizeof(t->path)];

	snprintf(name, sizeof(name), "%s/%.*s", dir, (int)(len - 2), file);
	if ((size_t)snprintf(path, sizeof(path), "%.3900s/%s", c->root, name) >= sizeof(path))
		return;
	memcpy(t->name, name, sizeof(name));
	memcpy(t->path, path, sizeof(path));
	t->flavors = FL_ALL;
	t->built = !stat(t->path, &st) && S_ISREG(st.st_mode) && (st.st_mode & S_IXUSR);
	c->n++;
}

int catalog_load(struct catalog *c, const char *root)
{
	snprintf(c->root, sizeof(c->root), "%s", root);
	c->n = c->nknown = 0;
	char dirs[1024], *save;

	snprintf(dirs, sizeof(dirs), "%s", getenv("ZDTM_DIRS") ? getenv("ZDTM_DIRS") : default_dirs);
	for (char *dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		char path[4200];
		struct dirent *de;
		DIR *d;

		snprintf(path, sizeof(path), "%s/%s", root, dir);
		d = opendir(path);
		if (!d)
			continue;
		while ((de = readdir(d)))
			add_test(c, dir, de->d_name);
		closedir(d);
	}
	qsort(c->tests, c->n, sizeof(c->tests[0]), by_name);
	return known_load(c) ? -1 : c->n;
}

/* A test's declaration is read when it is needed: a run of one test asks one binary, not all. */
bool catalog_describe(struct test *t)
{
	if (!t->described && t->built) {
		t->described = true;
		t->built = !describe(t);
	}
	return t->built;
}

const struct test *catalog_find(const struct catalog *c, const char *name)
{
	for (int i = 0; i < c->n; i++)
		if (!strcmp(c->tests[i].name, name))
			return &c->tests[i];
	return NULL;
}

static int edit_distance(const char *a, const char *b)
{
	int la = strlen(a), lb = strlen(b), row[256];

	if (lb > 255)
		return 1000;
	for (int j = 0; j <= lb; j++)
		row[j] = j;
	for (int i = 1; i <= la; i++) {
		int diag = row[0];

		row[0] = i;
		for (int j = 1; j <= lb; j++) {
			int up = row[j], best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

void catalog_suggest(const struct catalog *c, const char *name)
{
	const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	int shown = 0;

	/* Near misses (a typo) first, then names that merely contain the word. */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < c->n && shown < 5; i++) {
			const char *tb = strrchr(c->tests[i].name, '/') + 1;
			bool near = edit_distance(base, tb) <= 2;

			if (pass == 0 ? near : !near && strlen(base) >= 3 && strstr(tb, base)) {
				fprintf(stderr, "%s  %s", shown ? "," : "zdtm: did you mean:", c->tests[i].name);
				shown++;
			}
		}
	if (shown)
		fputc('\n', stderr);
}

bool test_has_flag(const struct test *t, const char *flag)
{
	size_t len = strlen(flag);

	for (const char *p = t->flags; (p = strstr(p, flag)); p += len)
		if ((p == t->flags || p[-1] == ' ') && (p[len] == 0 || p[len] == ' '))
			return true;
	return false;
}
