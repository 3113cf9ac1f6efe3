/*
 * Reading a --json report back (json.c writes it): the environment block as text, and per job the
 * test, flavor, verdict, reason, times and metrics. Only our own format is understood: one job
 * object per line, keys as json.c writes them. Used by zdtm merge, zdtm compare and --durations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

/* A loaded job that was listed as a known failure when it ran; what it expected is in r->known. */
static const struct known_failure loaded_known = { .reason = "(from a report)" };

/* The value after "key": in line, or NULL. Escaped quotes inside strings cannot match the key. */
static const char *value_of(const char *line, const char *key)
{
	char pat[48];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\": ", key);
	p = strstr(line, pat);
	return p ? p + strlen(pat) : NULL;
}

static void string_of(const char *line, const char *key, char *out, size_t len)
{
	const char *p = value_of(line, key);
	size_t n = 0;

	if (p && *p++ == '"')
		for (; *p && *p != '"' && n + 1 < len; p++) {
			if (*p == '\\' && p[1] == 'u') {
				out[n++] = (char)strtol((char[]){ p[2], p[3], p[4], p[5], 0 }, NULL, 16);
				p += 5;
				continue;
			}
			if (*p == '\\' && p[1])
				p++;
			out[n++] = *p;
		}
	out[n] = 0;
}

/* A number; null (a metric criu did not report) and a missing key read as -1. */
static double number_of(const char *line, const char *key)
{
	const char *p = value_of(line, key);

	return p && *p != 'n' ? atof(p) : -1;
}

static enum verdict verdict_of(const char *name)
{
	for (int v = 0; v < V_COUNT; v++)
		if (!strcmp(name, verdict_name(v)))
			return v;
	return V_COUNT;
}

static void job_of(const char *line, struct test *t, struct job *j, struct result *r, int index)
{
	char word[32];
	struct metrics *m = &r->m;

	string_of(line, "test", t->name, sizeof(t->name));
	string_of(line, "flavor", word, sizeof(word));
	*j = (struct job){ .test = t, .flavor = flavors_parse(word, ","), .index = index };
	if (value_of(line, "known_failure") && *value_of(line, "known_failure") == 't')
		j->known[0] = &loaded_known;
	string_of(line, "verdict", word, sizeof(word));
	r->verdict = verdict_of(word);
	string_of(line, "phase", r->phase, sizeof(r->phase));
	string_of(line, "reason", r->reason, sizeof(r->reason));
	string_of(line, "known", r->known, sizeof(r->known));
	string_of(line, "files", r->files, sizeof(r->files));
	r->wall = number_of(line, "wall");
	r->criu = number_of(line, "criu");
	r->test = number_of(line, "test_time");
	*m = (struct metrics){ number_of(line, "dump"), number_of(line, "pre_dump"), number_of(line, "restore"),
			       number_of(line, "freezing"), number_of(line, "frozen"), number_of(line, "memdump"),
			       number_of(line, "memwrite"), number_of(line, "pages_scanned"),
			       number_of(line, "pages_written"), number_of(line, "pages_restored"),
			       number_of(line, "image_bytes"), number_of(line, "memory_digest") };
}

static int grow(struct loaded_report *r, int *cap)
{
	if (r->n < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 64;
	r->tests = realloc(r->tests, *cap * sizeof(*r->tests));
	r->jobs = realloc(r->jobs, *cap * sizeof(*r->jobs));
	r->results = realloc(r->results, *cap * sizeof(*r->results));
	return r->tests && r->jobs && r->results ? 0 : -1;
}

int json_load(const char *path, struct loaded_report *r)
{
	FILE *f = fopen(path, "re");
	char line[8192];
	int cap = 0;

	memset(r, 0, sizeof(*r));
	if (!f) {
		fprintf(stderr, "zdtm: cannot read %s\n", path);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (!strncmp(line, "\"environment\": ", 15)) {
			free(r->environment);
			r->environment = strndup(line + 15, strlen(line + 15) - (line[strlen(line) - 1] == ','));
		} else if (!strncmp(line, "{\"test\": ", 9)) {
			if (grow(r, &cap))
				break;
			memset(&r->tests[r->n], 0, sizeof(r->tests[r->n]));
			memset(&r->results[r->n], 0, sizeof(r->results[r->n]));
			job_of(line, &r->tests[r->n], &r->jobs[r->n], &r->results[r->n], r->n);
			r->n++;
		} else if (!strncmp(line, "\"totals\": ", 10)) {
			r->wall = number_of(line, "wall");
		}
	}
	fclose(f);
	/* The jobs point at their tests: fix them up now that the arrays stopped moving. */
	for (int i = 0; i < r->n; i++)
		r->jobs[i].test = &r->tests[i];
	if (!r->environment || !r->n) {
		fprintf(stderr, "zdtm: %s is not a zdtm --json report with jobs\n", path);
		json_free(r);
		return -1;
	}
	return 0;
}

void json_free(struct loaded_report *r)
{
	free(r->environment);
	free(r->tests);
	free(r->jobs);
	free(r->results);
	memset(r, 0, sizeof(*r));
}
