#include <netinet/in.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "UDP-Lite sockets bound on 127.0.0.1, one connected, keep their protocol, checksum coverages (UDPLITE_SEND/RECV_CSCOV), addresses and queued datagrams with their senders",
	  .flavors = ZDTM_ALL_FLAVORS);

#define TEST_FAMILY AF_INET
#define TEST_PROTO IPPROTO_UDPLITE
#include "socket_udp.c"
