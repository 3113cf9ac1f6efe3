#include "zdtm.h"

ZDTM_TEST(.doc = "self-test: passes after C/R", .flavors = ZDTM_ALL_FLAVORS);

int main(int argc, char **argv)
{
	test_init(argc, argv);
	test_daemon();
	test_waitsig();
	return pass();
}
