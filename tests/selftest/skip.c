#include "zdtm.h"

ZDTM_TEST(.doc = "self-test: skips before it is ready", .flavors = ZDTM_FLAVOR_H);

int main(int argc, char **argv)
{
	test_init(argc, argv);
	return skip("selftest needs nothing it has");
}
