#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

/* nolazy: a lazy restore copies every page into each task on its own (userfaultfd), so no page can
 * come back shared between parent and child (--lazy-pages: "kB shared ... found 0, expected 28"). */
ZDTM_TEST(.doc = "private pages shared copy-on-write with a child stay shared; each side then sees only its own writes",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nolazy");

#define PG 4096UL
#define PAGES 8UL
#define LEN (PAGES * PG)
/* Before C/R the child writes CHILD_EARLY; after C/R the parent writes PARENT_PAGE, the child CHILD_PAGE. */
enum { PARENT_PAGE = 1, CHILD_PAGE = 2, CHILD_EARLY = 7 };
#define SHARED_KB ((PAGES - 1) * PG / 1024)   /* all pages but CHILD_EARLY */

/* What each page held at fork() time, and what each side writes; generated before fork(). */
static char orig[LEN], parent_data[PG], child_data[PG], child_early[PG];

/* Every page holds what it held at fork() time, except the ones in `changed`. */
static int check_pages(const char *who, const char *mem, const char *changed[PAGES])
{
	char what[64];

	for (unsigned long i = 0; i < PAGES; i++) {
		snprintf(what, sizeof(what), "%s: page %lu", who, i);
		if (expect_bytes(what, mem + i * PG, changed[i] ? changed[i] : orig + i * PG, PG))
			return 1;
	}
	return 0;
}

/* Shared_Clean + Shared_Dirty of the VMA that starts at addr, in kB: pages mapped by both sides. */
static long shared_kb(const void *addr)
{
	struct zdtm_vma v;

	if (vma_find(addr, &v, true) || v.start != (unsigned long)addr)
		return -1;
	return vma_kb(&v, "Shared_Clean") + vma_kb(&v, "Shared_Dirty");
}

static int child(char *mem, int ready, int go)
{
	const char *changed[PAGES] = { [CHILD_PAGE] = child_data, [CHILD_EARLY] = child_early };
	char c;

	memcpy(mem + CHILD_EARLY * PG, child_early, PG);
	if (write(ready, "r", 1) != 1 || read(go, &c, 1) != 1)
		return 2;
	memcpy(mem + CHILD_PAGE * PG, child_data, PG);
	return check_pages("child", mem, changed);
}

int main(int argc, char **argv)
{
	const char *changed[PAGES] = { [PARENT_PAGE] = parent_data };
	int ready[2], go[2], status;
	char *guard, *mem, c;
	pid_t pid;

	test_init(argc, argv);
	/* One unmapped page on each side, so no neighbour can merge with the mapping. */
	guard = mmap(NULL, LEN + 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (guard == MAP_FAILED)
		return fail_errno("mmap");
	mem = guard + PG;
	if (munmap(guard, PG) || munmap(mem + LEN, PG))
		return fail_errno("munmap the guard pages");
	datagen(mem, LEN, 1);
	memcpy(orig, mem, LEN);
	datagen(parent_data, PG, 2);
	datagen(child_data, PG, 3);
	datagen(child_early, PG, 4);
	if (pipe(ready) || pipe(go))
		return fail_errno("pipe");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		_exit(child(mem, ready[1], go[0]));
	if (read(ready[0], &c, 1) != 1)
		return fail_errno("wait for the child");
	if (expect_int("kB shared with the child before C/R", shared_kb(mem), SHARED_KB))
		goto kill_child;

	test_daemon();
	test_waitsig();

	if (expect_int("kB shared with the child after C/R", shared_kb(mem), SHARED_KB))
		goto kill_child;
	memcpy(mem + PARENT_PAGE * PG, parent_data, PG);
	if (write(go[1], "g", 1) != 1)
		return fail_errno("wake the child");
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return fail("child saw wrong pages: wait status 0x%x, expected exit 0", status);
	if (check_pages("parent", mem, changed))
		return 1;
	return pass();

kill_child:
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return 1;
}
