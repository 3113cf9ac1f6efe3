#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the UTS namespace's hostname and domainname, set by the test",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

static char *hostname = "zdtm-utsname00.host";
ZDTM_OPTION(hostname, "hostname to set");
static char *domainname = "zdtm-utsname00.domain";
ZDTM_OPTION(domainname, "domainname to set");

static int expect_names(void)
{
	struct utsname u;

	if (uname(&u))
		return fail_errno("uname");
	if (expect_str("hostname", u.nodename, hostname) || expect_str("domainname", u.domainname, domainname))
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	test_init(argc, argv);
	if (sethostname(hostname, strlen(hostname)))
		return fail_errno("sethostname(%s)", hostname);
	if (setdomainname(domainname, strlen(domainname)))
		return fail_errno("setdomainname(%s)", domainname);
	if (expect_names())
		return 1;

	test_daemon();
	test_waitsig();

	return expect_names() ? 1 : pass();
}
