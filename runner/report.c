/* What people read: a header, one line per job as it ends, the summary. */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "runner.h"

static const char *const names[V_COUNT] = { "PASS", "FAIL", "SKIP", "BROKEN", "TIMEOUT", "XFAIL" };

const char *verdict_name(enum verdict v)
{
	return v < V_COUNT ? names[v] : "NOT RUN";
}

const char *run_variation(const struct run_opts *o, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s%s%s", o->nocr ? "nocr" : o->norst ? "norst" : "cr",
		 o->snaps ? " --snaps" : "", o->page_server ? " --page-server" : "", o->sibling ? " --sibling" : "",
		 o->user ? " --user" : "", o->remote_lazy ? " --remote-lazy-pages" : o->lazy_migrate ? " --lazy-migrate" : o->lazy_pages ? " --lazy-pages" : "",
		 o->criu_config ? " --criu-config" : "");
	if (o->stop)
		snprintf(buf + strlen(buf), len - strlen(buf), " --stop");
	if (o->rpc)
		snprintf(buf + strlen(buf), len - strlen(buf), " --rpc");
	if (o->rootless)
		snprintf(buf + strlen(buf), len - strlen(buf), " --rootless");
	if (o->crit)
		snprintf(buf + strlen(buf), len - strlen(buf), " --crit");
	if (o->preload_libfault)
		snprintf(buf + strlen(buf), len - strlen(buf), " --preload-libfault");
	if (o->fault)
		snprintf(buf + strlen(buf), len - strlen(buf), " --fault %d", o->fault);
	if (o->dedup || o->noauto_dedup)
		snprintf(buf + strlen(buf), len - strlen(buf), " %s", o->dedup ? "--dedup" : "--noauto-dedup");
	if (o->pre_dump_mode)
		snprintf(buf + strlen(buf), len - strlen(buf), " --pre-dump-mode %s", o->pre_dump_mode);
	if (o->mntns_compat)
		snprintf(buf + strlen(buf), len - strlen(buf), " --mntns-compat-mode");
	if (o->join_ns)
		snprintf(buf + strlen(buf), len - strlen(buf), " --join-ns");
	if (o->empty_ns)
		snprintf(buf + strlen(buf), len - strlen(buf), " --empty-ns");
	if (o->tls)
		snprintf(buf + strlen(buf), len - strlen(buf), " --tls");
	if (o->freezecg)
		snprintf(buf + strlen(buf), len - strlen(buf), " --freezecg %s",
			 o->freezecg == FREEZECG_FROZEN ? "frozen" : "thawed");
	if (o->script)
		snprintf(buf + strlen(buf), len - strlen(buf), " --script %s", o->script);
	if (o->iters > 1)
		snprintf(buf + strlen(buf), len - strlen(buf), " --iter %d", o->iters);
	if (o->pre)
		snprintf(buf + strlen(buf), len - strlen(buf), " --pre %d", o->pre);
	return buf;
}

void report_header(const struct run_opts *o, const struct engine *e, const struct plan *p, const char *rundir)
{
	struct utsname u;
	char var[256], warn[512];

	uname(&u);
	printf("zdtm: criu %s (%s), kernel %s, %d job%s, variation %s, -p %d\n", e->version, e->path,
	       u.release, p->n, p->n == 1 ? "" : "s", run_variation(o, var, sizeof(var)), o->parallel);
	if (host_fs_warning(rundir, warn, sizeof(warn)))
		printf("zdtm: warning: %s\n", warn);
	if (host_taint() > 0)
		printf("zdtm: warning: the kernel is already tainted (%ld)\n", host_taint());
	if (o->user)
		printf("zdtm: --user: the tests and every criu call but restore run as uid %d (criu with its file "
		       "capabilities and --unprivileged); restores run as root\n", USER_UID);
	else if (o->rootless)
		printf("zdtm: --rootless: each job as uid %d in a user namespace it owns (mount, pid and cgroup "
		       "namespaces of its own), no capability; criu --unprivileged, a copy with cap_checkpoint_restore "
		       "and cap_sys_ptrace (+eip)\n", USER_UID);
	else if (!e->uid_switch)
		printf("zdtm: CAP_SYS_RESOURCE is not in the bounding set: tests stay root in h and ns "
		       "(in uns they drop to uid 18943 inside their user namespace)\n");
	fflush(stdout);
}

/* On a terminal a status line counts jobs and estimates the time left; it is wiped before any
 * other output. Without a terminal nothing of it is written (no control characters in logs). */
