#include "zdtm.h"

ZDTM_TEST(.doc = "an established TCP connection (both ends in the test) behind a stateful filter in the test's network namespace: an inet table with an input chain of policy drop and \"ct state established,related counter accept\" (conntrack in use), network lock nftables: after restore data goes each way on its own, a new connection is still dropped, and the ruleset is as before. ns and uns only: the filter is the test's own netns's",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid noemptyns", .features = "network_lock_nftables",
	  .opts = "--tcp-established --network-lock nftables");

#define FAMILY NFPROTO_INET
#define TABLE "zdtm"
#define CHAIN "in"
#define LOCK "nftables"
#define CT_RULE nft_ct_accept_rule
#include "socket-tcp-ipt-nfconntrack.c"
