#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the bare minimum: memory, a signal handler, an open file, an environment variable",
	  .flavors = ZDTM_ALL_FLAVORS);

static char *envname = "ZDTM_ENV00";
ZDTM_OPTION(envname, "environment variable to set and check");

static volatile sig_atomic_t usr1_seen;

static void on_usr1(int sig)
{
	(void)sig;
	usr1_seen++;
}

int main(int argc, char **argv)
{
	static char mem[3 * 4096], copy[sizeof(mem)];
	const char *value = "env00-value-kept-across-cr";
	struct sigaction sa = { .sa_handler = on_usr1 }, now;
	char buf[sizeof(mem)];
	off_t off;
	int fd;

	test_init(argc, argv);
	datagen(mem, sizeof(mem), 1);
	memcpy(copy, mem, sizeof(mem));
	if (setenv(envname, value, 1))
		return fail_errno("setenv");
	if (sigaction(SIGUSR1, &sa, NULL))
		return fail_errno("sigaction");
	fd = open(test_path("test"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, mem, sizeof(mem)))
		return fail_errno("write %s", test_path("test"));

	test_daemon();
	test_waitsig();

	if (!datachk(mem, sizeof(mem)) || memcmp(mem, copy, sizeof(mem)))
		return fail("memory content changed");
	if (expect_str("environment", getenv(envname), value))
		return 1;
	if (sigaction(SIGUSR1, NULL, &now))
		return fail_errno("sigaction query");
	if (now.sa_handler != on_usr1)
		return fail("SIGUSR1 handler is %p, expected %p", (void *)now.sa_handler, (void *)on_usr1);
	raise(SIGUSR1);
	if (expect_int("SIGUSR1 handler runs", usr1_seen, 1))
		return 1;
	off = lseek(fd, 0, SEEK_CUR);
	if (expect_int("file offset", off, sizeof(mem)))
		return 1;
	if (pread(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf))
		return fail_errno("pread");
	if (expect_bytes("file content", buf, mem, sizeof(mem)))
		return 1;
	return pass();
}
