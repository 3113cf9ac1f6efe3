#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a TCP socket listening on ::1 (IPV6_V6ONLY) keeps its port, backlog and SO_REUSEADDR; a client connects after C/R",
	  .flavors = ZDTM_ALL_FLAVORS);

#define TEST_FAMILY AF_INET6
#include "socket_listen.c"
