#include "zdtm.h"

ZDTM_TEST(.doc = "self-test: fails after C/R with a message", .flavors = ZDTM_FLAVOR_H);

int main(int argc, char **argv)
{
	test_init(argc, argv);
	test_daemon();
	test_waitsig();
	return expect_int("selftest answer", 41, 42);
}
