#include <string.h>
#include <sys/personality.h>
#include <sys/utsname.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a non-default personality: ADDR_NO_RANDOMIZE | UNAME26",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PERS (PER_LINUX | ADDR_NO_RANDOMIZE | UNAME26)

/* The flags, and their one effect a test can see at once: UNAME26 reports a 2.6 kernel. */
static int check(void)
{
	struct utsname u;
	int now = personality(0xffffffff);

	if (now != PERS)
		return fail("personality is 0x%x, expected 0x%x", now, PERS);
	if (uname(&u))
		return fail_errno("uname");
	if (strncmp(u.release, "2.6.", 4))
		return fail("uname release is \"%s\", expected \"2.6.*\" (UNAME26)", u.release);
	return 0;
}

int main(int argc, char **argv)
{
	test_init(argc, argv);
	if (personality(PERS) < 0)
		return fail_errno("personality(0x%x)", PERS);
	if (check())
		return 1;

	test_daemon();
	test_waitsig();

	return check() ? 1 : pass();
}
