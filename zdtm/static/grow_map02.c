#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "three MAP_GROWSDOWN mappings stacked with one-page unmapped gaps between them: ranges, gd flags, contents and the gaps",
	  .flavors = ZDTM_ALL_FLAVORS);

#define N 3
#define PAGES 4

int main(int argc, char **argv)
{
	static char data[N][PAGES * 4096];
	long ps = 4096;
	struct zdtm_vma v;
	char *area, *m[N];

	test_init(argc, argv);
	if (sysconf(_SC_PAGESIZE) != ps)
		return skip("page size");
	/* Reserve the place, free it, then map each piece into it at fixed addresses. */
	area = mmap(NULL, (N * (PAGES + 1) + 256) * ps, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED || munmap(area, (N * (PAGES + 1) + 256) * ps))
		return fail_errno("reserve");
	area += 256 * ps;       /* room below for the stack guard gap of the lowest one */
	for (int i = 0; i < N; i++) {
		m[i] = mmap(area + i * (PAGES + 1) * ps, PAGES * ps, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED_NOREPLACE, -1, 0);
		if (m[i] == MAP_FAILED)
			return fail_errno("mmap MAP_GROWSDOWN %d", i);
		datagen(data[i], sizeof(data[i]), 60 + i);
		memcpy(m[i], data[i], sizeof(data[i]));
	}

	test_daemon();
	test_waitsig();

	for (int i = 0; i < N; i++) {
		if (vma_find(m[i], &v, true))
			return fail("mapping %d at %p is gone", i, (void *)m[i]);
		if (v.start != (unsigned long)m[i] || v.end != v.start + PAGES * ps || !vma_has_flag(&v, "gd"))
			return fail("mapping %d is %lx-%lx VmFlags: %s, expected %p-%lx with gd", i, v.start, v.end,
				    v.flags, (void *)m[i], (unsigned long)m[i] + PAGES * ps);
		if (expect_bytes("content", m[i], data[i], sizeof(data[i])))
			return 1;
		if (i && vma_find(m[i] - ps, &v, false) == 0)
			return fail("the gap below mapping %d (%p) is mapped: %lx-%lx", i, (void *)(m[i] - ps), v.start, v.end);
	}
	return pass();
}
