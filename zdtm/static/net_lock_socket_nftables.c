#include "zdtm.h"

ZDTM_TEST(.doc = "criu's network lock (nftables): a TCP peer outside the dumped tree keeps sending while the test is dumped and restored, and sees no reset; the stream arrives whole after C/R",
	  .flavors = ZDTM_FLAVOR_H, .flags = "nouser samens", .features = "network_lock_nftables",
	  .opts = "--tcp-established --network-lock nftables");

#define FAMILY AF_INET
#include "net_lock_socket_iptables.c"
