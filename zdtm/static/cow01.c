#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

/* nolazy: as cow00, a lazy restore copies every page into each task on its own (userfaultfd). */
ZDTM_TEST(.doc = "copy-on-write pages of a private file mapping and of a MAP_GROWSDOWN mapping stay shared "
		 "across a chain of forks (parent, child, grandchild); each keeps its own written page",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nolazy");

#define PG 4096UL
#define PAGES 6UL
#define LEN (PAGES * PG)
#define HOLE (4UL << 20)   /* room below the grows-down mapping, beyond the stack guard gap */
enum { PARENT, CHILD, GRANDCHILD, NPROC };
static const char *who[NPROC] = { "parent", "child", "grandchild" };
/* Each process writes this page of both mappings before C/R (after all forks) and after C/R. */
static const unsigned long own_page[NPROC] = { 3, 1, 2 };

static char orig[LEN], before[NPROC][PG], after[NPROC][PG];
static char *filemap, *gdmap;
static struct zdtm_waiter *ready[NPROC], *go;
static char *finding[NPROC];

/* The pages of mem that only this process maps (pagemap bit 56, "exclusively mapped"), as "1 3". */
static const char *exclusive_pages(const char *mem, char *out, size_t len)
{
	uint64_t pm[PAGES];
	size_t used = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	out[0] = 0;
	if (fd < 0 || pread(fd, pm, sizeof(pm), (unsigned long)mem / PG * sizeof(pm[0])) != sizeof(pm)) {
		snprintf(out, len, "(pagemap unreadable: %s)", strerror(errno));
		if (fd >= 0)
			close(fd);
		return out;
	}
	close(fd);
	for (unsigned long i = 0; i < PAGES; i++)
		if (pm[i] >> 56 & 1)
			used += snprintf(out + used, len - used, "%s%lu", used ? " " : "", i);
	return out;
}

/* Every page holds the fork-time data but the process's own page, which holds own. */
static int check_data(int me, const char *name, const char *mem, const char *own, char *out)
{
	unsigned long p = own_page[me];

	for (unsigned long i = 0; i < PAGES; i++) {
		const char *data = i == p ? own : orig + i * PG;

		if (memcmp(mem + i * PG, data, PG))
			return note(out, "%s: %s mapping: page %lu differs from the %s", who[me], name, i,
				    i == p ? "process's own write" : "data written before the forks");
	}
	return 0;
}

/* The own page is this process's alone; the others are still shared copy-on-write with another one. */
static int check_sharing(int me, const char *name, const char *mem, char *out)
{
	char found[64], want[16];

	snprintf(want, sizeof(want), "%lu", own_page[me]);
	if (strcmp(exclusive_pages(mem, found, sizeof(found)), want))
		return note(out, "%s: %s mapping: pages mapped by this process alone: \"%s\", expected \"%s\" "
			    "(the rest shared copy-on-write)", who[me], name, found, want);
	return 0;
}

static int check(int me, const char *own, char *out)
{
	return check_data(me, "private file", filemap, own, out) || check_data(me, "grows-down", gdmap, own, out) ||
	       check_sharing(me, "private file", filemap, out) || check_sharing(me, "grows-down", gdmap, out);
}

static void write_own(int me, const char data[PG])
{
	memcpy(filemap + own_page[me] * PG, data, PG);
	memcpy(gdmap + own_page[me] * PG, data, PG);
}

/* C/R is over: check, write the own page again, check again. */
static int check_after(int me, char *out)
{
	if (check(me, before[me], out))
		return 1;
	write_own(me, after[me]);
	return check(me, after[me], out);
}

/* The child and the grandchild: write, say ready, wait for the end of C/R, check; stay until all have
 * checked (a process that exits unmaps its pages: the others would then share fewer). */
static int descendant(int me)
{
	int ret;

	write_own(me, before[me]);
	waiter_post(ready[me], 1);
	waiter_wait(go, 1);
	ret = check_after(me, finding[me]);
	waiter_post(ready[me], 2);
	waiter_wait(go, 2);
	return ret;
}

static int child(void)
{
	int status, ret;
	pid_t pid = fork();

	if (pid < 0)
		return note(finding[CHILD], "child: fork: %s", strerror(errno));
	if (pid == 0)
		_exit(descendant(GRANDCHILD));
	ret = descendant(CHILD);
	if ((waitpid(pid, &status, 0) != pid || status) && !finding[GRANDCHILD][0])
		return note(finding[GRANDCHILD], "grandchild ended with wait status 0x%x, expected 0", status);
	return ret;
}

static int setup(void)
{
	char *hole;
	int fd;

	datagen(orig, LEN, 1);
	for (int i = 0; i < NPROC; i++) {
		datagen(before[i], PG, 10 + i);
		datagen(after[i], PG, 20 + i);
		ready[i] = waiter_new();
		if (!(finding[i] = finding_new()))
			return fail_errno("a finding buffer");
	}
	go = waiter_new();
	fd = open(test_path("file"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, LEN))
		return fail_errno("create %s", test_path("file"));
	filemap = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	close(fd);
	hole = mmap(NULL, HOLE + LEN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (filemap == MAP_FAILED || hole == MAP_FAILED || munmap(hole, HOLE + LEN))
		return fail_errno("mmap");
	gdmap = mmap(hole + HOLE, LEN, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED_NOREPLACE, -1, 0);
	if (gdmap != hole + HOLE)
		return fail_errno("mmap MAP_GROWSDOWN");
	/* Every page becomes an anonymous copy before the forks: the pages the three then share. */
	memcpy(filemap, orig, LEN);
	memcpy(gdmap, orig, LEN);
	return 0;
}

int main(int argc, char **argv)
{
	char problem[ZDTM_FINDING_LEN] = "";
	int status;
	pid_t pid;

	test_init(argc, argv);
	if (setup())
		return 1;
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		_exit(child());
	write_own(PARENT, before[PARENT]);
	waiter_wait(ready[CHILD], 1);
	waiter_wait(ready[GRANDCHILD], 1);
	if (check(PARENT, before[PARENT], problem)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return fail("before C/R: %s", problem);
	}

	test_daemon();
	test_waitsig();

	waiter_post(go, 1);
	check_after(PARENT, problem);
	waiter_wait(ready[CHILD], 2);
	waiter_wait(ready[GRANDCHILD], 2);
	waiter_post(go, 2);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (finding[GRANDCHILD][0])
		return fail("%s", finding[GRANDCHILD]);
	return expect_clean_end(finding[CHILD], problem, status) ? 1 : pass();
}
