/*
 * Known failures: the ledger zdtm/known-failures (or $ZDTM_KNOWN_FAILURES), the entries that list
 * a job, and whether a job's failure is the one its entry expects. An entry names the phase of the
 * failure and may name a pattern of its reason: a failure elsewhere, or for another reason, stays
 * a failure, so an entry never hides a second defect of the same test.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

/* The phases a failure can be expected at: what cycle.c, criu.c, testproc.c and sandbox.c set. */
static const char *const phases[] = { "start", "dump", "pre-dump", "page-server", "lazy-pages", "restore",
				      "state", "memory", "images", "verify", "leak" };

/* What a glob must be able to match, so that a typo in a column is an error, not a dead entry. */
static const char *const flavors[] = { "h", "ns", "uns", NULL };
static const char *const variations[] = { "cr", "norst", "user-cr", "user-norst", "lazy", "remote-lazy", "lazy-migrate",
					     "page-server", "config", "fault", "stop",
					     "dedup", "noauto-dedup", "pre-dump-read", "pre-dump-splice",
					     "mntns-compat", "join-ns",
					     "empty-ns", "tls", "script", "freezecg", "stream", "rootless", NULL };

static bool valid_phase(const char *s)
{
	for (size_t i = 0; i < sizeof(phases) / sizeof(phases[0]); i++)
		if (!strcmp(s, phases[i]))
			return true;
	return false;
}

static bool matches_one(const char *glob, const char *const *words)
{
	for (; *words; words++)
		if (!fnmatch(glob, *words, 0))
			return true;
	return false;
}

/* The next blank-separated word of *p into out; -1 when there is none or it does not fit. */
static int next_word(char **p, char *out, size_t len)
{
	size_t n;

	*p += strspn(*p, " \t");
	n = strcspn(*p, " \t");
	if (!n || n >= len)
		return -1;
	memcpy(out, *p, n);
	out[n] = 0;
	*p += n;
	return 0;
}

/* An optional /pattern/: it ends at the first slash followed by a blank or the end of the line. */
static const char *parse_pattern(char **p, struct known_failure *k)
{
	char *end;
	int rc;

	*p += strspn(*p, " \t");
	if (**p != '/')
		return NULL;
	for (end = *p + 1; *end && !(*end == '/' && (!end[1] || isblank((unsigned char)end[1]))); end++)
		;
	if (!*end)
		return "the /pattern/ has no closing slash";
	if (end == *p + 1 || (size_t)(end - *p - 1) >= sizeof(k->pattern))
		return "the /pattern/ is empty or too long";
	memcpy(k->pattern, *p + 1, end - *p - 1);
	k->pattern[end - *p - 1] = 0;
	*p = end + 1;
	rc = regcomp(&k->re, k->pattern, REG_EXTENDED | REG_NOSUB);
	if (rc)
		return "the /pattern/ is not a POSIX extended regular expression";
	k->has_re = true;
	return NULL;
}

/* One entry; NULL, or what is wrong with it. */
static const char *parse_entry(char *line, struct known_failure *k)
{
	char *p = line;
	const char *err;

	memset(k, 0, sizeof(*k));
	if (next_word(&p, k->test, sizeof(k->test)) || next_word(&p, k->flavor, sizeof(k->flavor)) ||
	    next_word(&p, k->variation, sizeof(k->variation)) || next_word(&p, k->criu, sizeof(k->criu)) ||
	    next_word(&p, k->phase, sizeof(k->phase)))
		return "wants: test flavor variation criu-version phase [/pattern/] description";
	if (!matches_one(k->flavor, flavors))
		return "the flavor matches none of h, ns, uns";
	if (!matches_one(k->variation, variations))
		return "the variation matches none of cr, norst, user-cr, user-norst, lazy, remote-lazy, lazy-migrate, page-server, "
		       "config, fault, stop, "
		       "dedup, noauto-dedup, pre-dump-read, pre-dump-splice, mntns-compat, join-ns, "
		       "empty-ns, tls, script, freezecg, stream, rootless";
	/* "memory?": a failure that comes in some runs only (a race in criu); its passes are no news */
	if (k->phase[0] && k->phase[strlen(k->phase) - 1] == '?') {
		k->phase[strlen(k->phase) - 1] = 0;
		k->sometimes = true;
	}
	if (!valid_phase(k->phase))
		return "unknown phase (start, dump, pre-dump, page-server, lazy-pages, restore, state, memory, images, verify, leak)";
	if ((err = parse_pattern(&p, k)))
		return err;
	p += strspn(p, " \t");
	if (!*p)
		return "no description of the failure";
	snprintf(k->reason, sizeof(k->reason), "%s", p);
	return NULL;
}

