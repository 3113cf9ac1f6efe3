/*
 * An HTML report of --json reports (jsonload.c reads them back): one self-contained page, inline
 * CSS only, no script, nothing fetched. A grid of tests (rows) by variation and flavor (columns)
 * coloured by verdict; every failure spelled out (phase, criu's error or the state diff, where its
 * files are); criu's dump, restore and frozen times as bars; each run's environment.
 *   zdtm report --html A.json [B.json ...] > report.html      (run --html F and merge --html F too)
 * Several reports (of different variations) become more columns of one grid.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

static const char style[] =
	"body{font:14px/1.4 sans-serif;margin:1.5em;color:#222}h1{margin:0 0 .3em}h2{margin-top:1.6em}"
	"table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:1px 6px;text-align:left}"
	"th{background:#eee;position:sticky;top:0}td.v{text-align:center;font-size:12px;min-width:4.5em}"
	".PASS{background:#b7e4b0}.FAIL{background:#f28b82}.BROKEN{background:#d93025;color:#fff}"
	".TIMEOUT{background:#a142f4;color:#fff}.SKIP{background:#e8eaed;color:#666}.XFAIL{background:#fdd663}"
	".NOTRUN{background:repeating-linear-gradient(45deg,#fff,#fff 4px,#eee 4px,#eee 8px)}"
	".none{color:#bbb}td.v a{color:inherit}details{margin:.4em 0;border-left:4px solid #f28b82;padding-left:.6em}"
	"details.known{border-color:#fdd663}summary{cursor:pointer;font-weight:bold}"
	"pre{white-space:pre-wrap;background:#f6f6f6;padding:.4em;margin:.3em 0}"
	".bars span{display:block;height:5px;margin:1px 0}.d{background:#4285f4}.r{background:#34a853}"
	".z{background:#fbbc04}.key span{display:inline-block;width:1em;height:.7em;margin:0 .3em 0 1em}"
	".count{display:inline-block;padding:2px 8px;margin-right:4px;border-radius:3px}";

/* One column of the grid: a variation (from its report's environment) and a flavor. */
struct column {
	char variation[128];
	enum flavor flavor;
};

struct page {
	const struct loaded_report *reps;
	int nreps;
	char (*variation)[128];   /* per report */
	struct column *cols;
	int ncols;
	const char **rows;         /* test names, first seen first */
	int nrows;
};

static void esc(FILE *f, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
}

/* The class of a verdict (its name without the space of "NOT RUN"). */
static const char *vclass(enum verdict v)
{
	return v < V_COUNT ? verdict_name(v) : "NOTRUN";
}

/* ---- the environment object, read as flat "key": value pairs ---- */

/* The end of the JSON value at p (a string, an object or a bare word). */
static const char *value_end(const char *p)
{
	int depth = 0;
	bool str = false;

	for (; *p; p++) {
		if (str) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				str = false;
			continue;
		}
		if (*p == '"')
			str = true;
		else if (*p == '{' || *p == '[')
			depth++;
		else if ((*p == '}' || *p == ']') && depth-- == 0)
			return p;
		else if (*p == ',' && depth == 0)
			return p;
	}
	return p;
}

/* Prints the value from p to end as text: quotes and backslashes of JSON dropped. */
static void value_text(FILE *f, const char *p, const char *end)
{
	char *v = strndup(p, end - p), *w = v;

	for (char *r = v; *r; r++) {
		if (*r == '\\' && r[1])
			*w++ = *++r;
		else if (*r != '"' && *r != '{' && *r != '}')
			*w++ = *r;
	}
	*w = 0;
	esc(f, v);
	free(v);
}

/* Calls back for each top-level key of the object env (the key unescaped, its value's span). */
static void env_each(const char *env, void (*fn)(void *, const char *, const char *, const char *), void *arg)
{
	const char *p = env ? strchr(env, '{') : NULL;

	while (p && *p && *p != '}') {
		char key[64];
		const char *q = strchr(p, '"'), *k, *end;

		if (!q || !(k = strchr(q + 1, '"')))
			return;
		snprintf(key, sizeof(key), "%.*s", (int)(k - q - 1), q + 1);
		p = k + 1 + strspn(k + 1, ": ");
		end = value_end(p);
		fn(arg, key, p, end);
		p = *end == ',' ? end + 1 : end;
	}
}

static void take_variation(void *arg, const char *key, const char *v, const char *end)
{
	if (!strcmp(key, "variation") && *v == '"')
		snprintf(arg, 128, "%.*s", (int)(end - v - 2), v + 1);
}

static void env_row(void *arg, const char *key, const char *v, const char *end)
{
	FILE *f = arg;

	fputs("<tr><th>", f);
	esc(f, key);
	fputs("</th><td>", f);
	value_text(f, v, end);
	fputs("</td></tr>\n", f);
}

/* ---- the grid ---- */

