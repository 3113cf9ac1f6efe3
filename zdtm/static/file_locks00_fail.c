#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a flock() LOCK_EX held while criu dumps without --file-locks: criu refuses to dump; the lock stays held",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "crfail");

/* In a child, a fresh open of path tries LOCK_EX | LOCK_NB: 0 when it gets the lock, else errno. */
static int child_try(const char *path)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(path, O_RDONLY);

		if (fd < 0)
			_exit(100);
		_exit(flock(fd, LOCK_EX | LOCK_NB) ? errno : 0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	const char *path;
	char locks[512];
	int fd, n;

	test_init(argc, argv);
	path = test_path("lock");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fail_errno("create %s", path);
	if (flock(fd, LOCK_EX))
		return fail_errno("flock LOCK_EX");

	test_daemon();
	test_waitsig();

	n = proc_locks_of(fd, locks, sizeof(locks));
	if (n != 1 || !strstr(locks, "FLOCK ADVISORY WRITE"))
		return fail("/proc/locks about the file: %d lines \"%s\", expected one FLOCK ADVISORY WRITE", n, locks);
	if (expect_int("a child's LOCK_EX|LOCK_NB try (errno)", child_try(path), EWOULDBLOCK))
		return 1;
	return pass();
}
