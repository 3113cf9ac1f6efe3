#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a SysV shm segment removed (IPC_RMID) while attached, and one attached read-only at a fixed address",
	  .flavors = ZDTM_NS_FLAVORS);

#define PG 4096UL
#define GONE_SIZE (4 * PG)
#define RO_SIZE (2 * PG + 10)
#define RO_KEY 0x5a4d0011

/* Segment id is attached once at addr with perms and has key key. */
static int expect_segment(const char *what, int id, const void *addr, const char *perms, int key)
{
	struct shmid_ds ds;
	struct zdtm_vma v;

	if (shmctl(id, IPC_STAT, &ds))
		return fail_errno("%s: shmctl(%d, IPC_STAT)", what, id);
	if (expect_int(what, ds.shm_perm.__key, key) || expect_int(what, ds.shm_nattch, 1))
		return 1;
	if (vma_find(addr, &v, false) || v.start != (unsigned long)addr)
		return fail("%s: no mapping at %p, expected the segment attached there", what, addr);
	if (strcmp(v.perms, perms) || v.ino != (unsigned long)id || v.end - v.start != (ds.shm_segsz + PG - 1) / PG * PG)
		return fail("%s: mapping at %p is %s of %lu bytes, shmid %lu; expected %s of %lu bytes, shmid %d",
			    what, addr, v.perms, v.end - v.start, v.ino, perms, (ds.shm_segsz + PG - 1) / PG * PG, id);
	return 0;
}

static int expect_all(int gone, char *g, int ro, char *r)
{
	if (expect_segment("removed segment", gone, g, "rw-s", IPC_PRIVATE) ||
	    expect_segment("read-only segment", ro, r, "r--s", RO_KEY))
		return 1;
	if (expect_int("shmget(key of the read-only segment)", shmget(RO_KEY, 0, 0), ro))
		return 1;
	if (!datachk(g, GONE_SIZE) || !datachk(r, RO_SIZE))
		return fail("segment content: CRC stamps %s/%s, expected both to match",
			    datachk(g, GONE_SIZE) ? "ok" : "bad", datachk(r, RO_SIZE) ? "ok" : "bad");
	return 0;
}

/* The removed segment is marked SHM_DEST, the other one is not. */
static int expect_dest(int gone, int ro)
{
	struct shmid_ds g, r;

	if (shmctl(gone, IPC_STAT, &g) || shmctl(ro, IPC_STAT, &r))
		return fail_errno("shmctl(IPC_STAT)");
	if (!(g.shm_perm.mode & SHM_DEST) || (r.shm_perm.mode & SHM_DEST))
		return fail("modes %#o (removed) and %#o (kept), expected SHM_DEST (%#o) in the first only",
			    g.shm_perm.mode, r.shm_perm.mode, SHM_DEST);
	return 0;
}

int main(int argc, char **argv)
{
	char *g, *r, *w;
	int gone, ro;

	test_init(argc, argv);
	gone = shmget(IPC_PRIVATE, GONE_SIZE, IPC_CREAT | 0600);
	ro = shmget(RO_KEY, RO_SIZE, IPC_CREAT | IPC_EXCL | 0640);
	if (gone < 0 || ro < 0)
		return fail_errno("shmget");
	g = shmat(gone, NULL, 0);
	w = shmat(ro, NULL, 0);
	if (g == (void *)-1 || w == (void *)-1)
		return fail_errno("shmat");
	datagen(g, GONE_SIZE, 1);
	datagen(w, RO_SIZE, 2);
	if (shmctl(gone, IPC_RMID, NULL) || shmdt(w))
		return fail_errno("IPC_RMID / shmdt");
	/* a free spot: reserve it, free it, attach there */
	r = mmap(NULL, 8 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED || munmap(r, 8 * PG))
		return fail_errno("mmap");
	r += 3 * PG;
	if (shmat(ro, r, SHM_RDONLY) != r)
		return fail_errno("shmat(%d, %p, SHM_RDONLY)", ro, r);
	if (expect_all(gone, g, ro, r) || expect_dest(gone, ro))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_all(gone, g, ro, r) || expect_dest(gone, ro))
		return 1;
	/* SHM_DEST means what it says: the last detach destroys the segment */
	if (shmdt(g))
		return fail_errno("shmdt removed segment");
	if (shmctl(gone, IPC_STAT, &(struct shmid_ds){ 0 }) == 0)
		return fail("removed segment %d still exists after its last detach, expected it destroyed", gone);
	if (errno != EINVAL)
		return fail_errno("shmctl(IPC_STAT) after the last detach of the removed segment, expected EINVAL");
	return pass();
}
