#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an unlinked sparse file with data past 4 GiB: size, offset, header and far data kept, still sparse",
	  .flavors = ZDTM_ALL_FLAVORS);

#define KB 1024LL
#define GB (1024 * 1024 * KB)
#define HEAD_LEN (4 * KB)
#define FAR_OFF (4 * GB + 8 * KB)       /* past what 32 bits can address */
#define FAR_LEN (4 * KB)
#define SIZE (4 * GB + 64 * KB)         /* ends in a hole */
#define POS (4 * GB + 100)              /* the fd's offset, also past 4 GiB */
/* the two data blocks, and some slack for the filesystem's metadata: far below the size */
#define MAX_DISK (1024 * KB)

static int expect_block(int fd, off_t off, const char *want, size_t len, const char *what)
{
	char buf[FAR_LEN > HEAD_LEN ? FAR_LEN : HEAD_LEN];

	if (pread(fd, buf, len, off) != (ssize_t)len)
		return fail_errno("pread %zu bytes of the %s at %lld", len, what, (long long)off);
	return expect_bytes(what, buf, want, len);
}

int main(int argc, char **argv)
{
	static char head[HEAD_LEN], far[FAR_LEN];
	struct stat st;
	int fd;

	test_init(argc, argv);
	datagen(head, sizeof(head), 51);
	datagen(far, sizeof(far), 52);
	fd = open(test_path("test"), O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return fail_errno("open %s", test_path("test"));
	if (pwrite(fd, head, sizeof(head), 0) != sizeof(head) ||
	    pwrite(fd, far, sizeof(far), FAR_OFF) != sizeof(far) || ftruncate(fd, SIZE))
		return fail_errno("write the sparse file");
	if (fstat(fd, &st))
		return fail_errno("fstat");
	if (st.st_blocks * 512LL > MAX_DISK)
		return skip("this filesystem stores the sparse file in %lld bytes: no holes",
			    (long long)st.st_blocks * 512);
	if (lseek(fd, HEAD_LEN, SEEK_DATA) != FAR_OFF)
		return skip("SEEK_DATA past the header does not find the far data here");
	if (lseek(fd, POS, SEEK_SET) != POS || unlink(test_path("test")))
		return fail_errno("lseek/unlink");

	test_daemon();
	test_waitsig();

	if (fstat(fd, &st))
		return fail_errno("fstat");
	if (expect_int("st_nlink", st.st_nlink, 0) || expect_int("file size", st.st_size, SIZE) ||
	    expect_int("fd offset", lseek(fd, 0, SEEK_CUR), POS))
		return 1;
	if (st.st_blocks * 512LL > MAX_DISK)
		return fail("the file takes %lld bytes on disk, expected at most %lld: its holes were filled",
			    (long long)st.st_blocks * 512, MAX_DISK);
	if (expect_block(fd, 0, head, sizeof(head), "header at 0") ||
	    expect_block(fd, FAR_OFF, far, sizeof(far), "data past 4 GiB"))
		return 1;
	/* between them a hole: zeroes, and SEEK_DATA from past the header lands on the far data */
	if (expect_int("SEEK_DATA after the header", lseek(fd, HEAD_LEN, SEEK_DATA), FAR_OFF))
		return 1;
	return pass();
}
