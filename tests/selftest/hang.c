#include <signal.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "self-test: ignores SIGTERM and never answers (TIMEOUT at verify)",
	  .flavors = ZDTM_FLAVOR_H, .timeout = 2);

int main(int argc, char **argv)
{
	test_init(argc, argv);
	signal(SIGTERM, SIG_IGN);
	test_daemon();
	for (;;)
		pause();
}