static int column_of(struct page *pg, const char *variation, enum flavor fl, bool add)
{
	for (int i = 0; i < pg->ncols; i++)
		if (pg->cols[i].flavor == fl && !strcmp(pg->cols[i].variation, variation))
			return i;
	if (!add)
		return -1;
	pg->cols = realloc(pg->cols, (pg->ncols + 1) * sizeof(*pg->cols));
	snprintf(pg->cols[pg->ncols].variation, sizeof(pg->cols[0].variation), "%s", variation);
	pg->cols[pg->ncols].flavor = fl;
	return pg->ncols++;
}

static void add_row(struct page *pg, const char *name)
{
	for (int i = 0; i < pg->nrows; i++)
		if (!strcmp(pg->rows[i], name))
			return;
	pg->rows = realloc(pg->rows, (pg->nrows + 1) * sizeof(*pg->rows));
	pg->rows[pg->nrows++] = name;
}

/* Columns by report, then flavor h, ns, uns; rows in the order the reports list their tests. */
static void page_layout(struct page *pg)
{
	pg->variation = calloc(pg->nreps, sizeof(*pg->variation));
	for (int r = 0; r < pg->nreps; r++) {
		snprintf(pg->variation[r], sizeof(pg->variation[r]), "?");
		env_each(pg->reps[r].environment, take_variation, pg->variation[r]);
		for (enum flavor fl = FL_H; fl <= FL_UNS; fl <<= 1)
			for (int i = 0; i < pg->reps[r].n; i++)
				if (pg->reps[r].jobs[i].flavor == fl) {
					column_of(pg, pg->variation[r], fl, true);
					break;
				}
		for (int i = 0; i < pg->reps[r].n; i++)
			add_row(pg, pg->reps[r].tests[i].name);
	}
}

/* The failure number of a job (its anchor in the failures list), counted in report order. */
static bool is_failure(const struct result *r)
{
	return r->verdict != V_PASS && r->verdict != V_SKIP && r->verdict != V_COUNT;
}

static void grid_cell(FILE *f, const struct page *pg, const char *test, const struct column *c)
{
	int nfail = 0;

	for (int r = 0; r < pg->nreps; r++)
		for (int i = 0; i < pg->reps[r].n; i++) {
			const struct result *res = &pg->reps[r].results[i];
			bool here = pg->reps[r].jobs[i].flavor == c->flavor && !strcmp(pg->variation[r], c->variation) &&
				    !strcmp(pg->reps[r].tests[i].name, test);

			if (!here) {
				nfail += is_failure(res);
				continue;
			}
			fprintf(f, "<td class=\"v %s\" title=\"", vclass(res->verdict));
			esc(f, res->reason);
			if (is_failure(res))
				fprintf(f, "\"><a href=\"#f%d\">%s</a></td>", nfail, verdict_name(res->verdict));
			else
				fprintf(f, "\">%s</td>", verdict_name(res->verdict));
			return;
		}
	fputs("<td class=\"v none\">-</td>", f);
}

