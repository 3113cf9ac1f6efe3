#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a shared anonymous mapping stays shared between the test and its child, with its content",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PG 4096UL
#define PAGES 4UL
#define LEN (PAGES * PG)

/* Page 1 is written by the parent after C/R, page 2 by the child; 0 and 3 stay. */
enum { PARENT_PAGE = 1, CHILD_PAGE = 2 };

/* Generated before fork(), so both sides know what the other one writes. */
static char orig[LEN], parent_data[PG], child_data[PG];

/* Every page of the region holds what it held before C/R, except the ones in `changed`. */
static int check_region(const char *who, const char *mem, const char *changed[PAGES])
{
	for (unsigned long i = 0; i < PAGES; i++) {
		const char *want = changed[i] ? changed[i] : orig + i * PG;
		char what[64];

		snprintf(what, sizeof(what), "%s: page %lu of the shared region", who, i);
		if (expect_bytes(what, mem + i * PG, want, PG))
			return 1;
	}
	return 0;
}

/* Pipes, not the shared memory under test, carry the "ready" and "go" messages. */
static int child(char *mem, int ready, int go)
{
	const char *changed[PAGES] = { [PARENT_PAGE] = parent_data };
	char c;

	if (write(ready, "r", 1) != 1 || read(go, &c, 1) != 1)
		return 2;
	if (check_region("child", mem, changed))
		return 1;
	memcpy(mem + CHILD_PAGE * PG, child_data, PG);
	return 0;
}

int main(int argc, char **argv)
{
	const char *changed[PAGES] = { 0 };
	struct zdtm_vma v;
	char *mem, c;
	int ready[2], go[2], status;
	pid_t pid;

	test_init(argc, argv);
	mem = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return fail_errno("mmap shared");
	datagen(mem, LEN, 1);
	memcpy(orig, mem, LEN);
	datagen(parent_data, PG, 100);
	datagen(child_data, PG, 200);
	if (pipe(ready) || pipe(go))
		return fail_errno("pipe");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		_exit(child(mem, ready[1], go[0]));
	if (read(ready[0], &c, 1) != 1)
		return fail_errno("wait for the child");

	test_daemon();
	test_waitsig();

	if (check_region("parent", mem, changed))
		goto kill_child;
	memcpy(mem + PARENT_PAGE * PG, parent_data, PG);
	if (write(go[1], "g", 1) != 1)
		return fail_errno("wake the child");
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return fail("child saw a wrong shared region: wait status 0x%x, expected exit 0", status);
	changed[PARENT_PAGE] = parent_data;
	changed[CHILD_PAGE] = child_data;
	if (check_region("parent, after the child wrote", mem, changed))
		return 1;
	if (vma_find(mem, &v, false))
		return fail("the shared region %p is not in /proc/self/maps", (void *)mem);
	if (v.start != (unsigned long)mem || v.end != v.start + LEN || strcmp(v.perms, "rw-s"))
		return fail("the shared region is %lx-%lx %s, expected %p-%lx rw-s",
			    v.start, v.end, v.perms, (void *)mem, (unsigned long)mem + LEN);
	return pass();

kill_child:
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return 1;
}
