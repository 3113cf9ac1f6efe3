#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "zdtm.h"

/* Setting the loginuid needs CAP_AUDIT_CONTROL of the initial user namespace: not in uns. */
ZDTM_TEST(.doc = "the audit loginuid of the task (/proc/self/loginuid) keeps the value it was set to",
	  .flavors = ZDTM_FLAVOR_H | ZDTM_FLAVOR_NS, .flags = "suid");

#define LOGINUID 31337u

static int read_loginuid(unsigned *uid)
{
	char buf[32] = "";
	int fd = open("/proc/self/loginuid", O_RDONLY);

	if (fd < 0)
		return -1;
	if (read(fd, buf, sizeof(buf) - 1) <= 0) {
		close(fd);
		return -1;
	}
	close(fd);
	*uid = strtoul(buf, NULL, 10);
	return 0;
}

int main(int argc, char **argv)
{
	char buf[32];
	unsigned uid;
	int fd, len;

	test_init(argc, argv);
	fd = open("/proc/self/loginuid", O_WRONLY);
	if (fd < 0)
		return errno == ENOENT ? skip("no /proc/self/loginuid (CONFIG_AUDIT)") : fail_errno("open loginuid");
	len = snprintf(buf, sizeof(buf), "%u", LOGINUID);
	if (write(fd, buf, len) != len)
		return errno == EPERM ? skip("cannot set the loginuid (no CAP_AUDIT_CONTROL)") : fail_errno("set loginuid");
	close(fd);
	if (read_loginuid(&uid) || expect_int("loginuid before C/R", uid, LOGINUID))
		return 1;

	test_daemon();
	test_waitsig();

	if (read_loginuid(&uid))
		return fail_errno("read /proc/self/loginuid");
	if (expect_int("loginuid", uid, LOGINUID))
		return 1;
	return pass();
}
