#include "zdtm.h"

ZDTM_TEST(.doc = "a shmem fd opened through /proc/self/map_files, also mapped MAP_PRIVATE with one page written: the private copy, the untouched page and the shared bytes survive",
	  .flavors = ZDTM_FLAVOR_H | ZDTM_FLAVOR_NS, .flags = "suid");

#define PRIV 1
#include "shmemfd.c"
