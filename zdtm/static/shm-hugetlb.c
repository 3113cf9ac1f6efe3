#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a SysV shared memory segment made with SHM_HUGETLB (2 huge pages), attached: same id and size, still hugetlb (2 MiB pages), bytes kept after C/R",
	  .flavors = ZDTM_FLAVOR_NS, .flags = "hugetlb");

/* ns only: in uns, SHM_HUGETLB needs CAP_IPC_LOCK of the initial user namespace (or
 * vm.hugetlb_shm_group); h would keep the segment in the runner's sandbox, which criu does not dump. */
#define HPAGE (2UL << 20)
#define LEN (2 * HPAGE)

int main(int argc, char **argv)
{
	struct shmid_ds ds;
	struct zdtm_vma v;
	char *p;
	int id;

	test_init(argc, argv);
	id = shmget(IPC_PRIVATE, LEN, IPC_CREAT | SHM_HUGETLB | 0600);
	if (id < 0)
		return errno == ENOMEM ? skip("no free huge pages (vm.nr_hugepages)") : fail_errno("shmget SHM_HUGETLB");
	p = shmat(id, NULL, 0);
	if (p == (void *)-1)
		return fail_errno("shmat");
	datagen(p, LEN, 9);

	test_daemon();
	test_waitsig();

	if (shmctl(id, IPC_STAT, &ds) || vma_find(p, &v, true))
		return fail_errno("IPC_STAT segment %d, find its mapping", id);
	if (expect_int("the segment's size", ds.shm_segsz, LEN) || expect_int("the mapping's shm id", v.ino, id) ||
	    expect_int("the mapping's page size (kB)", vma_kb(&v, "KernelPageSize"), 2048))
		return 1;
	return datachk(p, LEN) ? pass() : fail("the segment's bytes lost their stamp");
}
