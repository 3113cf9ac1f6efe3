#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "mlockall(MCL_CURRENT | MCL_FUTURE): every mapping locked, VmLck kept, a mapping made after C/R is locked too",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PG 4096UL
#define PAGES 8UL
#define NEW_PAGES 4UL
#define MAX_VMAS 64             /* of the whole process: a static binary has a dozen */

struct lock_info {
	long vmlck_kb;            /* VmLck of /proc/self/status */
	long locked_kb;           /* sum of the VMAs flagged lo in /proc/self/smaps */
	unsigned long unlocked;   /* start of an ordinary VMA without lo, or 0 */
	char unlocked_name[64];
	bool mem_locked;          /* the VMA holding mem is flagged lo */
};

/* Special mappings that mlockall() leaves alone. */
static bool special(const char *name)
{
	return !strncmp(name, "[vdso]", 6) || !strncmp(name, "[vvar", 5) || !strncmp(name, "[vsyscall]", 10);
}

static int read_status(struct lock_info *li)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	li->vmlck_kb = -1;
	while (fgets(line, sizeof(line), f))
		sscanf(line, "VmLck: %ld kB", &li->vmlck_kb);
	fclose(f);
	return 0;
}

static int lock_info(const void *mem, struct lock_info *li)
{
	static struct zdtm_vma v[MAX_VMAS];
	int n = vma_list(0, ~0UL, v, MAX_VMAS, true);

	if (n < 0 || n > MAX_VMAS)
		return -1;
	memset(li, 0, sizeof(*li));
	for (int i = 0; i < n; i++) {
		unsigned long s = v[i].start, e = v[i].end;

		if (vma_has_flag(&v[i], "lo")) {
			li->locked_kb += (e - s) >> 10;
			li->mem_locked |= s <= (unsigned long)mem && (unsigned long)mem < e;
		} else if (!special(v[i].name) && !li->unlocked) {
			li->unlocked = s;
			snprintf(li->unlocked_name, sizeof(li->unlocked_name), "%s", v[i].name);
		}
	}
	return read_status(li);
}

/* Every ordinary mapping is locked and VmLck counts exactly them; returns VmLck or -1 (failed). */
static long check_locked(const void *mem, const char *what)
{
	struct lock_info li;

	if (lock_info(mem, &li))
		return fail_errno("read /proc/self/smaps or status"), -1;
	if (li.unlocked)
		return fail("%s: the VMA at %lx (%s) is not locked, expected every mapping locked",
			    what, li.unlocked, li.unlocked_name[0] ? li.unlocked_name : "anonymous"), -1;
	if (!li.mem_locked)
		return fail("%s: the VMA holding %p is not locked, expected locked", what, mem), -1;
	if (li.vmlck_kb != li.locked_kb)
		return fail("%s: VmLck %ld kB, expected %ld kB (the VMAs flagged lo)", what, li.vmlck_kb,
			    li.locked_kb), -1;
	return li.vmlck_kb;
}

int main(int argc, char **argv)
{
	static char copy[PAGES * PG];
	unsigned char vec[NEW_PAGES];
	long before, after, with_new;
	char *mem, *fresh;

	test_init(argc, argv);
	mem = mmap(NULL, PAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return fail_errno("mmap");
	datagen(mem, PAGES * PG, 11);
	memcpy(copy, mem, sizeof(copy));
	if (mlockall(MCL_CURRENT | MCL_FUTURE))
		return fail_errno("mlockall");
	before = check_locked(mem, "before C/R");
	if (before < 0)
		return 1;

	test_daemon();
	test_waitsig();

	after = check_locked(mem, "after C/R");
	if (after < 0)
		return 1;
	if (expect_int("VmLck in kB after C/R", after, before))
		return 1;
	if (expect_bytes("locked mapping content", mem, copy, sizeof(copy)))
		return 1;
	/* MCL_FUTURE: a new mapping is locked, and so populated. */
	fresh = mmap(NULL, NEW_PAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fresh == MAP_FAILED)
		return fail_errno("mmap after C/R");
	with_new = check_locked(fresh, "a mapping made after C/R (MCL_FUTURE)");
	if (with_new < 0)
		return 1;
	if (expect_int("VmLck in kB with the new mapping", with_new, after + (long)(NEW_PAGES * PG >> 10)))
		return 1;
	if (mincore(fresh, NEW_PAGES * PG, vec))
		return fail_errno("mincore");
	for (unsigned long i = 0; i < NEW_PAGES; i++)
		if (!(vec[i] & 1))
			return fail("page %lu of the new mapping is not resident, expected populated (locked)", i);
	return pass();
}
