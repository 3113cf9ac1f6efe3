#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

/* Sparse: the limit counts a file's size, so ten files of 951 MiB need no 9.5 GB of disk. */
ZDTM_TEST(.doc = "ten unlinked open sparse files of 951 MiB each, under --ghost-limit 1G one by one though "
		 "not together: each one's size, offset, data blocks and holes",
	  .flavors = ZDTM_ALL_FLAVORS, .dopts = "--ghost-limit 1G");

#define KB 1024L
#define MB (1024 * KB)
#define NFILES 10
#define SIZE (951 * MB)
#define BLK (4 * KB)
static const long block_at[] = { 0, 100 * MB, 475 * MB + 12 * KB, 900 * MB, SIZE - BLK };
#define NBLK (sizeof(block_at) / sizeof(block_at[0]))

static int check_file(int i, int fd)
{
	char want[BLK], buf[BLK], what[80];
	struct stat st;

	if (fstat(fd, &st))
		return fail_errno("fstat file %d", i);
	if (st.st_nlink != 0 || st.st_size != SIZE || lseek(fd, 0, SEEK_CUR) != i * MB)
		return fail("file %d: st_nlink %lu size %ld offset %ld, expected 0, %ld, %ld", i,
			    (unsigned long)st.st_nlink, (long)st.st_size, (long)lseek(fd, 0, SEEK_CUR), SIZE, i * MB);
	if (st.st_blocks * 512 > 64 * MB)
		return fail("file %d: %ld bytes allocated, expected a sparse file (its holes filled?)", i,
			    (long)st.st_blocks * 512);
	for (size_t b = 0; b < NBLK; b++) {
		datagen(want, BLK, i * 100 + b);
		snprintf(what, sizeof(what), "file %d: block at %#lx", i, block_at[b]);
		if (pread(fd, buf, BLK, block_at[b]) != BLK || expect_bytes(what, buf, want, BLK))
			return 1;
		if (b + 1 < NBLK && block_at[b] + BLK < block_at[b + 1]) {
			snprintf(what, sizeof(what), "file %d: the hole after %#lx (SEEK_HOLE)", i, block_at[b]);
			if (expect_int(what, lseek(fd, block_at[b], SEEK_HOLE), block_at[b] + BLK))
				return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	char name[32], data[BLK];
	int fd[NFILES];

	test_init(argc, argv);
	for (int i = 0; i < NFILES; i++) {
		snprintf(name, sizeof(name), "ghost%d", i);
		fd[i] = open(test_path(name), O_RDWR | O_CREAT | O_TRUNC, 0600);
		if (fd[i] < 0 || ftruncate(fd[i], SIZE))
			return fail_errno("create %s", test_path(name));
		for (size_t b = 0; b < NBLK; b++) {
			datagen(data, BLK, i * 100 + b);
			if (pwrite(fd[i], data, BLK, block_at[b]) != BLK)
				return fail_errno("pwrite %s", test_path(name));
		}
		if (lseek(fd[i], i * MB, SEEK_SET) != i * MB || unlink(test_path(name)))
			return fail_errno("unlink %s", test_path(name));
	}
	if (lseek(fd[0], 0, SEEK_HOLE) != BLK)
		return skip("the file system does not report holes (SEEK_HOLE gives %ld)", (long)lseek(fd[0], 0, SEEK_HOLE));
	lseek(fd[0], 0, SEEK_SET);

	test_daemon();
	test_waitsig();

	for (int i = 0; i < NFILES; i++)
		if (check_file(i, fd[i]))
			return 1;
	return pass();
}
