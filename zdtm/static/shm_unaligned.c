#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a SysV shm segment of 3 pages + 123 bytes attached at two fixed addresses: size, ranges, bytes up to the page end, sharing",
	  .flavors = ZDTM_NS_FLAVORS);

#define PG 4096UL
#define SHM_SIZE (3 * PG + 123)
#define MAP_LEN (4 * PG)        /* an attach covers whole pages */
#define SHM_KEY 0x5a4d0012

/* The mapping that starts at addr: its length, and the shmid in its inode field. */
static int expect_attach(const char *what, int id, const char *addr)
{
	struct zdtm_vma v;

	if (vma_find(addr, &v, false) || v.start != (unsigned long)addr)
		return fail("%s: no mapping at %p, expected the segment attached there", what, addr);
	if (v.end - v.start != MAP_LEN || v.ino != (unsigned long)id)
		return fail("%s at %p: %lu bytes of shmid %lu, expected %lu bytes of shmid %d",
			    what, addr, v.end - v.start, v.ino, MAP_LEN, id);
	return 0;
}

/* A byte written at off through one attach is read through the other. */
static int expect_shared(char *from, char *to, size_t off, char v)
{
	from[off] = v;
	if (to[off] != v)
		return fail("byte %zu written as %#x through %p, read as %#x through %p",
			    off, v & 0xff, from, to[off] & 0xff, to);
	return 0;
}

static int expect_segment(int id, char *a, char *b, const char *data)
{
	struct shmid_ds ds;

	if (shmctl(id, IPC_STAT, &ds))
		return fail_errno("shmctl(%d, IPC_STAT)", id);
	if (expect_int("segment size", ds.shm_segsz, SHM_SIZE) || expect_int("attach count", ds.shm_nattch, 2) ||
	    expect_attach("first attach", id, a) || expect_attach("second attach", id, b))
		return 1;
	if (expect_bytes("content through the first attach", a, data, MAP_LEN) ||
	    expect_bytes("content through the second attach", b, data, MAP_LEN))
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	static char data[MAP_LEN];
	char *area, *a, *b;
	int id;

	test_init(argc, argv);
	datagen(data, sizeof(data), 12);
	id = shmget(SHM_KEY, SHM_SIZE, IPC_CREAT | IPC_EXCL | 0600);
	if (id < 0)
		return fail_errno("shmget");
	/* two spots with a hole between them and above the second one */
	area = mmap(NULL, 16 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED || munmap(area, 16 * PG))
		return fail_errno("mmap");
	a = area + PG;
	b = area + 7 * PG;
	if (shmat(id, a, 0) != a || shmat(id, b, 0) != b)
		return fail_errno("shmat at %p and %p", a, b);
	/* the bytes past the size in the last page are memory too (the kernel keeps the page) */
	memcpy(a, data, MAP_LEN);
	if (expect_segment(id, a, b, data))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_segment(id, a, b, data))
		return 1;
	/* still one segment: the first byte, the last one, and one in the partial page */
	if (expect_shared(a, b, 0, 0x11) || expect_shared(b, a, SHM_SIZE - 1, 0x22) ||
	    expect_shared(a, b, 3 * PG + 7, 0x33))
		return 1;
	return pass();
}
