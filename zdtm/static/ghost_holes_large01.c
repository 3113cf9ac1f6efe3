#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an unlinked open file of 2 MiB of data, over criu's --ghost-limit of 1 MiB: criu refuses to dump it; the fd keeps its size, offset and data",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "crfail", .dopts = "--ghost-limit 1M");

#define SIZE (2 * 1024 * 1024)
#define POS 12345

int main(int argc, char **argv)
{
	char *want, *buf;
	struct stat st;
	int fd;

	test_init(argc, argv);
	want = malloc(SIZE);
	buf = malloc(SIZE);
	if (!want || !buf)
		return fail_errno("malloc");
	datagen(want, SIZE, 7);
	fd = open(test_path("ghost"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fail_errno("create the file");
	if (write_all(fd, want, SIZE) || unlink(test_path("ghost")))
		return fail_errno("write and unlink the file");
	if (lseek(fd, POS, SEEK_SET) != POS)
		return fail_errno("lseek");

	test_daemon();
	test_waitsig();

	if (fstat(fd, &st))
		return fail_errno("fstat");
	if (expect_int("file size", st.st_size, SIZE) || expect_int("links", st.st_nlink, 0) ||
	    expect_int("offset", lseek(fd, 0, SEEK_CUR), POS))
		return 1;
	if (pread(fd, buf, SIZE, 0) != SIZE)
		return fail_errno("pread %d bytes", SIZE);
	if (expect_bytes("file content", buf, want, SIZE))
		return 1;
	return pass();
}
