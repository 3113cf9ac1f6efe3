#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a file half read through its fd: the offset, the size and the bytes on both sides of it",
	  .flavors = ZDTM_ALL_FLAVORS);

int main(int argc, char **argv)
{
	static char data[5 * 4096 + 123], buf[sizeof(data)];
	const size_t half = sizeof(data) / 2;
	struct stat st;
	int fd;

	test_init(argc, argv);
	datagen(data, sizeof(data), 7);
	fd = open(test_path("test"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fail_errno("open %s", test_path("test"));
	if (write_all(fd, data, sizeof(data)))
		return fail_errno("write");
	/* read the first half back: the offset stops in the middle */
	if (lseek(fd, 0, SEEK_SET) || read_all(fd, buf, half) != (int)half)
		return fail_errno("read the first half");

	test_daemon();
	test_waitsig();

	if (expect_int("file offset", lseek(fd, 0, SEEK_CUR), half))
		return 1;
	if (fstat(fd, &st))
		return fail_errno("fstat");
	if (expect_int("file size", st.st_size, sizeof(data)))
		return 1;
	if (expect_int("bytes read after the offset", read_all(fd, buf + half, sizeof(data) - half),
		       sizeof(data) - half))
		return 1;
	if (expect_int("read at the end of the file", read(fd, buf, 1), 0))
		return 1;
	if (pread(fd, buf, half, 0) != (ssize_t)half)
		return fail_errno("pread the first half");
	if (!datachk(buf, sizeof(buf)))
		return fail("file content fails its CRC stamp");
	if (expect_bytes("file content", buf, data, sizeof(data)))
		return 1;
	return pass();
}
