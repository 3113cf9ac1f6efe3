#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a write-sealed memfd that is still mapped shared read-only: seals, mapping and content",
	  .flavors = ZDTM_ALL_FLAVORS);

/*
 * A shared mapping made before F_SEAL_WRITE blocks the seal (EBUSY), even a read-only one; made
 * after it, a read-only shared mapping is allowed (it can never become writable). A restore has to
 * keep that order: seal first, then map.
 */
#define PG 4096UL
#define SIZE (4 * PG)
#define SEALS (F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW)

int main(int argc, char **argv)
{
	static char data[SIZE];
	struct zdtm_vma v;
	char *ro;
	int fd;

	test_init(argc, argv);
	datagen(data, SIZE, 3);
	fd = memfd_create("zdtm-memfd_sealed_map", MFD_ALLOW_SEALING);
	if (fd < 0 || ftruncate(fd, SIZE) || pwrite(fd, data, SIZE, 0) != (ssize_t)SIZE)
		return fail_errno("memfd with %lu bytes", SIZE);
	if (fcntl(fd, F_ADD_SEALS, SEALS))
		return fail_errno("F_ADD_SEALS");
	ro = mmap(NULL, 3 * PG, PROT_READ, MAP_SHARED, fd, PG);
	if (ro == MAP_FAILED)
		return fail_errno("read-only shared mapping of the sealed memfd");

	test_daemon();
	test_waitsig();

	if (expect_int("seals", fcntl(fd, F_GET_SEALS), SEALS))
		return 1;
	if (vma_find(ro, &v, false) || v.start != (unsigned long)ro || v.end != (unsigned long)ro + 3 * PG)
		return fail("the read-only mapping at %p (3 pages) is gone or changed", (void *)ro);
	if (expect_str("mapping perms", v.perms, "r--s") || expect_int("mapping offset", v.offset, PG))
		return 1;
	if (expect_bytes("mapped content", ro, data + PG, 3 * PG))
		return 1;
	if (write(fd, "x", 1) != -1 || errno != EPERM)
		return fail("write(2) to the sealed memfd: not refused with EPERM");
	return pass();
}
