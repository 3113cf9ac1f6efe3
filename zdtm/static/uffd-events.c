#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "three 8 MiB anonymous areas reshaped by a fork, MADV_DONTNEED, mremap and munmap in a child and in "
		 "the parent, as soon as a --lazy-pages restore resumes them with pages not yet served (uffd fork, remove, "
		 "remap, unmap events), else after SIGTERM; transition: the maps change before the runner looks",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define PG 4096UL
#define PAGES 2048UL                     /* each area: 8 MiB */
#define LEN (PAGES * PG)
#define ZAP_FROM 16UL                    /* area A: pages [16, 32) are dropped (MADV_DONTNEED) */
#define ZAP_PAGES 16UL
#define HOLE_FROM 20UL                   /* area C: pages [20, 28) are unmapped */
#define HOLE_PAGES 8UL

/* One reserved region: A, B and C with an unmapped page before each, then the place B moves to. */
enum { A, B, C, NAREAS };
static const char *const name[NAREAS] = { "A (MADV_DONTNEED)", "B (mremap)", "C (munmap)" };
#define AT(i) (region + (1 + (i) * (PAGES + 1)) * PG)
#define B_TO (region + (1 + NAREAS * (PAGES + 1)) * PG)
#define REGION_PAGES (1 + (NAREAS + 1) * (PAGES + 1))

static char *region;

static uint32_t seed(int area, unsigned long page)
{
	return 1000 * (area + 1) + page;
}

/* Pages [from, from + n) of area i at p hold their content (zero when zero is set). */
static int check_pages(char *err, const char *who, int i, const char *p, unsigned long from, unsigned long n,
		       bool zero)
{
	static char want[PG];

	for (unsigned long pg = from; pg < from + n; pg++) {
		if (zero)
			memset(want, 0, PG);
		else
			datagen(want, PG, seed(i, pg));
		for (unsigned long b = 0; b < PG; b++)
			if (p[pg * PG + b] != want[b])
				return note(err, "%s: area %s at %p, page %lu byte %lu is %#x, expected %#x%s", who,
					    name[i], (void *)p, pg, b, (unsigned char)p[pg * PG + b],
					    (unsigned char)want[b], zero ? " (dropped: zero)" : "");
	}
	return 0;
}

/* [p, p + len) is exactly one VMA rw-p (one true) or nothing of it is mapped (one false). */
static int check_vma(char *err, const char *who, const char *what, const char *p, size_t len, bool one)
{
	static struct zdtm_vma v[4];
	unsigned long lo = (unsigned long)p, hi = lo + len;
	char found[600] = "";
	int n = vma_list(lo, hi, v, 4, true);

	if (n < 0)
		return note(err, "%s: read /proc/self/smaps: %s", who, strerror(errno));
	if (one ? n == 1 && v[0].start == lo && v[0].end == hi && !strcmp(v[0].perms, "rw-p") : n == 0)
		return 0;
	for (int i = 0; i < n && i < 4; i++)
		snprintf(found + strlen(found), sizeof(found) - strlen(found), "%s%lx-%lx %s (%s)", i ? ", " : "",
			 v[i].start, v[i].end, v[i].perms, v[i].flags);
	return note(err, "%s: %s %lx-%lx: %d VMAs %s, expected %s", who, what, lo, hi, n, found,
		    one ? "one rw-p" : "none");
}

/* The reshaping, on pages nobody of this process has touched since C/R. */
static int reshape(char *err, const char *who)
{
	if (madvise(AT(A) + ZAP_FROM * PG, ZAP_PAGES * PG, MADV_DONTNEED))
		return note(err, "%s: madvise(MADV_DONTNEED): %s", who, strerror(errno));
	if (mremap(AT(B), LEN, LEN, MREMAP_MAYMOVE | MREMAP_FIXED, B_TO) != B_TO)
		return note(err, "%s: mremap %p to %p: %s", who, (void *)AT(B), (void *)B_TO, strerror(errno));
	if (munmap(AT(C) + HOLE_FROM * PG, HOLE_PAGES * PG))
		return note(err, "%s: munmap: %s", who, strerror(errno));
	return 0;
}

/* Every area after reshape(): VMAs, the dropped pages zero, every other page its content. */
static int check_reshaped(char *err, const char *who)
{
	char *c = AT(C), *c2 = c + (HOLE_FROM + HOLE_PAGES) * PG;
	unsigned long tail = PAGES - HOLE_FROM - HOLE_PAGES;

	return check_vma(err, who, "area B moved", B_TO, LEN, true) ||
	       check_vma(err, who, "area B's old place", AT(B), LEN, false) ||
	       check_vma(err, who, "area C before the hole", c, HOLE_FROM * PG, true) ||
	       check_vma(err, who, "area C's hole", c + HOLE_FROM * PG, HOLE_PAGES * PG, false) ||
	       check_vma(err, who, "area C after the hole", c2, tail * PG, true) ||
	       check_pages(err, who, A, AT(A), 0, ZAP_FROM, false) ||
	       check_pages(err, who, A, AT(A), ZAP_FROM, ZAP_PAGES, true) ||
	       check_pages(err, who, A, AT(A), ZAP_FROM + ZAP_PAGES, PAGES - ZAP_FROM - ZAP_PAGES, false) ||
	       check_pages(err, who, B, B_TO, 0, PAGES, false) ||
	       check_pages(err, who, C, c, 0, HOLE_FROM, false) ||
	       check_pages(err, who, C, c, HOLE_FROM + HOLE_PAGES, tail, false) ||
	       check_vma(err, who, "area A", AT(A), LEN, true);
}

