#include "zdtm.h"

ZDTM_TEST(.doc = "a mount with an external master peer: the runner's tmpfs, shared in the job's mount namespace, bound at /mnt_ext as a slave of it (master:N, N its peer group); dumped as --external mnt[/mnt_ext]:zdtm_ext and bound back by the restore (criu keeps a named external mount's master without --external mnt[]:m), still a slave of the same peer group; ns and uns only: the runner makes external mounts only there",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "extmnt-master");

#define ONE_MOUNT
#include "mnt_ext_multiple.c"
