#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

#ifndef GHOST_OPTS
ZDTM_TEST(.doc = "an unlinked open file of 1 MiB with a 4 KiB hole after every 4 KiB of data, dumped with "
		 "--no-ghost-fiemap (holes found by SEEK_DATA/SEEK_HOLE): size, offset, data, every hole",
	  .flavors = ZDTM_ALL_FLAVORS, .opts = "--no-ghost-fiemap");
#endif

#define PG 4096L
#define CHUNK (2 * PG)          /* PG of data, then PG of hole */
#define LEN (1024 * 1024L)
#define NCHUNK (LEN / CHUNK)
#define OFFSET 5000

static int check(int fd)
{
	static const char zero[PG];
	char data[PG], buf[PG], what[64];

	for (long c = 0; c < NCHUNK; c++) {
		long off = c * CHUNK;

		snprintf(what, sizeof(what), "data at %#lx (SEEK_DATA from it)", off);
		if (expect_int(what, lseek(fd, off, SEEK_DATA), off))
			return 1;
		snprintf(what, sizeof(what), "the hole after %#lx (SEEK_HOLE)", off);
		if (expect_int(what, lseek(fd, off, SEEK_HOLE), off + PG))
			return 1;
		datagen(data, PG, c);
		snprintf(what, sizeof(what), "data at %#lx", off);
		if (pread(fd, buf, PG, off) != PG || expect_bytes(what, buf, data, PG))
			return 1;
		snprintf(what, sizeof(what), "hole at %#lx", off + PG);
		if (pread(fd, buf, PG, off + PG) != PG || expect_bytes(what, buf, zero, PG))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char data[PG];
	struct stat st;
	int fd;

	test_init(argc, argv);
	fd = open(test_path("ghost"), O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, LEN))
		return fail_errno("create %s", test_path("ghost"));
	for (long c = 0; c < NCHUNK; c++) {
		datagen(data, PG, c);
		if (pwrite(fd, data, PG, c * CHUNK) != PG)
			return fail_errno("pwrite");
	}
	if (fsync(fd) || lseek(fd, 0, SEEK_HOLE) != PG)
		return skip("the file system does not report the holes (SEEK_HOLE gives %ld)",
			    (long)lseek(fd, 0, SEEK_HOLE));
	if (lseek(fd, OFFSET, SEEK_SET) != OFFSET || unlink(test_path("ghost")))
		return fail_errno("unlink");

	test_daemon();
	test_waitsig();

	if (fstat(fd, &st))
		return fail_errno("fstat");
	if (expect_int("st_nlink", st.st_nlink, 0) || expect_int("size", st.st_size, LEN) ||
	    expect_int("offset", lseek(fd, 0, SEEK_CUR), OFFSET))
		return 1;
	if (check(fd))
		return 1;
	return pass();
}
