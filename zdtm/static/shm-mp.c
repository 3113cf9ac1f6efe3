#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a SysV shm segment attached once, its second and fourth pages mprotect()ed read-only and its last page PROT_NONE: per-page protections and content",
	  .flavors = ZDTM_NS_FLAVORS);

#define PAGES 6

static const char *prot_of(int page)
{
	return page == PAGES - 1 ? "---s" : (page == 1 || page == 3) ? "r--s" : "rw-s";
}

int main(int argc, char **argv)
{
	static char data[PAGES * 4096];
	long ps = sysconf(_SC_PAGESIZE);
	struct zdtm_vma v;
	char *p;
	int id;

	test_init(argc, argv);
	if (ps != 4096)
		return skip("page size %ld", ps);
	datagen(data, sizeof(data), 3);
	id = shmget(IPC_PRIVATE, sizeof(data), IPC_CREAT | 0600);
	if (id < 0)
		return fail_errno("shmget");
	p = shmat(id, NULL, 0);
	if (p == (void *)-1)
		return fail_errno("shmat");
	memcpy(p, data, sizeof(data));
	if (mprotect(p + 4096, 4096, PROT_READ) || mprotect(p + 3 * 4096, 4096, PROT_READ) ||
	    mprotect(p + (PAGES - 1) * 4096, 4096, PROT_NONE))
		return fail_errno("mprotect");

	test_daemon();
	test_waitsig();

	for (int i = 0; i < PAGES; i++) {
		if (vma_find(p + i * 4096, &v, false))
			return fail("page %d of the segment is not mapped", i);
		if (strcmp(v.perms, prot_of(i)) || v.ino != (unsigned long)id)
			return fail("page %d: %s of shm id %lu, expected %s of shm id %d", i, v.perms, v.ino, prot_of(i), id);
	}
	if (mprotect(p + (PAGES - 1) * 4096, 4096, PROT_READ))
		return fail_errno("mprotect the last page readable");
	if (expect_bytes("segment content", p, data, sizeof(data)))
		return 1;
	return pass();
}
