#include "zdtm.h"

ZDTM_TEST(.doc = "unix seqpacket sockets, one listening, bound to paths that were unlinked: names, type and listening kept, paths still absent",
	  .flavors = ZDTM_ALL_FLAVORS);

#define SEQPACKET
#include "del_standalone_un.c"
