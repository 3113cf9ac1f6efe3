#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "self-test: passes, but leaves a file in the host's /tmp (the runner reports a leak)",
	  .flavors = ZDTM_FLAVOR_H);

int main(int argc, char **argv)
{
	char path[64];
	int fd;

	test_init(argc, argv);
	snprintf(path, sizeof(path), "/tmp/selftest-leak.%d", getpid());
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	if (fd < 0)
		return fail_errno("create %s", path);
	close(fd);
	test_daemon();
	test_waitsig();
	return pass();
}
