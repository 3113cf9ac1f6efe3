#define RELATIVE_NAME
#include "zdtm.h"

ZDTM_TEST(.doc = "a fifo made at the cwd-relative path of a bound unix datagram socket whose name was unlinked: the socket keeps its name and queued datagram, the fifo its bytes",
	  .flavors = ZDTM_ALL_FLAVORS);

#include "fifo_upon_unix_socket00.c"
