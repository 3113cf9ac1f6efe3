#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a TCP socket bound to ::1 but neither listening nor connected, and an unbound IPv6 one, keep their names and SO_REUSEADDR and can still listen and connect",
	  .flavors = ZDTM_ALL_FLAVORS);

#define TEST_FAMILY AF_INET6
#include "socket_tcp_unconn.c"
