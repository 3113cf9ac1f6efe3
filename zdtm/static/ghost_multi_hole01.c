#include "zdtm.h"

ZDTM_TEST(.doc = "an unlinked open file of 1 MiB with a 4 KiB hole after every 4 KiB of data, dumped with "
		 "--ghost-fiemap (holes found by FIEMAP): size, offset, data, every hole",
	  .flavors = ZDTM_ALL_FLAVORS, .opts = "--ghost-fiemap");

#define GHOST_OPTS
#include "ghost_multi_hole00.c"
