#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

/*
 * The fd's own name is gone but the file lives on under another: /proc shows "name (deleted)" with
 * st_nlink 1, so criu cannot treat it as a ghost file (it has a link) nor reopen it by its name.
 * With --link-remap criu links the inode to a temporary link_remap.N name at dump and opens that
 * at restore; the temporary name must be gone afterwards.
 */
ZDTM_TEST(.doc = "a file opened by a name that was unlinked while a second hard link keeps it: same inode, content, offset; no link_remap file left",
	  .flavors = ZDTM_ALL_FLAVORS, .opts = "--link-remap");

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
	static char data[6000], buf[sizeof(data) + 1];
	const char *opened, *kept;
	struct stat fst, st;
	int fd;

	test_init(argc, argv);
	datagen(data, sizeof(data), 11);
	opened = test_path("opened");
	kept = test_path("kept");
	fd = open(opened, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, data, sizeof(data)))
		return fail_errno("write %s", opened);
	if (link(opened, kept) || unlink(opened))
		return fail_errno("link %s to %s, then unlink it", opened, kept);

	test_daemon();
	test_waitsig();

	if (fstat(fd, &fst) || stat(kept, &st))
		return fail_errno("fstat the fd, stat %s", kept);
	if (fst.st_dev != st.st_dev || fst.st_ino != st.st_ino)
		return fail("the fd is inode %lu, %s is inode %lu: expected one file", (unsigned long)fst.st_ino, kept,
			    (unsigned long)st.st_ino);
	if (expect_int("st_nlink", fst.st_nlink, 1) || expect_int("fd offset", lseek(fd, 0, SEEK_CUR), sizeof(data)))
		return 1;
	if (access(opened, F_OK) == 0)
		return fail("%s exists again, expected it to stay unlinked", opened);
	if (expect_int("bytes read", pread(fd, buf, sizeof(buf), 0), sizeof(data)) ||
	    expect_bytes("file content", buf, data, sizeof(data)))
		return 1;
	return expect_no_remap_left() ?: pass();
}