static void grid(FILE *f, const struct page *pg)
{
	fputs("<h2>Tests by variation and flavor</h2>\n<table id=\"grid\"><tr><th>test</th>", f);
	for (int c = 0; c < pg->ncols; c++) {
		fputs("<th>", f);
		esc(f, pg->cols[c].variation);
		fprintf(f, " %s</th>", flavor_name(pg->cols[c].flavor));
	}
	fputs("</tr>\n", f);
	for (int t = 0; t < pg->nrows; t++) {
		fputs("<tr><td>", f);
		esc(f, pg->rows[t]);
		fputs("</td>", f);
		for (int c = 0; c < pg->ncols; c++)
			grid_cell(f, pg, pg->rows[t], &pg->cols[c]);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* ---- failures, times, summary ---- */

static void failures(FILE *f, const struct page *pg)
{
	int n = 0;

	fputs("<h2 id=\"failures\">Failures</h2>\n", f);
	for (int r = 0; r < pg->nreps; r++)
		for (int i = 0; i < pg->reps[r].n; i++) {
			const struct result *res = &pg->reps[r].results[i];

			if (!is_failure(res))
				continue;
			fprintf(f, "<details id=\"f%d\"%s><summary><span class=\"count %s\">%s</span> ", n++,
				res->verdict == V_XFAIL ? " class=\"known\"" : " open", vclass(res->verdict),
				verdict_name(res->verdict));
			esc(f, pg->reps[r].tests[i].name);
			fprintf(f, " (%s, ", flavor_name(pg->reps[r].jobs[i].flavor));
			esc(f, pg->variation[r]);
			fputs(") at ", f);
			esc(f, res->phase);
			fputs("</summary><pre>", f);
			esc(f, res->reason);
			fputs("</pre>", f);
			if (res->files[0]) {
				fputs("<p>files kept in <code>", f);
				esc(f, res->files);
				fputs("</code></p>", f);
			}
			fputs("</details>\n", f);
		}
	if (!n)
		fputs("<p>None.</p>\n", f);
}

static void bar(FILE *f, const char *cls, double v, double max)
{
	fprintf(f, "<span class=\"%s\" style=\"width:%.1f%%\"></span>", cls, v > 0 && max > 0 ? 100 * v / max : 0);
}

static void secs(FILE *f, double v)
{
	if (v < 0)
		fputs("<td>-</td>", f);
	else
		fprintf(f, "<td>%.3f</td>", v);
}

/* criu's time per job that ran it, as bars scaled to the longest dump, restore or frozen time. */
static void times(FILE *f, const struct page *pg)
{
	double max = 0;

	for (int r = 0; r < pg->nreps; r++)
		for (int i = 0; i < pg->reps[r].n; i++) {
			const struct metrics *m = &pg->reps[r].results[i].m;

			max = m->dump > max ? m->dump : max;
			max = m->restore > max ? m->restore : max;
			max = m->frozen > max ? m->frozen : max;
		}
	fputs("<h2 id=\"times\">criu's times</h2>\n<p class=\"key\">seconds per job: <span class=\"d\"></span>dump"
	      "<span class=\"r\"></span>restore<span class=\"z\"></span>frozen (the tree stopped)</p>\n"
	      "<table><tr><th>test</th><th>flavor</th><th>variation</th><th>dump</th><th>restore</th>"
	      "<th>frozen</th><th style=\"width:40%\"></th></tr>\n", f);
	for (int r = 0; r < pg->nreps; r++)
		for (int i = 0; i < pg->reps[r].n; i++) {
			const struct metrics *m = &pg->reps[r].results[i].m;

			if (m->dump <= 0 && m->restore <= 0)
				continue;
			fputs("<tr><td>", f);
			esc(f, pg->reps[r].tests[i].name);
			fprintf(f, "</td><td>%s</td><td>", flavor_name(pg->reps[r].jobs[i].flavor));
			esc(f, pg->variation[r]);
			fputs("</td>", f);
			secs(f, m->dump);
			secs(f, m->restore);
			secs(f, m->frozen);
			fputs("<td class=\"bars\">", f);
			bar(f, "d", m->dump, max);
			bar(f, "r", m->restore, max);
			bar(f, "z", m->frozen, max);
			fputs("</td></tr>\n", f);
		}
	fputs("</table>\n", f);
}

static void summary(FILE *f, const struct page *pg)
{
	int count[V_COUNT + 1] = { 0 }, jobs = 0;

	for (int r = 0; r < pg->nreps; r++)
		for (int i = 0; i < pg->reps[r].n; i++, jobs++)
			count[pg->reps[r].results[i].verdict <= V_COUNT ? pg->reps[r].results[i].verdict : V_COUNT]++;
	fprintf(f, "<p>%d jobs from %d report%s: ", jobs, pg->nreps, pg->nreps == 1 ? "" : "s");
	for (int v = 0; v <= V_COUNT; v++)
		if (count[v])
			fprintf(f, "<span class=\"count %s\">%d %s</span>", vclass(v), count[v], verdict_name(v));
	fputs("</p>\n<p><a href=\"#grid\">grid</a> &middot; <a href=\"#failures\">failures</a> &middot; "
	      "<a href=\"#times\">criu's times</a> &middot; <a href=\"#environment\">environment</a></p>\n", f);
}

static void environments(FILE *f, const struct page *pg)
{
	fputs("<h2 id=\"environment\">Environment</h2>\n", f);
	for (int r = 0; r < pg->nreps; r++) {
		fprintf(f, "<h3>run %d: ", r + 1);
		esc(f, pg->variation[r]);
		fprintf(f, " (wall %.1f s)</h3>\n<table>\n", pg->reps[r].wall);
		env_each(pg->reps[r].environment, env_row, f);
		fputs("</table>\n", f);
	}
}

int html_write(FILE *f, const struct loaded_report *reps, int nreps)
{
	struct page pg = { .reps = reps, .nreps = nreps };

	page_layout(&pg);
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		   "<title>zdtm report</title>\n<style>%s</style></head>\n<body>\n<h1>zdtm report</h1>\n", style);
	summary(f, &pg);
	grid(f, &pg);
	failures(f, &pg);
	times(f, &pg);
	environments(f, &pg);
	fputs("</body></html>\n", f);
	free(pg.variation);
	free(pg.cols);
	free(pg.rows);
	return ferror(f) ? -1 : 0;
}

int html_file(const char *path, const struct loaded_report *reps, int nreps)
{
	FILE *f = fopen(path, "we");
	int rc;

	if (!f) {
		perror(path);
		return -1;
	}
	rc = html_write(f, reps, nreps);
	return fclose(f) || rc ? -1 : 0;
}

/* zdtm report --html A.json [B.json ...]: the page on stdout. */
int cmd_report(int argc, char **argv)
{
	struct loaded_report *reps;
	int n = argc - 2, rc = 0;

	if (argc < 3 || strcmp(argv[1], "--html")) {
		fprintf(stderr, "zdtm: usage: zdtm report --html A.json [B.json ...] > report.html\n");
		return 2;
	}
	reps = calloc(n, sizeof(*reps));
	for (int i = 0; i < n && !rc; i++)
		if (json_load(argv[i + 2], &reps[i]))
			rc = 2;
	if (!rc && html_write(stdout, reps, n))
		rc = 1;
	for (int i = 0; i < n; i++)
		json_free(&reps[i]);
	free(reps);
	return rc;
}
