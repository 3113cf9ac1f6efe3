#include "zdtm.h"

ZDTM_TEST(.doc = "binds of one tmpfs with per-mount flags as mnt_flags, plus one with nosymfollow: its option kept, a symlink through it refused (ELOOP)",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#define NOSYMFOLLOW 1
#include "mnt_flags.c"
