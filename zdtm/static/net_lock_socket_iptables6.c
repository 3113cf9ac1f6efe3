#include "zdtm.h"

ZDTM_TEST(.doc = "criu's network lock (ip6tables): a TCP peer over ::1 outside the dumped tree keeps sending while the test is dumped and restored, and sees no reset; the stream arrives whole after C/R",
	  .flavors = ZDTM_FLAVOR_H, .flags = "nouser samens", .opts = "--tcp-established --network-lock iptables");

#define FAMILY AF_INET6
#include "net_lock_socket_iptables.c"
