#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a child forked before C/R keeps its view of DONTFORK (absent), WIPEONFORK (own data), DONTDUMP mappings; new forks follow the advice",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#endif

#define PG 4096UL
#define PAGES 4UL
#define LEN (PAGES * PG)

enum { DC, WF, DD, NMAPS };
static const struct {
	int advice;
	const char *flag, *name;
} maps[NMAPS] = {
	[DC] = { MADV_DONTFORK, "dc", "MADV_DONTFORK" },
	[WF] = { MADV_WIPEONFORK, "wf", "MADV_WIPEONFORK" },
	[DD] = { MADV_DONTDUMP, "dd", "MADV_DONTDUMP" },
};
/* Mapping i lives at page 1 + 5 * i of a reserved area: one unmapped page between mappings. */
#define AREA_PAGES (NMAPS * (PAGES + 1) + 1)
#define MAP_AT(i) (area + (1 + (i) * (PAGES + 1)) * PG)

static char *area;
/* What each process should see; made before fork(), so every process knows them all. */
static char orig[NMAPS][LEN], zero[LEN], child_wf[LEN], child_dd[LEN];

/* Mapping i of this process: absent if want is NULL, else its range, its own flag only, want's bytes. */
static int check_one(const char *who, int i, const char *want, char *err, size_t len)
{
	const char *p = MAP_AT(i);
	unsigned char vec[PAGES];
	struct zdtm_vma v;

	if (!want) {
		if (mincore((void *)p, LEN, vec) == 0 || errno != ENOMEM)
			return snprintf(err, len, "%s: the %s mapping is present, expected absent", who, maps[i].name);
		return 0;
	}
	if (vma_find(p, &v, true) || v.start != (unsigned long)p || v.end != (unsigned long)p + LEN)
		return snprintf(err, len, "%s: the %s mapping %p-%lx is not one VMA", who, maps[i].name,
				(void *)p, (unsigned long)p + LEN);
	for (int j = 0; j < NMAPS; j++)
		if (vma_has_flag(&v, maps[j].flag) != (i == j))
			return snprintf(err, len, "%s: the %s mapping %s flag %s (VmFlags: %s)", who, maps[i].name,
					i == j ? "lost" : "gained", maps[j].flag, v.flags);
	for (size_t b = 0; b < LEN; b++)
		if (p[b] != want[b])
			return snprintf(err, len, "%s: the %s mapping: byte %zu of %lu is %#x, expected %#x", who,
					maps[i].name, b, LEN, (unsigned char)p[b], (unsigned char)want[b]);
	return 0;
}

/* Non-zero, with err set, if this process's view differs from want[]. */
static int check_view(const char *who, const char *const want[NMAPS], char *err, size_t len)
{
	for (int i = 0; i < NMAPS; i++)
		if (check_one(who, i, want[i], err, len))
			return 1;
	return 0;
}

/* Fork now: the new process sees no DC mapping, a zero WF mapping, and our DD mapping. */
static int check_fork(const char *who, const char *dd, char *err, size_t len)
{
	const char *const want[NMAPS] = { NULL, zero, dd };
	int p[2], status, n;
	pid_t pid;

	if (pipe(p))
		return snprintf(err, len, "%s: pipe: %s", who, strerror(errno));
	pid = fork();
	if (pid < 0)
		return snprintf(err, len, "%s: fork: %s", who, strerror(errno));
	if (pid == 0) {
		if (check_view(who, want, err, len))
			write_all(p[1], err, strlen(err));
		_exit(0);
	}
	close(p[1]);
	n = read_all(p[0], err, len - 1);
	close(p[0]);
	if (waitpid(pid, &status, 0) != pid)
		return snprintf(err, len, "%s: waitpid: %s", who, strerror(errno));
	if (n > 0) {
		err[n] = 0;
		return 1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return snprintf(err, len, "%s: wait status %#x, expected exit 0", who, status);
	return 0;
}

/* Forked before C/R: writes its own WIPEONFORK and DONTDUMP pages, checks them after. */
static void child(int ready, int go, int report)
{
	const char *const before[NMAPS] = { NULL, zero, orig[DD] };
	const char *const after[NMAPS] = { NULL, child_wf, child_dd };
	char err[512] = "", c;

	if (!check_view("child before C/R", before, err, sizeof(err))) {
		memcpy(MAP_AT(WF), child_wf, LEN);
		memcpy(MAP_AT(DD), child_dd, LEN);
		if (write(ready, "r", 1) != 1 || read(go, &c, 1) != 1)
			_exit(2);
		if (!check_view("child after C/R", after, err, sizeof(err)))
			check_fork("grandchild forked after C/R", child_dd, err, sizeof(err));
	}
	write_all(report, err, strlen(err));
	_exit(0);
}

/* The child's report: empty if all was well. */
static int child_report(int report, pid_t pid)
{
	char err[512];
	int n = read_all(report, err, sizeof(err) - 1), status;

	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (n > 0) {
		err[n] = 0;
		return fail("%s", err);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return fail("child: wait status %#x, expected exit 0", status);
	return 0;
}

int main(int argc, char **argv)
{
	const char *const mine[NMAPS] = { orig[DC], orig[WF], orig[DD] };
	int ready[2], go[2], report[2];
	char err[512], c;
	pid_t pid;

	test_init(argc, argv);
	area = mmap(NULL, AREA_PAGES * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED || munmap(area, AREA_PAGES * PG))
		return fail_errno("reserve the area");
	for (int i = 0; i < NMAPS; i++) {
		char *p = MAP_AT(i);

		if (mmap(p, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			 -1, 0) != p)
			return fail_errno("mmap the %s mapping", maps[i].name);
		datagen(orig[i], LEN, i + 1);
		memcpy(p, orig[i], LEN);
		if (madvise(p, LEN, maps[i].advice))
			return fail_errno("madvise(%s)", maps[i].name);
	}
	/* The child's own data: WIPEONFORK page 0 only (the rest stays zero), DONTDUMP page 1. */
	datagen(child_wf, PG, 50);
	memcpy(child_dd, orig[DD], LEN);
	datagen(child_dd + PG, PG, 51);
	if (check_view("parent before C/R", mine, err, sizeof(err)))
		return fail("%s", err);
	if (pipe(ready) || pipe(go) || pipe(report))
		return fail_errno("pipe");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		child(ready[1], go[0], report[1]);
	close(ready[1]);
	close(report[1]);
	if (read(ready[0], &c, 1) != 1)
		return child_report(report[0], pid) ?: fail("the child ended before C/R");

	test_daemon();
	test_waitsig();

	if (check_view("parent after C/R", mine, err, sizeof(err)) ||
	    check_fork("child forked after C/R", orig[DD], err, sizeof(err))) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return fail("%s", err);
	}
	if (write(go[1], "g", 1) != 1)
		return fail_errno("wake the child");
	if (child_report(report[0], pid))
		return 1;
	return pass();
}
