#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a MAP_GROWSDOWN mapping that starts right where an ordinary mapping ends (no gap): both "
		 "ranges, the gd flag on the upper one only, both contents, the lower one's top page untouched",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PG 4096UL
#define PAGES 4UL
#define LEN (PAGES * PG)
#define HOLE (4UL << 20)   /* room below both, beyond the stack guard gap */

static int check_vma(const char *what, const char *mem, bool gd)
{
	struct zdtm_vma v;

	if (vma_find(mem, &v, true))
		return fail("the %s mapping %p is not mapped", what, (const void *)mem);
	if (v.start != (unsigned long)mem || v.end != v.start + LEN || strcmp(v.perms, "rw-p") ||
	    vma_has_flag(&v, "gd") != gd)
		return fail("the %s mapping is %lx-%lx %s VmFlags: %s, expected %p-%lx rw-p %s gd", what, v.start,
			    v.end, v.perms, v.flags, (const void *)mem, (unsigned long)mem + LEN, gd ? "with" : "without");
	return 0;
}

int main(int argc, char **argv)
{
	static char low_data[LEN], gd_data[LEN];
	char *hole, *low, *gd;

	test_init(argc, argv);
	hole = mmap(NULL, HOLE + 2 * LEN + PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (hole == MAP_FAILED || munmap(hole, HOLE + 2 * LEN + PG))
		return fail_errno("reserve room");
	low = hole + HOLE;
	gd = low + LEN;
	if (mmap(low, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != low ||
	    mmap(gd, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED_NOREPLACE,
		 -1, 0) != gd)
		return fail_errno("mmap");
	datagen(low_data, LEN, 71);
	datagen(gd_data, LEN, 72);
	memcpy(low, low_data, LEN);
	memcpy(gd, gd_data, LEN);
	if (check_vma("lower", low, false) || check_vma("grows-down", gd, true))
		return 1;

	test_daemon();
	test_waitsig();

	if (check_vma("lower", low, false) || check_vma("grows-down", gd, true))
		return 1;
	if (expect_bytes("the lower mapping's top page, just below the grows-down one", low + LEN - PG,
			 low_data + LEN - PG, PG) ||
	    expect_bytes("lower mapping", low, low_data, LEN) ||
	    expect_bytes("grows-down mapping", gd, gd_data, LEN))
		return 1;
	return pass();
}
