#include "zdtm.h"

ZDTM_TEST(.doc = "an O_TMPFILE file, never linked, in a directory then made read-only (0500): bytes, size, mode, offset, link name",
	  .flavors = ZDTM_ALL_FLAVORS);

#define TMPFILE 1
#include "unlink_fstat04.c"
