#include "zdtm.h"

ZDTM_TEST(.doc = "an external mount with a deeper bind root: a directory of a tmpfs the runner made outside the test's mount namespace, bound at /mnt_ext (mount root /sub); dumped as --external mnt[/mnt_ext]:KEY and bound back by the restore",
	  .flavors = ZDTM_FLAVOR_NS | ZDTM_FLAVOR_UNS, .flags = "extmnt-sub");

#define EXT_ROOT "/sub"
#include "mnt_ext_manual.c"
