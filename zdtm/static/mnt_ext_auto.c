#include "zdtm.h"

ZDTM_TEST(.doc = "an external mount found by criu itself: a tmpfs the runner made outside the test's mount namespace, bound at /mnt_ext; dumped and restored with --external mnt[] (auto-detection)",
	  .flavors = ZDTM_FLAVOR_NS | ZDTM_FLAVOR_UNS, .flags = "extmnt-auto");

#define EXT_ROOT "/"
#include "mnt_ext_manual.c"
