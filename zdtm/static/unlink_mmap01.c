#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

/* --link-remap: criu refuses a mapped file whose name was unlinked but that still has links without it. */
ZDTM_TEST(.doc = "a MAP_SHARED mapping of a file whose mapped name was unlinked while another hard link "
		 "keeps it: same inode as the remaining link, content, writes seen through the link, one link left",
	  .flavors = ZDTM_ALL_FLAVORS, .opts = "--link-remap");

#define PAGE 4096
#define NPAGES 3

/* criu's temporary names begin with "link_remap"; any in the cwd is a leftover. */
static int expect_no_remap_left(void)
{
	DIR *d = opendir(".");
	struct dirent *e;
	int ret = 0;

	if (!d)
		return fail_errno("opendir .");
	while (!ret && (e = readdir(d)))
		if (!strncmp(e->d_name, "link_remap", 10))
			ret = fail("%s is left in the cwd, expected criu to remove its temporary link", e->d_name);
	closedir(d);
	return ret;
}

int main(int argc, char **argv)
{
	static char data[NPAGES * PAGE], more[PAGE], buf[NPAGES * PAGE];
	char cwd[PATH_MAX], deleted[PATH_MAX + 64];
	struct zdtm_vma v;
	struct stat st;
	char *map;
	int fd;

	test_init(argc, argv);
	datagen(data, sizeof(data), 31);
	datagen(more, sizeof(more), 32);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(deleted, sizeof(deleted), "%s/%s (deleted)", cwd, test_path("mapped"));
	fd = open(test_path("mapped"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, data, sizeof(data)))
		return fail_errno("create %s", test_path("mapped"));
	map = mmap(NULL, sizeof(data), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return fail_errno("mmap");
	close(fd);
	if (link(test_path("mapped"), test_path("link")) || unlink(test_path("mapped")))
		return fail_errno("link %s and unlink %s", test_path("link"), test_path("mapped"));

	test_daemon();
	test_waitsig();

	if (expect_bytes("mapping content", map, data, sizeof(data)))
		return 1;
	if (vma_find(map, &v, false) || v.start != (unsigned long)map)
		return fail("no maps line starts at %p", (void *)map);
	if (stat(test_path("link"), &st))
		return fail_errno("stat %s", test_path("link"));
	if (expect_int("inode of the mapping (maps) and of the remaining link", v.ino, st.st_ino) ||
	    expect_int("st_nlink of the remaining link", st.st_nlink, 1) ||
	    expect_str("maps name", v.name, deleted))
		return 1;
	if (access(test_path("mapped"), F_OK) == 0)
		return fail("%s exists again, expected it to stay unlinked", test_path("mapped"));
	if (expect_no_remap_left())
		return 1;
	/* one file: a write through the mapping is read through the link */
	memcpy(map + PAGE, more, PAGE);
	memcpy(data + PAGE, more, PAGE);
	fd = open(test_path("link"), O_RDONLY);
	if (fd < 0 || pread(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf))
		return fail_errno("read %s", test_path("link"));
	if (expect_bytes("the link's content after a write through the mapping", buf, data, sizeof(buf)))
		return 1;
	return pass();
}
