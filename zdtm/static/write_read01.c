#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a 20 MiB file written, then read half way before C/R: size, offset, CRC of both halves",
	  .flavors = ZDTM_ALL_FLAVORS);

#define SIZE (20L << 20)
#define HALF (SIZE / 2)

int main(int argc, char **argv)
{
	uint32_t crc_first, crc_second;
	char *buf;
	struct stat st;
	int fd;

	test_init(argc, argv);
	buf = malloc(SIZE);
	if (!buf)
		return fail_errno("malloc");
	datagen(buf, SIZE, 11);
	crc_first = zdtm_crc32(buf, HALF);
	crc_second = zdtm_crc32(buf + HALF, HALF);
	fd = open(test_path("test"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, buf, SIZE))
		return fail_errno("write %s", test_path("test"));
	/* read the first half back through the fd: the offset stops half way */
	free(buf);
	buf = malloc(HALF + 1);   /* +1: the read after C/R must find EOF */
	if (!buf || lseek(fd, 0, SEEK_SET) || read_all(fd, buf, HALF) != HALF)
		return fail_errno("read the first half back");
	if (zdtm_crc32(buf, HALF) != crc_first)
		return fail("first half read back with CRC %08x, expected %08x", zdtm_crc32(buf, HALF), crc_first);

	test_daemon();
	test_waitsig();

	if (fstat(fd, &st))
		return fail_errno("fstat");
	if (expect_int("file size", st.st_size, SIZE) || expect_int("fd offset", lseek(fd, 0, SEEK_CUR), HALF))
		return 1;
	if (expect_int("CRC of the first half kept in memory", zdtm_crc32(buf, HALF), crc_first))
		return 1;
	/* the rest of the file, from where the offset stopped */
	if (expect_int("bytes read from the offset on", read_all(fd, buf, HALF + 1), HALF))
		return 1;
	if (expect_int("CRC of the second half", zdtm_crc32(buf, HALF), crc_second))
		return 1;
	if (lseek(fd, 0, SEEK_SET) || read_all(fd, buf, HALF) != HALF)
		return fail_errno("reread the first half");
	if (expect_int("CRC of the first half in the file", zdtm_crc32(buf, HALF), crc_first))
		return 1;
	free(buf);
	return pass();
}
