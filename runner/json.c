/*
 * --json FILE: the run for machines. One job object per line inside "jobs", so that line tools
 * (and jsonload.c) can read it back; strings escaped by hand (no library). A metric criu's stats
 * images did not provide is null.
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

static void json_num(FILE *f, const char *name, double v, bool seconds)
{
	if (v < 0)
		fprintf(f, ", \"%s\": null", name);
	else
		fprintf(f, seconds ? ", \"%s\": %.4f" : ", \"%s\": %.0f", name, v);
}

/* A line of a /proc or /etc file after its key, e.g. "MemTotal:" -> "24576000 kB". */
static void file_value(const char *path, const char *key, char *out, size_t len)
{
	char line[256];

	out[0] = 0;
	if (!grep_first(path, key, line, sizeof(line))) {
		const char *v = line + strlen(key);

		v += strspn(v, " \t\"");
		snprintf(out, len, "%.*s", (int)strcspn(v, "\"\n"), v);
	}
}

/* Kernel, distribution, machine, criu and the variation: what makes two runs comparable. */
static void environment(FILE *f, const struct run_opts *o, const struct engine *e)
{
	struct utsname u;
	char distro[128], mem[64], var[128];

	uname(&u);
	file_value("/etc/os-release", "PRETTY_NAME=", distro, sizeof(distro));
	file_value("/proc/meminfo", "MemTotal:", mem, sizeof(mem));
	fprintf(f, "{\"kernel\": ");
	json_string(f, u.release);
	fprintf(f, ", \"distro\": ");
	json_string(f, distro);
	fprintf(f, ", \"arch\": ");
	json_string(f, u.machine);
	fprintf(f, ", \"cpus\": %ld, \"memory_kb\": %ld, \"criu\": ", sysconf(_SC_NPROCESSORS_ONLN), atol(mem));
	json_string(f, e->path);
	fprintf(f, ", \"criu_version\": ");
	json_string(f, e->version);
	fprintf(f, ", \"criu_features\": ");
	engine_features(e, f);
	fprintf(f, ", \"variation\": ");
	json_string(f, run_variation(o, var, sizeof(var)));
	fprintf(f, ", \"parallel\": %d}", o->parallel);
}

/* The runner's own peak resident memory, in kB (its jobs are other processes). */
static long peak_rss_kb(void)
{
	char buf[4096], *p;

	if (read_text("/proc/self/status", buf, sizeof(buf)) <= 0 || !(p = strstr(buf, "VmHWM:")))
		return -1;
	return atol(p + 6);
}

static void job_line(FILE *f, const struct job *j, const struct result *r)
{
	const struct metrics *m = &r->m;

	fprintf(f, "{\"test\": ");
	json_string(f, j->test->name);
	fprintf(f, ", \"flavor\": \"%s\", \"verdict\": \"%s\", \"known_failure\": %s, \"phase\": ",
		flavor_name(j->flavor), verdict_name(r->verdict), j->known[0] ? "true" : "false");
	json_string(f, r->phase);
	fprintf(f, ", \"reason\": ");
	json_string(f, r->reason);
	fprintf(f, ", \"known\": ");
	json_string(f, r->known);
	fprintf(f, ", \"wall\": %.4f, \"criu\": %.4f, \"test_time\": %.4f", r->wall, r->criu, r->test);
	json_num(f, "dump", m->dump, true);
	json_num(f, "pre_dump", m->pre_dump, true);
	json_num(f, "restore", m->restore, true);
	json_num(f, "freezing", m->freezing, true);
	json_num(f, "frozen", m->frozen, true);
	json_num(f, "memdump", m->memdump, true);
	json_num(f, "memwrite", m->memwrite, true);
	json_num(f, "pages_scanned", m->pages_scanned, false);
	json_num(f, "pages_written", m->pages_written, false);
	json_num(f, "pages_restored", m->pages_restored, false);
	json_num(f, "image_bytes", m->image_bytes, false);
	json_num(f, "memory_digest", m->mem_digest, true);
	fprintf(f, ", \"files\": ");
	json_string(f, r->files);
	fputc('}', f);
}

int report_json_env(const char *path, const char *env, const struct plan *p, const struct result *results,
		    double wall)
{
	FILE *f = fopen(path, "we");
	int count[V_COUNT + 1] = { 0 };
	double criu = 0, test = 0;

	if (!f) {
		perror(path);
		return -1;
	}
	fprintf(f, "{\n\"environment\": %s,\n\"jobs\": [\n", env);
	for (int i = 0; i < p->n; i++) {
		const struct result *r = &results[i];

		count[r->verdict <= V_COUNT ? r->verdict : V_COUNT]++;
		criu += r->criu;
		test += r->test;
		job_line(f, &p->jobs[i], r);
		fprintf(f, "%s\n", i + 1 < p->n ? "," : "");
	}
	fprintf(f, "],\n\"totals\": {\"jobs\": %d, \"pass\": %d, \"fail\": %d, \"skip\": %d, \"broken\": %d, "
		   "\"timeout\": %d, \"xfail\": %d, \"not_run\": %d, \"wall\": %.4f, \"criu\": %.4f, "
		   "\"test_time\": %.4f, \"runner_peak_rss_kb\": %ld}\n}\n",
		p->n, count[V_PASS], count[V_FAIL], count[V_SKIP], count[V_BROKEN], count[V_TIMEOUT], count[V_XFAIL],
		count[V_COUNT], wall, criu, test, peak_rss_kb());
	return fclose(f);
}

int report_json(const char *path, const struct run_opts *o, const struct engine *e, const struct plan *p,
		const struct result *results, double wall)
{
	char *env = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&env, &len);
	int rc;

	if (!f)
		return -1;
	environment(f, o, e);
	fclose(f);
	rc = report_json_env(path, env, p, results, wall);
	free(env);
	return rc;
}
