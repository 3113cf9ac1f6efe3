/*
 * --tap FILE (TAP version 14) and --junit FILE (JUnit XML as GitLab and the usual GitHub Actions
 * reporters read it: one testsuite per flavor). One test point per job; failures carry the phase and
 * the reason (criu's error line or the state difference).
 */
#include <stdio.h>
#include <string.h>

#include "runner.h"

static bool failed(enum verdict v)
{
	return v == V_FAIL || v == V_BROKEN || v == V_TIMEOUT;
}

/* A YAML single-quoted scalar: quotes doubled, nothing else to escape. */
static void yaml_quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++)
		fputs(*s == '\'' ? "''" : (char[]){ *s, 0 }, f);
	fputc('\'', f);
}

int report_tap(const char *path, const struct plan *p, const struct result *results)
{
	FILE *f = fopen(path, "we");

	if (!f) {
		perror(path);
		return -1;
	}
	fprintf(f, "TAP version 14\n1..%d\n", p->n);
	for (int i = 0; i < p->n; i++) {
		const struct result *r = &results[i];
		const char *name = p->jobs[i].test->name, *fl = flavor_name(p->jobs[i].flavor);

		if (r->verdict == V_SKIP || r->verdict == V_COUNT) {
			fprintf(f, "ok %d - %s (%s) # SKIP %s\n", i + 1, name, fl,
				r->verdict == V_COUNT ? "not run" : r->reason);
			continue;
		}
		if (r->verdict == V_XFAIL)
			fprintf(f, "not ok %d - %s (%s) # TODO %s\n", i + 1, name, fl, r->known);
		else
			fprintf(f, "%s %d - %s (%s)\n", failed(r->verdict) ? "not ok" : "ok", i + 1, name, fl);
		if (!failed(r->verdict) && r->verdict != V_XFAIL)
			continue;
		fprintf(f, "  ---\n  verdict: %s\n  phase: %s\n  message: ", verdict_name(r->verdict), r->phase);
		yaml_quoted(f, r->reason);
		fprintf(f, "\n  duration_ms: %.0f\n  ...\n", r->wall * 1000);
	}
	return fclose(f);
}

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
			fputc(' ', f);
		else
			fputc(*s, f);
	}
}

static void junit_suite(FILE *f, const struct plan *p, const struct result *results, enum flavor fl)
{
	int tests = 0, failures = 0, skipped = 0;
	double time = 0;

	for (int i = 0; i < p->n; i++) {
		if (p->jobs[i].flavor != fl)
			continue;
		tests++;
		failures += failed(results[i].verdict);
		skipped += results[i].verdict == V_SKIP || results[i].verdict == V_XFAIL || results[i].verdict == V_COUNT;
		time += results[i].wall;
	}
	if (!tests)
		return;
	fprintf(f, "  <testsuite name=\"zdtm-%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\" time=\"%.3f\">\n",
		flavor_name(fl), tests, failures, skipped, time);
	for (int i = 0; i < p->n; i++) {
		const struct result *r = &results[i];

		if (p->jobs[i].flavor != fl)
			continue;
		fprintf(f, "    <testcase classname=\"zdtm.%s\" name=\"", flavor_name(fl));
		xml_text(f, p->jobs[i].test->name);
		fprintf(f, "\" time=\"%.3f\">", r->wall);
		if (failed(r->verdict)) {
			fprintf(f, "\n      <failure type=\"%s\" message=\"", verdict_name(r->verdict));
			xml_text(f, r->phase);
			fputs(": ", f);
			xml_text(f, r->reason);
			fputs("\"/>\n    ", f);
		} else if (r->verdict == V_SKIP || r->verdict == V_XFAIL || r->verdict == V_COUNT) {
			fputs("\n      <skipped message=\"", f);
			xml_text(f, r->verdict == V_COUNT ? "not run" : r->verdict == V_XFAIL ? r->known : r->reason);
			if (r->verdict == V_XFAIL) {
				fputs("; seen at ", f);
				xml_text(f, r->phase);
				fputs(": ", f);
				xml_text(f, r->reason);
			}
			fputs("\"/>\n    ", f);
		}
		fputs("</testcase>\n", f);
	}
	fputs("  </testsuite>\n", f);
}

int report_junit(const char *path, const struct plan *p, const struct result *results)
{
	FILE *f = fopen(path, "we");

	if (!f) {
		perror(path);
		return -1;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"zdtm\">\n", f);
	for (enum flavor fl = FL_H; fl <= FL_UNS; fl <<= 1)
		junit_suite(f, p, results, fl);
	fputs("</testsuites>\n", f);
	return fclose(f);
}
