#include "zdtm.h"

ZDTM_TEST(.doc = "a unix stream listener bound in a directory that was removed after its path was unlinked, with a connection and data queued both ways: name, connection and data kept, the directory still absent",
	  .flavors = ZDTM_ALL_FLAVORS);

#define IN_DIR
#include "deleted_unix_sock.c"
