#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "dup()ed fds share one offset, a second open() of the file has its own; fd numbers kept",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef SYS_kcmp
#define SYS_kcmp 312
#endif
#define KCMP_FILE_ 0

static int same_file(int a, int b)
{
	pid_t pid = getpid();

	return syscall(SYS_kcmp, pid, pid, KCMP_FILE_, a, b);
}

int main(int argc, char **argv)
{
	static char data[8192];
	const int high = 100;          /* dup2 target: a number the restore must honour */
	const off_t offs[] = { 1000, 1000, 2000, 2000 };
	struct stat path_st, st;
	int a, b, c, d, fds[4];

	test_init(argc, argv);
	datagen(data, sizeof(data), 5);
	a = open(test_path("test"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (a < 0 || write_all(a, data, sizeof(data)))
		return fail_errno("write %s", test_path("test"));
	b = dup(a);
	c = open(test_path("test"), O_RDONLY);
	d = dup2(c, high);
	if (b < 0 || c < 0 || d != high)
		return fail_errno("dup/open/dup2");
	if (lseek(a, 1000, SEEK_SET) != 1000 || lseek(c, 2000, SEEK_SET) != 2000)
		return fail_errno("lseek");
	if (stat(test_path("test"), &path_st))
		return fail_errno("stat");
	fds[0] = a, fds[1] = b, fds[2] = c, fds[3] = d;

	test_daemon();
	test_waitsig();

	for (int i = 0; i < 4; i++) {
		off_t off;

		if (fstat(fds[i], &st))
			return fail_errno("fd %d is gone", fds[i]);
		if (st.st_dev != path_st.st_dev || st.st_ino != path_st.st_ino)
			return fail("fd %d is inode %lu, expected %s's inode %lu", fds[i],
				    (unsigned long)st.st_ino, test_path("test"), (unsigned long)path_st.st_ino);
		off = lseek(fds[i], 0, SEEK_CUR);
		if (off != offs[i])
			return fail("fd %d offset is %lld, expected %lld", fds[i], (long long)off,
				    (long long)offs[i]);
	}
	if (same_file(a, b) || same_file(c, d))
		return fail("kcmp: fds %d/%d and %d/%d are not one open file each, expected dup()ed twins",
			    a, b, c, d);
	if (same_file(a, c) == 0)
		return fail("kcmp: fds %d and %d are one open file, expected two opens", a, c);
	/* the shared offset moves together, the separate one stays */
	if (lseek(a, 3000, SEEK_SET) != 3000)
		return fail_errno("lseek after C/R");
	if (expect_int("offset of fd b after lseek of its twin a", lseek(b, 0, SEEK_CUR), 3000) ||
	    expect_int("offset of fd c after lseek of a", lseek(c, 0, SEEK_CUR), 2000))
		return 1;
	if (lseek(d, 4000, SEEK_SET) != 4000)
		return fail_errno("lseek after C/R");
	if (expect_int("offset of fd c after lseek of its twin d", lseek(c, 0, SEEK_CUR), 4000) ||
	    expect_int("offset of fd a after lseek of d", lseek(a, 0, SEEK_CUR), 3000))
		return 1;
	if (expect_int("access mode of the dup()ed fd", fcntl(b, F_GETFL) & O_ACCMODE, O_RDWR))
		return 1;
	if (expect_int("access mode of the dup2()ed fd", fcntl(d, F_GETFL) & O_ACCMODE, O_RDONLY))
		return 1;
	return pass();
}