static void wipe_status(void)
{
	if (isatty(1))
		fputs("\r\033[K", stdout);
}

void report_progress(int done, int total, double elapsed)
{
	double left = done ? elapsed / done * (total - done) : 0;

	if (!isatty(1) || done >= total)
		return;
	printf("[%d/%d done, about %dm%02ds left]", done, total, (int)left / 60, (int)left % 60);
	fflush(stdout);
}

void report_job(const struct job *j, const struct result *r, const char *dir)
{
	wipe_status();
	printf("%-7s %-40s %-3s %6.2fs", verdict_name(r->verdict), j->test->name,
	       flavor_name(j->flavor), r->wall);
	if (r->verdict == V_SKIP)
		printf("  (%s)", r->reason);
	if (r->verdict == V_XFAIL)
		printf("  (%s)\n        seen: %s", r->known, r->reason);
	if (r->verdict == V_PASS && known_xpass(j))
		printf("  (XPASS: listed in zdtm/known-failures, which may be out of date)");
	putchar('\n');
	if (r->verdict != V_PASS && r->verdict != V_SKIP && r->verdict != V_XFAIL) {
		printf("        at %s: %s\n", r->phase, r->reason);
		if (dir)
			printf("        files: %s\n", dir);
	}
	fflush(stdout);
}

int report_summary(const struct plan *p, const struct result *results, const struct run_end *end,
		   long taint_before)
{
	int count[V_COUNT + 1] = { 0 }, failed;
	long taint = host_taint();

	wipe_status();
	for (int i = 0; i < p->n; i++)
		count[results[i].verdict <= V_COUNT ? results[i].verdict : V_COUNT]++;
	failed = count[V_FAIL] + count[V_BROKEN] + count[V_TIMEOUT];
	printf("\nzdtm: %d PASS, %d FAIL, %d SKIP, %d BROKEN, %d TIMEOUT, %d XFAIL", count[V_PASS],
	       count[V_FAIL], count[V_SKIP], count[V_BROKEN], count[V_TIMEOUT], count[V_XFAIL]);
	if (count[V_COUNT])
		printf(", %d not run", count[V_COUNT]);
	printf("%s\n", end->interrupted ? " (interrupted)" : "");
	for (int i = 0; i < p->n; i++) {
		const struct result *r = &results[i];

		if (r->verdict == V_FAIL || r->verdict == V_BROKEN || r->verdict == V_TIMEOUT)
			printf("  %-7s %s (%s) at %s: %s\n", verdict_name(r->verdict), p->jobs[i].test->name,
			       flavor_name(p->jobs[i].flavor), r->phase, r->reason);
	}
	/* A kernel that got tainted while tests ran makes every verdict of the run suspect. */
	if (taint != taint_before) {
		printf("zdtm: FAIL: the kernel taint changed during the run: %ld -> %ld (see dmesg)\n",
		       taint_before, taint);
		failed++;
	}
	/* Said last again, so that the end of a long log shows why most jobs did not run. */
	if (end->stopped[0]) {
		printf("zdtm: %s\n", end->stopped);
		failed++;
	}
	fflush(stdout);
	if (end->interrupted)
		return 130;
	return failed ? 1 : 0;
}

static void cell_time(double v)
{
	if (v < 0)
		printf(" %8s", "-");
	else
		printf(" %8.3f", v);
}

static void cell_count(long long v)
{
	if (v < 0)
		printf(" %8s", "-");
	else
		printf(" %8lld", v);
}

void report_stats(const struct plan *p, const struct result *results)
{
	printf("\n%-36s %-3s %-7s %8s %8s %8s %8s %8s %8s %8s\n", "criu cost (s, pages, KiB)", "fl", "verdict",
	       "dump", "pre-dump", "restore", "frozen", "pg.scan", "pg.wrote", "img KiB");
	for (int i = 0; i < p->n; i++) {
		const struct result *r = &results[i];
		const struct metrics *m = &r->m;

		if (r->verdict == V_SKIP || r->verdict == V_COUNT)
			continue;
		printf("%-36s %-3s %-7s", p->jobs[i].test->name, flavor_name(p->jobs[i].flavor),
		       verdict_name(r->verdict));
		cell_time(m->dump);
		cell_time(m->pre_dump);
		cell_time(m->restore);
		cell_time(m->frozen);
		cell_count(m->pages_scanned);
		cell_count(m->pages_written);
		cell_count(m->image_bytes < 0 ? -1 : (m->image_bytes + 1023) / 1024);
		putchar('\n');
	}
	fflush(stdout);
}
