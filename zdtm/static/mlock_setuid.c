#include <signal.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "memory mlock()ed by a child that then took another uid and lowered RLIMIT_MEMLOCK below what "
		 "it holds locked: pages stay locked and resident, uid and limit kept, content kept",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "suid otheruid");

/*
 * The child locks the pages as root, then sets its RLIMIT_MEMLOCK under the locked size and becomes
 * uid 1001 without capabilities: a restore that locked the pages after giving back the uid and the
 * limit would be refused. The test process stays root: it signals its launcher and gives the verdict.
 */
#define PG 4096UL
#define PAGES 64UL                  /* 256 KiB locked: under the usual 8 MiB limit, for mlock() in uns */
#define LIMIT (16 * PG)             /* the limit the child then sets */
#define UID 1001
#define GID 2001

static char copy[PAGES * PG];

static long vmlck_kb(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmLck: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static int check(const char *mem, char *out)
{
	unsigned char vec[PAGES];
	struct rlimit rl;
	struct zdtm_vma v;
	uid_t r, e, s;

	getresuid(&r, &e, &s);
	if (r != UID || e != UID || s != UID)
		return note(out, "uids %u/%u/%u, expected %u (real/effective/saved)", r, e, s, UID);
	if (getrlimit(RLIMIT_MEMLOCK, &rl) || rl.rlim_cur != LIMIT || rl.rlim_max != LIMIT)
		return note(out, "RLIMIT_MEMLOCK %lu/%lu, expected %lu/%lu", (unsigned long)rl.rlim_cur,
			    (unsigned long)rl.rlim_max, LIMIT, LIMIT);
	if (memcmp(mem, copy, sizeof(copy)))
		return note(out, "the locked memory's content changed");
	if (vma_find(mem, &v, true) || v.start != (unsigned long)mem || v.end != v.start + PAGES * PG ||
	    !vma_has_flag(&v, "lo"))
		return note(out, "the mapping is %lx-%lx VmFlags: %s, expected %p-%lx with lo", v.start, v.end,
			    v.flags, (void *)mem, (unsigned long)mem + PAGES * PG);
	if (vmlck_kb() != PAGES * PG / 1024)
		return note(out, "VmLck %ld kB, expected %lu", vmlck_kb(), PAGES * PG / 1024);
	if (mincore((void *)mem, PAGES * PG, vec))
		return note(out, "mincore: %s", strerror(errno));
	for (unsigned long i = 0; i < PAGES; i++)
		if (!(vec[i] & 1))
			return note(out, "locked page %lu is not resident", i);
	return 0;
}

static int child(char *mem, struct zdtm_waiter *w, char *finding)
{
	struct rlimit rl = { LIMIT, LIMIT };

	if (mlock(mem, PAGES * PG))
		return note(finding, "mlock: %s", strerror(errno));
	if (setrlimit(RLIMIT_MEMLOCK, &rl))
		return note(finding, "setrlimit RLIMIT_MEMLOCK: %s", strerror(errno));
	if (setgroups(0, NULL) || setresgid(GID, GID, GID) || setresuid(UID, UID, UID))
		return note(finding, "take uid %d: %s", UID, strerror(errno));
	if (check(mem, finding))
		return 1;
	waiter_post(w, 1);
	waiter_wait(w, 2);
	return check(mem, finding);
}

int main(int argc, char **argv)
{
	char problem[ZDTM_FINDING_LEN] = "", *finding, *guard, *mem;
	struct zdtm_waiter *w;
	int status;
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	if (!(finding = finding_new()))
		return fail_errno("a finding buffer");
	/* One unmapped page on each side, so no neighbour can merge with the mapping. */
	guard = mmap(NULL, (PAGES + 2) * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (guard == MAP_FAILED)
		return fail_errno("mmap");
	mem = guard + PG;
	if (munmap(guard, PG) || munmap(mem + PAGES * PG, PG))
		return fail_errno("munmap the guard pages");
	datagen(mem, PAGES * PG, 51);
	memcpy(copy, mem, sizeof(copy));
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		int ret = child(mem, w, finding);

		if (ret)
			waiter_post(w, 1);
		_exit(ret);
	}
	waiter_wait(w, 1);
	if (finding[0]) {
		waitpid(pid, NULL, 0);
		return fail("before C/R: %s", finding);
	}

	test_daemon();
	test_waitsig();

	waiter_post(w, 2);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	return expect_clean_end(finding, problem, status) ? 1 : pass();
}