int known_load(struct catalog *c)
{
	char path[4200], line[1024];
	const char *err = NULL;
	int lineno = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s", getenv("ZDTM_KNOWN_FAILURES") ? getenv("ZDTM_KNOWN_FAILURES") : "");
	if (!path[0])
		snprintf(path, sizeof(path), "%s/zdtm/known-failures", c->root);
	f = fopen(path, "re");
	while (f && !err && fgets(line, sizeof(line), f)) {
		char *text = line + strspn(line, " \t");

		lineno++;
		if (!strchr(line, '\n') && !feof(f))
			err = "longer than 1023 characters";
		line[strcspn(line, "\n")] = 0;
		if (err || !*text || *text == '#')
			continue;
		if (c->nknown == MAX_KNOWN)
			err = "more entries than the runner holds (MAX_KNOWN)";
		else if (!(err = parse_entry(text, &c->known[c->nknown])))
			c->known[c->nknown++].line = lineno;
	}
	if (f)
		fclose(f);
	if (err)
		fprintf(stderr, "zdtm: %s:%d: %s\n", path, lineno, err);
	return err ? -1 : 0;
}

int catalog_known(const struct catalog *c, const struct test *t, const char *flavor, const char *variation,
		  const char *criu_version, const struct known_failure **out, int n, int max)
{
	for (int i = 0; i < c->nknown && n < max; i++) {
		const struct known_failure *k = &c->known[i];
		bool dup = false;

		for (int j = 0; j < n; j++)
			dup |= out[j] == k;
		if (!dup && !fnmatch(k->test, t->name, 0) && !fnmatch(k->flavor, flavor, 0) &&
		    !fnmatch(k->variation, variation, 0) && !fnmatch(k->criu, criu_version, 0))
			out[n++] = k;
	}
	return n;
}

bool known_xpass(const struct job *j)
{
	for (int i = 0; i < MAX_KNOWN_PER_JOB && j->known[i]; i++)
		if (!j->known[i]->sometimes)
			return true;
	return false;
}

static bool expects(const struct known_failure *k, const struct result *r)
{
	return !strcmp(k->phase, r->phase) && (!k->has_re || !regexec(&k->re, r->reason, 0, NULL, 0));
}

void known_judge(const struct job *j, struct result *r)
{
	const struct known_failure *near = j->known[0];
	char seen[sizeof(r->reason)];

	if (!near || (r->verdict != V_FAIL && r->verdict != V_BROKEN))
		return;
	for (int i = 0; i < MAX_KNOWN_PER_JOB && j->known[i]; i++) {
		if (expects(j->known[i], r)) {
			r->verdict = V_XFAIL;
			snprintf(r->known, sizeof(r->known), "known failure at %s: %s", j->known[i]->phase,
				 j->known[i]->reason);
			return;
		}
		if (!strcmp(j->known[i]->phase, r->phase) && strcmp(near->phase, r->phase))
			near = j->known[i];
	}
	/* Not the failure the entry describes: a second defect, shown as what it is. */
	snprintf(seen, sizeof(seen), "%s", r->reason);
	if (strcmp(near->phase, r->phase))
		snprintf(r->reason, sizeof(r->reason), "known failure expected at %s, but failed at %s: %s",
			 near->phase, r->phase, seen);
	else
		snprintf(r->reason, sizeof(r->reason), "known failure expected at %s matching /%s/, but failed "
			 "at %s: %s", near->phase, near->pattern, r->phase, seen);
}

void known_list(const struct catalog *c, FILE *out)
{
	for (int i = 0; i < c->nknown; i++) {
		const struct known_failure *k = &c->known[i];

		fprintf(out, "%d: %s %s %s %s %s%s%s%s%s\n", k->line, k->test, k->flavor, k->variation, k->criu,
			k->phase, k->sometimes ? "?" : "", k->has_re ? " /" : "", k->pattern, k->has_re ? "/" : "");
	}
	fprintf(out, "%d known failures\n", c->nknown);
}
