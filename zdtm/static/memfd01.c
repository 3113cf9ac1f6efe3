#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a write-sealed memfd (shrink, grow, write, seal) keeps its seals, size and content, and still refuses every change",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif

#define PG 4096UL
#define NAME "zdtm-memfd01"
#define SIZE (5 * PG + 321)
#define SEALS (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL)

/* A change the seals forbid: the call failed, with EPERM. */
static int refused(const char *what, long ret)
{
	if (ret >= 0)
		return fail("%s of the sealed memfd succeeded, expected EPERM", what);
	if (errno != EPERM)
		return fail_errno("%s of the sealed memfd: expected EPERM", what);
	return 0;
}

/* Every way to change the memfd fails: the seals are enforced, not only reported. */
static int refuses_changes(int fd)
{
	void *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	if (p != MAP_FAILED)
		munmap(p, PG);
	return refused("a writable shared mapping", p == MAP_FAILED ? -1 : 0) ||
	       refused("write(2)", write(fd, "x", 1)) ||
	       refused("pwrite(2)", pwrite(fd, "x", 1, 0)) ||
	       refused("shrinking ftruncate", ftruncate(fd, SIZE - 1)) ||
	       refused("growing ftruncate", ftruncate(fd, SIZE + PG)) ||
	       refused("fallocate beyond the end", fallocate(fd, 0, SIZE, PG)) ||
	       refused("F_ADD_SEALS(F_SEAL_EXEC) after F_SEAL_SEAL", fcntl(fd, F_ADD_SEALS, F_SEAL_EXEC));
}

int main(int argc, char **argv)
{
	static char data[SIZE], buf[SIZE + 1];
	struct stat st;
	char *rw;
	int fd;

	test_init(argc, argv);
	datagen(data, SIZE, 1);
	fd = memfd_create(NAME, MFD_ALLOW_SEALING);
	if (fd < 0)
		return fail_errno("memfd_create");
	if (ftruncate(fd, SIZE))
		return fail_errno("ftruncate");
	/* Filled through a writable mapping, which must be gone before F_SEAL_WRITE. */
	rw = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (rw == MAP_FAILED)
		return fail_errno("mmap the memfd for writing");
	memcpy(rw, data, SIZE);
	if (munmap(rw, SIZE))
		return fail_errno("munmap the writer");
	if (fcntl(fd, F_ADD_SEALS, SEALS))
		return fail_errno("F_ADD_SEALS");
	if (refuses_changes(fd))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_int("seals", fcntl(fd, F_GET_SEALS), SEALS))
		return 1;
	if (fstat(fd, &st))
		return fail_errno("fstat");
	if (expect_int("size", st.st_size, SIZE))
		return 1;
	if (refuses_changes(fd))
		return 1;
	if (expect_int("pread length", pread(fd, buf, sizeof(buf), 0), SIZE) ||
	    expect_bytes("memfd content", buf, data, SIZE))
		return 1;
	return pass();
}
