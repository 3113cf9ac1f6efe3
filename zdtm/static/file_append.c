#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an O_APPEND fd seeked back to 0 keeps the flag: a write after C/R lands at the end",
	  .flavors = ZDTM_ALL_FLAVORS);

int main(int argc, char **argv)
{
	static char before[4096 + 17], after[1000], buf[sizeof(before) + sizeof(after)];
	struct stat st;
	int fd, fl;

	test_init(argc, argv);
	datagen(before, sizeof(before), 1);
	datagen(after, sizeof(after), 2);
	fd = open(test_path("test"), O_RDWR | O_APPEND | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fail_errno("open %s", test_path("test"));
	if (write_all(fd, before, sizeof(before)))
		return fail_errno("write");
	/* without O_APPEND the next write would overwrite the start */
	if (lseek(fd, 0, SEEK_SET))
		return fail_errno("lseek");

	test_daemon();
	test_waitsig();

	fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return fail_errno("F_GETFL");
	if (!(fl & O_APPEND) || (fl & O_ACCMODE) != O_RDWR)
		return fail("fd flags are 0%o, expected O_RDWR|O_APPEND (0%o) among them", fl,
			    O_RDWR | O_APPEND);
	if (expect_int("offset before the write", lseek(fd, 0, SEEK_CUR), 0))
		return 1;
	if (write_all(fd, after, sizeof(after)))
		return fail_errno("write after C/R");
	if (expect_int("offset after the write", lseek(fd, 0, SEEK_CUR), sizeof(buf)))
		return 1;
	if (fstat(fd, &st))
		return fail_errno("fstat");
	if (expect_int("file size", st.st_size, sizeof(buf)))
		return 1;
	if (pread(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf))
		return fail_errno("pread");
	if (expect_bytes("data written before C/R", buf, before, sizeof(before)))
		return 1;
	if (expect_bytes("data appended after C/R", buf + sizeof(before), after, sizeof(after)))
		return 1;
	return pass();
}
