#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "dirty MAP_SHARED pages of a file, written before C/R and not synced: the file holds the writes, its mtime moved past the one before the writes",
	  .flavors = ZDTM_ALL_FLAVORS);

#define LEN (4 * 4096)

int main(int argc, char **argv)
{
	static char data[LEN], buf[LEN];
	struct stat before, after;
	char *m;
	int fd;

	test_init(argc, argv);
	datagen(data, LEN, 88);
	fd = open(test_path("file"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, LEN) || fsync(fd) || fstat(fd, &before))
		return fail_errno("file");
	m = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return fail_errno("mmap");
	close(fd);
	usleep(20000);                  /* a later timestamp than the file's creation */
	memcpy(m, data, LEN);           /* dirty pages: the mtime is updated on write fault */

	test_daemon();
	test_waitsig();

	if (expect_bytes("the mapping", m, data, LEN))
		return 1;
	if (msync(m, LEN, MS_SYNC))
		return fail_errno("msync");
	fd = open(test_path("file"), O_RDONLY);
	if (fd < 0 || pread(fd, buf, LEN, 0) != LEN || fstat(fd, &after))
		return fail_errno("read the file");
	if (expect_bytes("the file", buf, data, LEN))
		return 1;
	if (after.st_mtim.tv_sec < before.st_mtim.tv_sec ||
	    (after.st_mtim.tv_sec == before.st_mtim.tv_sec && after.st_mtim.tv_nsec <= before.st_mtim.tv_nsec))
		return fail("mtime %ld.%09ld, expected later than %ld.%09ld (before the writes)", after.st_mtim.tv_sec,
			    after.st_mtim.tv_nsec, before.st_mtim.tv_sec, before.st_mtim.tv_nsec);
	return pass();
}
