/*
 * --json FILE: the run for machines. One job object per line inside "jobs", so
 * that line tools can read it too; strings escaped by hand (no library).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "runner.h"

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* The runner's own peak resident memory, in kB (its jobs are other processes). */
static long peak_rss_kb(void)
{
	char buf[4096], *p;

	if (read_text("/proc/self/status", buf, sizeof(buf)) <= 0 || !(p = strstr(buf, "VmHWM:")))
		return -1;
	return atol(p + 6);
}

int report_json(const char *path, const struct run_opts *o, const struct engine *e, const struct plan *p,
		const struct result *results, double wall)
{
	FILE *f = fopen(path, "we");
	struct utsname u;
	int count[V_COUNT + 1] = { 0 };
	double criu = 0, test = 0;

	if (!f) {
		perror(path);
		return -1;
	}
	uname(&u);
	fprintf(f, "{\n\"environment\": {\"kernel\": ");
	json_string(f, u.release);
	fprintf(f, ", \"arch\": ");
	json_string(f, u.machine);
	fprintf(f, ", \"cpus\": %ld, \"criu\": ", sysconf(_SC_NPROCESSORS_ONLN));
	json_string(f, e->path);
	fprintf(f, ", \"criu_version\": ");
	json_string(f, e->version);
	fprintf(f, ", \"parallel\": %d},\n\"jobs\": [\n", o->parallel);
	for (int i = 0; i < p->n; i++) {
		const struct result *r = &results[i];

		count[r->verdict <= V_COUNT ? r->verdict : V_COUNT]++;
		criu += r->criu;
		test += r->test;
		fprintf(f, "{\"test\": ");
		json_string(f, p->jobs[i].test->name);
		fprintf(f, ", \"flavor\": \"%s\", \"verdict\": \"%s\", \"phase\": ", flavor_name(p->jobs[i].flavor),
			verdict_name(r->verdict));
		json_string(f, r->phase);
		fprintf(f, ", \"reason\": ");
		json_string(f, r->reason);
		fprintf(f, ", \"wall\": %.4f, \"criu\": %.4f, \"test_time\": %.4f}%s\n", r->wall, r->criu, r->test,
			i + 1 < p->n ? "," : "");
	}
	fprintf(f, "],\n\"totals\": {\"jobs\": %d, \"pass\": %d, \"fail\": %d, \"skip\": %d, \"broken\": %d, "
		   "\"timeout\": %d, \"xfail\": %d, \"wall\": %.4f, \"criu\": %.4f, \"test_time\": %.4f, "
		   "\"runner_peak_rss_kb\": %ld}\n}\n",
		p->n, count[V_PASS], count[V_FAIL], count[V_SKIP], count[V_BROKEN], count[V_TIMEOUT], count[V_XFAIL],
		wall, criu, test, peak_rss_kb());
	return fclose(f);
}
