#include <stdlib.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "self-test: dies before it is ready (BROKEN at start)", .flavors = ZDTM_FLAVOR_H);

int main(int argc, char **argv)
{
	test_init(argc, argv);
	abort();
}
