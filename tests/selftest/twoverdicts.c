#include "zdtm.h"

ZDTM_TEST(.doc = "self-test: PASS then FAIL: the library keeps one, the exit status disagrees (BROKEN)",
	  .flavors = ZDTM_FLAVOR_H);

int main(int argc, char **argv)
{
	test_init(argc, argv);
	test_daemon();
	test_waitsig();
	pass();
	return fail("a second verdict");
}
