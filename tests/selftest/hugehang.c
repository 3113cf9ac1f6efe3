#include <signal.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "self-test: flagged hugetlb (the runner reserves huge pages), ignores SIGTERM and never answers",
	  .flavors = ZDTM_FLAVOR_H, .flags = "hugetlb", .timeout = 2);

int main(int argc, char **argv)
{
	test_init(argc, argv);
	signal(SIGTERM, SIG_IGN);
	test_daemon();
	for (;;)
		pause();
}
