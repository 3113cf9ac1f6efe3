#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a unix seqpacket listener bound in a directory that was removed after its path was unlinked, with a connection and a record queued each way: name, connection and records kept, the directory still absent",
	  .flavors = ZDTM_ALL_FLAVORS);

#define IN_DIR
#define TEST_TYPE SOCK_SEQPACKET
#include "deleted_unix_sock.c"
