#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a large sparse shared anonymous mapping stays shared with a child: same address, stamped pages, holes",
	  .flavors = ZDTM_ALL_FLAVORS);

static unsigned size_mb = 256;
ZDTM_OPTION(size_mb, "size of the shared mapping in MiB");

#define PG 4096UL
#define MB (1UL << 20)

/*
 * In every MiB: page 0 is stamped by the parent before C/R, page 1 stays a hole,
 * page 2 is stamped by the child after C/R (every MiB, so the parent reads it back).
 */
#define STAMP(i) ((i) * MB)
#define HOLE(i) ((i) * MB + PG)
#define CHILD(i) ((i) * MB + 2 * PG)

static char *mem;
static unsigned long len;

/* The VMA that starts at mem is the whole mapping, rw-s; its inode in *ino. */
static int check_vma(const char *who, unsigned long *ino)
{
	struct zdtm_vma v;

	if (vma_find(mem, &v, false) || v.start != (unsigned long)mem)
		return fail("%s: no mapping starts at %p", who, (void *)mem);
	*ino = v.ino;
	if (v.end != (unsigned long)mem + len || strcmp(v.perms, "rw-s"))
		return fail("%s: the mapping is %p-%lx %s, expected %p-%lx rw-s", who, (void *)mem, v.end,
			    v.perms, (void *)mem, (unsigned long)mem + len);
	return 0;
}

/* Page `off` holds datagen(seed), or zeros if seed is 0. */
static int check_page(const char *who, unsigned long off, uint32_t seed)
{
	static char want[PG];
	char what[96];

	if (seed)
		datagen(want, PG, seed);
	else
		memset(want, 0, PG);
	snprintf(what, sizeof(what), "%s: page at offset %#lx", who, off);
	return expect_bytes(what, mem + off, want, PG);
}

static int check_stamps(const char *who, bool child_wrote)
{
	for (unsigned long i = 0; i < size_mb; i++)
		if (check_page(who, STAMP(i), i + 1) ||
		    check_page(who, CHILD(i), child_wrote ? 100000 + i : 0))
			return 1;
	return 0;
}

/* How many pages of the mapping are in memory, or -1. */
static long resident(void)
{
	static unsigned char vec[4096 * MB / PG];
	long n = 0;

	if (len / PG > sizeof(vec) || mincore(mem, len, vec))
		return -1;
	for (unsigned long i = 0; i < len / PG; i++)
		n += vec[i] & 1;
	return n;
}

/* After C/R: same mapping (reported by inode), the parent's stamps, then its own. */
static int child(int ready, int go, int report)
{
	unsigned long ino;
	char c;

	if (write(ready, "r", 1) != 1 || read(go, &c, 1) != 1)
		return 2;
	if (check_vma("child", &ino) || write_all(report, &ino, sizeof(ino)))
		return 1;
	if (check_stamps("child", false))
		return 1;
	for (unsigned long i = 0; i < size_mb; i++)
		datagen(mem + CHILD(i), PG, 100000 + i);
	return 0;
}

int main(int argc, char **argv)
{
	int ready[2], go[2], report[2], status;
	unsigned long ino, child_ino;
	long before, after;
	pid_t pid;
	char c;

	test_init(argc, argv);
	if (size_mb < 1 || size_mb > 4096)
		return fail("--size_mb=%u, expected 1..4096", size_mb);
	len = size_mb * MB;
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return fail_errno("mmap %u MiB shared", size_mb);
	for (unsigned long i = 0; i < size_mb; i++)
		datagen(mem + STAMP(i), PG, i + 1);
	if (pipe(ready) || pipe(go) || pipe(report))
		return fail_errno("pipe");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		_exit(child(ready[1], go[0], report[1]));
	if (read(ready[0], &c, 1) != 1)
		return fail_errno("wait for the child");
	before = resident();
	if (before != (long)size_mb) {
		fail("%ld pages of the mapping resident before C/R, expected %u", before, size_mb);
		goto kill_child;
	}

	test_daemon();
	test_waitsig();

	/* Before anything reads a hole: C/R must not have filled the holes in. */
	after = resident();
	if (after != before) {
		fail("%ld pages of the mapping resident after C/R, expected %ld (holes stay holes)", after, before);
		goto kill_child;
	}
	if (check_vma("parent", &ino) || check_stamps("parent", false))
		goto kill_child;
	for (unsigned long i = 0; i < size_mb; i++)
		if (check_page("parent", HOLE(i), 0))
			goto kill_child;
	if (write(go[1], "g", 1) != 1)
		return fail_errno("wake the child");
	if (read_all(report[0], &child_ino, sizeof(child_ino)) != sizeof(child_ino))
		child_ino = 0;
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return fail("child saw a wrong shared mapping: wait status %#x, expected exit 0", status);
	if (child_ino != ino)
		return fail("child maps inode %lu, expected the parent's %lu (one shared object)", child_ino, ino);
	if (check_stamps("parent, after the child wrote", true))
		return 1;
	return pass();

kill_child:
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return 1;
}
