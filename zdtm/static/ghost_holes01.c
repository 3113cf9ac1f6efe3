#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an unlinked open file with data only in its first 12 KiB and a 2 MiB hole up to its end: "
		 "size, offset, data, the trailing hole (SEEK_HOLE, SEEK_DATA past the data fails with ENXIO)",
	  .flavors = ZDTM_ALL_FLAVORS);

#define LEN 12288L
#define SIZE (LEN + 2 * 1024 * 1024L)
#define OFFSET 4097

int main(int argc, char **argv)
{
	static char data[LEN], buf[4096];
	static const char zero[4096];
	struct stat st;
	int fd;

	test_init(argc, argv);
	datagen(data, LEN, 78);
	fd = open(test_path("ghost"), O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write_all(fd, data, LEN) || ftruncate(fd, SIZE) || lseek(fd, OFFSET, SEEK_SET) != OFFSET)
		return fail_errno("create %s", test_path("ghost"));
	if (lseek(fd, 0, SEEK_HOLE) != LEN)
		return skip("the file system does not report the hole (SEEK_HOLE gives %ld)", (long)lseek(fd, 0, SEEK_HOLE));
	lseek(fd, OFFSET, SEEK_SET);
	if (unlink(test_path("ghost")))
		return fail_errno("unlink");

	test_daemon();
	test_waitsig();

	if (fstat(fd, &st))
		return fail_errno("fstat");
	if (expect_int("st_nlink", st.st_nlink, 0) || expect_int("size", st.st_size, SIZE) ||
	    expect_int("offset", lseek(fd, 0, SEEK_CUR), OFFSET))
		return 1;
	if (expect_int("first data (SEEK_DATA from 0)", lseek(fd, 0, SEEK_DATA), 0) ||
	    expect_int("the trailing hole (SEEK_HOLE from 0)", lseek(fd, 0, SEEK_HOLE), LEN))
		return 1;
	errno = 0;
	if (lseek(fd, LEN, SEEK_DATA) != -1 || errno != ENXIO)
		return fail("SEEK_DATA from the hole's start gives %ld (errno %d), expected -1 with ENXIO: data in the hole",
			    (long)lseek(fd, LEN, SEEK_DATA), errno);
	if (st.st_blocks * 512 >= SIZE)
		return fail("%ld blocks of 512 bytes allocated, expected fewer than the %ld bytes of size: the hole is filled",
			    (long)st.st_blocks, SIZE);
	for (long off = 0; off < LEN; off += sizeof(buf)) {
		char want[sizeof(buf)];

		memcpy(want, data + off, sizeof(want));
		if (pread(fd, buf, sizeof(buf), off) != sizeof(buf) || expect_bytes("data before the hole", buf, want, sizeof(buf)))
			return 1;
	}
	if (pread(fd, buf, sizeof(buf), SIZE - sizeof(buf)) != sizeof(buf) ||
	    expect_bytes("the file's last 4 KiB (in the hole)", buf, zero, sizeof(buf)))
		return 1;
	return pass();
}
