#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "memory-deny-write-execute (PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN): making a writable page executable is refused",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef PR_SET_MDWE
#define PR_SET_MDWE 65
#define PR_GET_MDWE 66
#define PR_MDWE_REFUSE_EXEC_GAIN 1
#endif

static int check(char *page)
{
	if (expect_int("PR_GET_MDWE", prctl(PR_GET_MDWE, 0, 0, 0, 0), PR_MDWE_REFUSE_EXEC_GAIN))
		return 1;
	if (mprotect(page, 4096, PROT_READ | PROT_EXEC) == 0)
		return fail("mprotect(PROT_EXEC) of an anonymous writable page succeeded, expected EACCES");
	if (errno != EACCES)
		return fail_errno("mprotect(PROT_EXEC) of an anonymous writable page, expected EACCES");
	return 0;
}

int main(int argc, char **argv)
{
	char *page;

	test_init(argc, argv);
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return fail_errno("mmap");
	if (prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0)) {
		if (errno == EINVAL)
			return skip("no PR_SET_MDWE");
		return fail_errno("prctl(PR_SET_MDWE)");
	}
	if (check(page))
		return 1;

	test_daemon();
	test_waitsig();

	return check(page) ? 1 : pass();
}
