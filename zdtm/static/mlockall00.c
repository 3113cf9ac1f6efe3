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
	char line[512], perms[5], name[64], cur[64] = "";
	FILE *f = fopen("/proc/self/smaps", "r");
	unsigned long s = 0, e = 0, ts, te, off;

	if (!f)
		return -1;
	memset(li, 0, sizeof(*li));
	while (fgets(line, sizeof(line), f)) {
		name[0] = 0;
		if (sscanf(line, "%lx-%lx %4s %lx %*s %*s %63s", &ts, &te, perms, &off, name) >= 4) {
			s = ts;
			e = te;
			snprintf(cur, sizeof(cur), "%s", name);
			continue;
		}
		if (strncmp(line, "VmFlags:", 8))
			continue;
		if (strstr(line, " lo")) {
			li->locked_kb += (e - s) >> 10;
			li->mem_locked |= s <= (unsigned long)mem && (unsigned long)mem < e;
		} else if (!special(cur) && !li->unlocked) {
			li->unlocked = s;
			snprintf(li->unlocked_name, sizeof(li->unlocked_name), "%s", cur);
		}
	}
	fclose(f);
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
