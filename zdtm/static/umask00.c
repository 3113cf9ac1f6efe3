#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a non-default umask (0345) is kept: /proc shows it and new files and directories obey it",
	  .flavors = ZDTM_ALL_FLAVORS);

#define MASK 0345

/* the umask as /proc/self/status reports it, without changing it; -1 on error */
static int proc_umask(void)
{
	char buf[4096], *p;
	int fd = open("/proc/self/status", O_RDONLY), n;

	if (fd < 0)
		return -1;
	n = read_all(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	p = strstr(buf, "\nUmask:");
	return p ? (int)strtol(p + 7, NULL, 8) : -1;
}

int main(int argc, char **argv)
{
	struct stat st;
	int fd, mask;

	test_init(argc, argv);
	umask(MASK);

	test_daemon();
	test_waitsig();

	mask = proc_umask();
	if (mask != MASK)
		return fail("/proc/self/status shows umask 0%o, expected 0%o", mask, MASK);
	fd = open(test_path("test"), O_CREAT | O_EXCL | O_WRONLY, 0777);
	if (fd < 0 || fstat(fd, &st))
		return fail_errno("create %s", test_path("test"));
	if ((st.st_mode & 07777) != (0777 & ~MASK))
		return fail("new file has mode 0%o, expected 0%o", st.st_mode & 07777, 0777 & ~MASK);
	if (mkdir(test_path("test.dir"), 0777) || stat(test_path("test.dir"), &st))
		return fail_errno("mkdir %s", test_path("test.dir"));
	if ((st.st_mode & 07777) != (0777 & ~MASK))
		return fail("new directory has mode 0%o, expected 0%o", st.st_mode & 07777, 0777 & ~MASK);
	mask = umask(0);
	if (mask != MASK)
		return fail("umask(2) returned 0%o, expected 0%o", mask, MASK);
	return pass();
}
