#include "zdtm.h"

ZDTM_TEST(.doc = "criu's network lock (nftables) on the test's own network namespace is lifted after restore: the ruleset is the test's own again (an inet table dropping 127.0.0.3, no table CRIU), and traffic flows: data queued both ways on an established TCP connection arrives, new data goes both ways, a listener accepts a new connection, datagrams to 127.0.0.1 and ::1 arrive while 127.0.0.3 stays dropped. ns and uns only: criu locks a network namespace it dumps, and only there is the namespace the test's",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid noemptyns", .features = "network_lock_nftables",
	  .opts = "--tcp-established --network-lock nftables");

#define LOCK "nftables"
#include "netns_lock_iptables.c"
