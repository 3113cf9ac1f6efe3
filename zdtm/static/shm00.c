#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a SysV shared memory segment attached twice: id, key, size, mode, attach count, content",
	  .flavors = ZDTM_NS_FLAVORS);

#define SHM_SIZE (5 * 4096 + 100)
#define SHM_KEY 0x5a4d0001
#define SHM_MODE 0640

/* The segment's id, size, mode and attach count are what they were. */
static int expect_segment(int id, int nattch)
{
	struct shmid_ds ds;

	if (shmctl(id, IPC_STAT, &ds))
		return fail_errno("shmctl(%d, IPC_STAT)", id);
	if (expect_int("segment key", ds.shm_perm.__key, SHM_KEY) ||
	    expect_int("segment size", ds.shm_segsz, SHM_SIZE) ||
	    expect_int("segment attach count", ds.shm_nattch, nattch))
		return 1;
	if ((ds.shm_perm.mode & 0777) != SHM_MODE)
		return fail("segment mode 0%o, expected 0%o", ds.shm_perm.mode & 0777, SHM_MODE);
	if (expect_int("shmget(key) id", shmget(SHM_KEY, 0, 0), id))
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	static char data[SHM_SIZE];
	char *a, *b;
	int id;

	test_init(argc, argv);
	datagen(data, sizeof(data), 7);
	id = shmget(SHM_KEY, SHM_SIZE, IPC_CREAT | IPC_EXCL | SHM_MODE);
	if (id < 0)
		return fail_errno("shmget");
	a = shmat(id, NULL, 0);
	b = shmat(id, NULL, SHM_RDONLY);
	if (a == (void *)-1 || b == (void *)-1)
		return fail_errno("shmat");
	memcpy(a, data, sizeof(data));
	if (expect_segment(id, 2))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_segment(id, 2))
		return 1;
	if (!datachk(a, SHM_SIZE))
		return fail("segment content: CRC stamp does not match, expected the datagen bytes");
	if (expect_bytes("content through the first attach", a, data, SHM_SIZE))
		return 1;
	if (expect_bytes("content through the second attach", b, data, SHM_SIZE))
		return 1;
	/* the two attaches are still one segment */
	a[0] ^= 0x5a;
	if (expect_int("byte written through one attach, read through the other", b[0], a[0]))
		return 1;
	return pass();
}
