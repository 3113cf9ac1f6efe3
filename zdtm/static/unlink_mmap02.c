#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a file both mapped MAP_SHARED and held open by an fd, then unlinked: the fd and the mapping "
		 "stay one file (same inode, writes through either seen by the other), st_nlink 0, content, offset",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PAGE 4096
#define NPAGES 3
#define OFFSET 777

int main(int argc, char **argv)
{
	static char data[NPAGES * PAGE], more[PAGE], buf[PAGE];
	char cwd[PATH_MAX], deleted[PATH_MAX + 64];
	struct zdtm_vma v;
	struct stat st;
	char *map;
	int fd;

	test_init(argc, argv);
	datagen(data, sizeof(data), 41);
	datagen(more, sizeof(more), 42);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(deleted, sizeof(deleted), "%s/%s (deleted)", cwd, test_path("test"));
	fd = open(test_path("test"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, data, sizeof(data)) || lseek(fd, OFFSET, SEEK_SET) != OFFSET)
		return fail_errno("create %s", test_path("test"));
	map = mmap(NULL, sizeof(data), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return fail_errno("mmap");
	if (unlink(test_path("test")))
		return fail_errno("unlink %s", test_path("test"));

	test_daemon();
	test_waitsig();

	if (expect_bytes("mapping content", map, data, sizeof(data)))
		return 1;
	if (vma_find(map, &v, false) || v.start != (unsigned long)map)
		return fail("no maps line starts at %p", (void *)map);
	if (fstat(fd, &st))
		return fail_errno("fstat");
	if (expect_int("inode of the mapping (maps) and of the fd", v.ino, st.st_ino) ||
	    expect_int("st_nlink", st.st_nlink, 0) ||
	    expect_int("file size", st.st_size, sizeof(data)) ||
	    expect_int("fd offset", lseek(fd, 0, SEEK_CUR), OFFSET) ||
	    expect_str("maps name", v.name, deleted))
		return 1;
	if (access(test_path("test"), F_OK) == 0)
		return fail("%s exists again, expected it to stay unlinked", test_path("test"));
	/* one file: writes through the mapping are read through the fd, and the other way */
	memcpy(map + PAGE, more, PAGE);
	if (pread(fd, buf, PAGE, PAGE) != PAGE)
		return fail_errno("pread");
	if (expect_bytes("page 1 read through the fd after a write through the mapping", buf, more, PAGE))
		return 1;
	if (pwrite(fd, more, PAGE, 2 * PAGE) != PAGE)
		return fail_errno("pwrite");
	if (expect_bytes("page 2 of the mapping after a write through the fd", map + 2 * PAGE, more, PAGE))
		return 1;
	return pass();
}
