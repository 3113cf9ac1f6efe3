#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "fds at 100 (a file), 1000 and 4000 (a pipe's ends), FD_CLOEXEC on 1000: numbers, targets, "
		 "flags, closed gaps",
	  .flavors = ZDTM_ALL_FLAVORS);

#define FD_FILE 100
#define FD_READ 1000
#define FD_WRITE 4000
#define POS 1234

/* fd is open with `cloexec` and F_GETFL access mode `acc` */
static int expect_fd(int fd, int cloexec, int acc)
{
	int fdfl = fcntl(fd, F_GETFD), fl = fcntl(fd, F_GETFL);

	if (fdfl < 0 || fl < 0)
		return fail_errno("fd %d is not open", fd);
	if (fdfl != cloexec)
		return fail("fd %d: F_GETFD %d, expected %d", fd, fdfl, cloexec);
	if ((fl & O_ACCMODE) != acc)
		return fail("fd %d: access mode %d, expected %d", fd, fl & O_ACCMODE, acc);
	return 0;
}

/* nothing else is open from 3 up to FD_WRITE + 16 */
static int expect_gaps(void)
{
	for (int fd = 3; fd < FD_WRITE + 16; fd++) {
		if (fd == FD_FILE || fd == FD_READ || fd == FD_WRITE)
			continue;
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			return fail("fd %d is open, expected only %d, %d and %d above 2", fd, FD_FILE, FD_READ, FD_WRITE);
	}
	return 0;
}

static int expect_targets(const char *path, const struct stat *made, const char *data, size_t len)
{
	char buf[64], target[PATH_MAX + 64];
	struct stat st;
	ssize_t n;

	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", FD_FILE);
	n = readlink(buf, target, sizeof(target) - 1);
	if (n < 0)
		return fail_errno("readlink %s", buf);
	target[n] = 0;
	if (expect_str("fd 100 link", target, path))
		return 1;
	if (fstat(FD_FILE, &st))
		return fail_errno("fstat %d", FD_FILE);
	if (st.st_ino != made->st_ino || st.st_dev != made->st_dev)
		return fail("fd %d is inode %lu, expected %lu", FD_FILE, (unsigned long)st.st_ino,
			    (unsigned long)made->st_ino);
	if (expect_int("fd 100 offset", lseek(FD_FILE, 0, SEEK_CUR), POS))
		return 1;
	/* the pipe: the queued bytes, then what fd 4000 writes now comes out of fd 1000 */
	if (write_all(FD_WRITE, "z", 1))
		return fail_errno("write to fd %d", FD_WRITE);
	n = read(FD_READ, buf, sizeof(buf));
	if (expect_int("bytes read from fd 1000", n, len + 1) || expect_bytes("pipe data", buf, data, len) ||
	    expect_int("byte written to fd 4000 after C/R", buf[len], 'z'))
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	const char queued[] = "fd_high queued bytes";
	char cwd[PATH_MAX], path[PATH_MAX + 64];
	struct rlimit rl;
	struct stat made;
	int fd, p[2];

	test_init(argc, argv);
	if (getrlimit(RLIMIT_NOFILE, &rl))
		return fail_errno("getrlimit");
	if (rl.rlim_max <= FD_WRITE)
		return skip("RLIMIT_NOFILE hard limit %lu, fd %d needs more", (unsigned long)rl.rlim_max, FD_WRITE);
	if (rl.rlim_cur <= FD_WRITE) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl))
			return fail_errno("raise RLIMIT_NOFILE");
	}
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(path, sizeof(path), "%s/%s", cwd, test_path("test"));
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, 2 * POS) || lseek(fd, POS, SEEK_SET) != POS || fstat(fd, &made))
		return fail_errno("create %s", path);
	if (pipe(p) || write_all(p[1], queued, sizeof(queued)))
		return fail_errno("pipe");
	if (dup2(fd, FD_FILE) != FD_FILE || dup3(p[0], FD_READ, O_CLOEXEC) != FD_READ ||
	    dup2(p[1], FD_WRITE) != FD_WRITE)
		return fail_errno("dup to the high numbers");
	close(fd);
	close(p[0]);
	close(p[1]);

	test_daemon();
	test_waitsig();

	if (expect_fd(FD_FILE, 0, O_RDWR) || expect_fd(FD_READ, FD_CLOEXEC, O_RDONLY) ||
	    expect_fd(FD_WRITE, 0, O_WRONLY) || expect_gaps())
		return 1;
	if (expect_targets(path, &made, queued, sizeof(queued)))
		return 1;
	return pass();
}