/* A process forked now that reads a byte of C's hole dies of SIGSEGV. */
static int check_hole_faults(char *err, const char *who)
{
	volatile char *p = AT(C) + (HOLE_FROM + 1) * PG;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return note(err, "%s: fork: %s", who, strerror(errno));
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		(void)*p;
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return note(err, "%s: waitpid: %s", who, strerror(errno));
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGSEGV)
		return note(err, "%s: a read of area C's hole at %p ended with wait status %#x, expected SIGSEGV",
			    who, (void *)p, status);
	return 0;
}

/* Served before the areas (the lazy-pages daemon sends what nobody asked for in address order, and
 * this lies below them): room for the test to see pages missing and reshape before they come. */
#define BALLAST (32UL << 20)

static int make_areas(void)
{
	char *ballast;

	region = mmap(NULL, REGION_PAGES * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED || munmap(region, REGION_PAGES * PG))
		return fail_errno("reserve the region");
	for (int i = 0; i < NAREAS; i++) {
		char *p = mmap(AT(i), LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			       -1, 0);

		if (p != AT(i))
			return fail_errno("mmap area %s", name[i]);
		for (unsigned long pg = 0; pg < PAGES; pg++)
			datagen(p + pg * PG, PG, seed(i, pg));
	}
	ballast = mmap(NULL, BALLAST, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ballast == MAP_FAILED)
		return fail_errno("mmap the ballast");
	memset(ballast, 0x5a, BALLAST);
	if (ballast > region)
		test_msg("the ballast %p lies above the areas %p: the daemon may serve the areas first\n",
			 (void *)ballast, (void *)region);
	return 0;
}

/* Pages of the three areas that are not resident: after a --lazy-pages restore, the pages the
 * lazy-pages daemon has not served yet (before the dump every page was written). */
static unsigned long missing_pages(void)
{
	static unsigned char vec[PAGES];
	unsigned long n = 0;

	for (int i = 0; i < NAREAS; i++) {
		if (mincore(AT(i), LEN, vec))
			return 0;
		for (unsigned long pg = 0; pg < PAGES; pg++)
			n += !(vec[pg] & 1);
	}
	return n;
}

/* No VMA is registered with a userfaultfd ("um") any more: the lazy-pages daemon is done with this
 * process. A task that ends before it is served is a failure of the run (the daemon's log shows it
 * served part of a task), so the child waits for that; without a lazy restore there is nothing to wait for. */
static int wait_served(char *err, const char *who)
{
	static struct zdtm_vma v[256];
	int n, um = 0;

	for (int ms = 0; ms < 10000; ms += 5) {
		n = vma_list(0, ~0UL, v, 256, true);
		if (n < 0 || n > 256)
			return note(err, "%s: read /proc/self/smaps: %d VMAs", who, n);
		um = 0;
		for (int i = 0; i < n; i++)
			um += vma_has_flag(&v[i], "um");
		if (!um)
			return 0;
		usleep(5000);
	}
	return note(err, "%s: %d VMAs still registered with the lazy-pages daemon's userfaultfd (um) after 10 s", who, um);
}

/* A fork, then the child reshapes its copy and checks it while the parent reshapes its own. */
static pid_t reshape_both(char *finding, char *problem)
{
	pid_t pid = fork();

	if (pid < 0) {
		note(problem, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (!reshape(finding, "its copy") && !check_reshaped(finding, "its copy"))
			wait_served(finding, "its copy");
		_exit(0);
	}
	reshape(problem, "parent");
	return pid;
}

int main(int argc, char **argv)
{
	char *finding = finding_new(), problem[ZDTM_FINDING_LEN] = "";
	unsigned long missing = 0;
	int status = 0;
	pid_t pid = 0;

	test_init(argc, argv);
	if (!finding)
		return fail_errno("mmap the finding");
	if (make_areas())
		return 1;

	test_daemon();
	/* The runner sends SIGTERM only once the lazy-pages daemon has served every page: reshape as
	 * soon as pages are seen missing (a lazy restore has just resumed us), else after SIGTERM. */
	while (test_go() && !pid) {
		if ((missing = missing_pages()))
			pid = reshape_both(finding, problem);
		else
			usleep(1000);
	}
	test_waitsig();
	if (missing)
		test_msg("reshaped while %lu of %lu pages were not yet served\n", missing, NAREAS * PAGES);
	else if (!pid)
		pid = reshape_both(finding, problem);
	if (pid > 0) {
		while (waitpid(pid, &status, 0) != pid)
			if (errno != EINTR) {
				note(problem, "waitpid: %s", strerror(errno));
				break;
			}
		if (!problem[0] && !check_reshaped(problem, "parent"))
			check_hole_faults(problem, "parent");
	}
	return expect_clean_end(finding, problem, status) ? 1 : pass();
}
