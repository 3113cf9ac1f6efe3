#include "zdtm.h"

ZDTM_TEST(.doc = "iptables rules in the test's network namespace (iptables-nft: table filter, chain INPUT, \"-d 127.0.0.2/32 -j DROP\" with its counter): kept as the ruleset shows them, and the rule still drops",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid noemptyns");

#define FAMILY NFPROTO_IPV4
#define TABLE "filter"
#define CHAIN "INPUT"
#define DROPPED "127.0.0.2"
#include "netns-nft.c"
