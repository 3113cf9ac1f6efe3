#include "zdtm.h"

ZDTM_TEST(.doc = "nftables and iptables rules side by side in the test's network namespace (an inet table dropping 127.0.0.3, the iptables-nft table filter dropping 127.0.0.2 in INPUT): both kept with their counters, both still drop",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid noemptyns");

#define FAMILY NFPROTO_INET
#define TABLE "zdtm"
#define CHAIN "in"
#define DROPPED "127.0.0.3"
#define FAMILY2 NFPROTO_IPV4
#define TABLE2 "filter"
#define CHAIN2 "INPUT"
#define DROPPED2 "127.0.0.2"
#include "netns-nft.c"
