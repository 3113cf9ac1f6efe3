#include "zdtm.h"

ZDTM_TEST(.doc = "a child cloned with CLONE_FS shares the test's fs_struct, next to a forked child and a thread that unshared it: kcmp KCMP_FS, cwd, umask, and a umask set by the child shows in the test",
	  .flavors = ZDTM_ALL_FLAVORS);

#define SHARER_PROCESS 1
#define SHARER_NAME "the CLONE_FS child"
#include "clone_fs.c"
