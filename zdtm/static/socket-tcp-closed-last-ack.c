#include "zdtm.h"

ZDTM_TEST(.doc = "a TCP end in CLOSE (it closed first, then got the peer's data and FIN) whose peer, closed too, never got the last ACK and sits in LAST_ACK resending its FIN: the end keeps its address, the unread data and the end of the stream (h, ns: the peer's filter dropping every segment needs CAP_NET_ADMIN on a TCP socket, which uns tests lack)",
	  .flavors = ZDTM_FLAVOR_H | ZDTM_FLAVOR_NS, .flags = "nouser samens", .opts = "--tcp-established");

#define TEARDOWN CLOSED_LAST_ACK
#include "socket-tcp-fin-wait1.c"
