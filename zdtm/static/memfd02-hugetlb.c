#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a MFD_HUGETLB memfd of 2 huge pages, held as an fd and mapped shared: still on hugetlbfs after C/R, same size, the mapping is of the fd's file, and the bytes read through both are kept",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "hugetlb");

#define HPAGE (2UL << 20)
#define LEN (2 * HPAGE)
#define HUGETLBFS_MAGIC 0x958458f6

int main(int argc, char **argv)
{
	struct stat st;
	struct statfs fs;
	struct zdtm_vma v;
	char *p, *copy;
	int fd;

	test_init(argc, argv);
	fd = memfd_create("zdtm-huge", MFD_HUGETLB);
	if (fd < 0 || ftruncate(fd, LEN))
		return fail_errno("memfd_create MFD_HUGETLB, %lu bytes", LEN);
	p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	copy = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || copy == MAP_FAILED)
		return errno == ENOMEM ? skip("no free huge pages (vm.nr_hugepages)") : fail_errno("mmap");
	datagen(p, LEN, 7);
	memcpy(copy, p, LEN);

	test_daemon();
	test_waitsig();

	if (fstatfs(fd, &fs) || fstat(fd, &st) || vma_find(p, &v, true))
		return fail_errno("fstatfs, fstat the memfd, find its mapping");
	if (expect_int("the memfd's file system magic", fs.f_type, HUGETLBFS_MAGIC) ||
	    expect_int("its size", st.st_size, LEN) || expect_int("the mapping's inode", v.ino, st.st_ino) ||
	    expect_int("the mapping's page size (kB)", vma_kb(&v, "KernelPageSize"), 2048) ||
	    expect_bytes("the mapping's bytes", p, copy, LEN))
		return 1;
	return datachk(p, LEN) ? pass() : fail("the memfd's bytes lost their stamp");
}
