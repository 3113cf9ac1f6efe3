#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

#ifndef PRIV
ZDTM_TEST(.doc = "an fd opened through /proc/self/map_files on a shared anonymous mapping: same shmem inode as the mapping, its size and bytes, a write through the fd shows in the mapping",
	  .flavors = ZDTM_FLAVOR_H | ZDTM_FLAVOR_NS, .flags = "suid");
#define PRIV 0
#endif

/*
 * Opening /proc/self/map_files/START-END of a MAP_SHARED|MAP_ANONYMOUS area gives an fd on its
 * shmem file ("/dev/zero (deleted)"). With PRIV (shmemfd-priv) that fd is also mapped
 * MAP_PRIVATE, and page 1 of that private mapping is written: a copy the shmem never sees.
 * map_files needs CAP_CHECKPOINT_RESTORE in the initial user namespace: no uns flavor.
 * criu recreates shared anonymous memory as a memfd named after it ("/memfd:/dev/zero (deleted)"),
 * which the runner's state diff accepts too.
 */
#define SHMEM_NAME "/dev/zero (deleted)"
#define PG 4096UL
#define PAGES 4
#define LEN (PAGES * PG)

static char *shared, *priv;
static char data[LEN], mine[PG];

static int check(int fd, const char *when)
{
	char path[64], link[64] = "", buf[LEN];
	struct zdtm_vma v;
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (fstat(fd, &st) || readlink(path, link, sizeof(link) - 1) < 0 || vma_find(shared, &v, false))
		return fail_errno("%s: fstat, readlink or find the mapping", when);
	if (strcmp(link, SHMEM_NAME) && strcmp(link, "/memfd:" SHMEM_NAME))
		return fail("%s: the fd's link is \"%s\", expected \"%s\" (or criu's memfd of that name)", when, link,
			    SHMEM_NAME);
	if (expect_int("the fd's size", st.st_size, LEN) ||
	    expect_int("the fd's inode, against the mapping's", st.st_ino, v.ino) ||
	    expect_int("the fd's access mode", fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR))
		return 1;
	if (pread(fd, buf, LEN, 0) != (ssize_t)LEN)
		return fail_errno("%s: pread the shmem fd", when);
	if (expect_bytes("the bytes read through the fd", buf, data, LEN) ||
	    expect_bytes("the shared mapping", shared, data, LEN))
		return 1;
	if (PRIV && (expect_bytes("page 0 of the private mapping", priv, data, PG) ||
		     expect_bytes("page 1 of the private mapping (its own copy)", priv + PG, mine, PG)))
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	char path[96];
	int fd;

	test_init(argc, argv);
	shared = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return fail_errno("mmap");
	datagen(data, LEN, 24);
	memcpy(shared, data, LEN);
	snprintf(path, sizeof(path), "/proc/self/map_files/%lx-%lx", (unsigned long)shared,
		 (unsigned long)shared + LEN);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return errno == EPERM ? skip("open %s: EPERM (needs CAP_CHECKPOINT_RESTORE)", path)
				      : fail_errno("open %s", path);
	if (PRIV) {
		priv = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
		if (priv == MAP_FAILED)
			return fail_errno("mmap the shmem fd private");
		datagen(mine, PG, 25);
		memcpy(priv + PG, mine, PG);
	}
	if (check(fd, "before C/R"))
		return 1;

	test_daemon();
	test_waitsig();

	if (check(fd, "after C/R"))
		return 1;
	/* still one object: a write through the fd shows in the shared mapping */
	if (pwrite(fd, "Z", 1, PG + 7) != 1)
		return fail_errno("pwrite the shmem fd");
	if (shared[PG + 7] != 'Z')
		return fail("byte %lu of the shared mapping is %#x after a write of 'Z' through the fd: not one object",
			    PG + 7, (unsigned char)shared[PG + 7]);
	return pass();
}
