#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

#ifndef TABLE
ZDTM_TEST(.doc = "an nftables table of family inet in the test's network namespace, an input chain with \"ip daddr 127.0.0.3 counter drop\": tables, chains, rules and the counter kept, and the rule still drops",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid noemptyns");
#define FAMILY NFPROTO_INET
#define TABLE "zdtm"
#define CHAIN "in"
#define DROPPED "127.0.0.3"
#endif

#define PORT 41290

/* Whether a datagram sent to ip:PORT reaches the socket bound to any address (200 ms). */
static int arrives(int rx, const char *ip)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	struct pollfd p = { .fd = rx, .events = POLLIN };
	int tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), got;
	char c;

	inet_pton(AF_INET, ip, &to.sin_addr);
	if (tx < 0 || sendto(tx, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)) != 1)
		return -1;
	close(tx);
	got = poll(&p, 1, 200) == 1;
	if (got)
		recv(rx, &c, 1, 0);
	return got;
}

/* DROPPED (and DROPPED2) is dropped, 127.0.0.1 is not. */
static int check_filter(int rx, const char *when)
{
	if (arrives(rx, DROPPED) != 0)
		return fail("a datagram to %s:%d arrived %s: the rule does not drop it", DROPPED, PORT, when);
#ifdef DROPPED2
	if (arrives(rx, DROPPED2) != 0)
		return fail("a datagram to %s:%d arrived %s: the rule does not drop it", DROPPED2, PORT, when);
#endif
	if (arrives(rx, "127.0.0.1") != 1)
		return fail("a datagram to 127.0.0.1:%d did not arrive %s", PORT, when);
	return 0;
}

/* Every line of before is in after (what the ruleset holds more is for expect_str to say). */
static int expect_kept(const char *before, const char *after)
{
	char line[512];

	for (const char *p = before; *p; p += strcspn(p, ";") + 1) {
		snprintf(line, sizeof(line), "%.*s;", (int)strcspn(p, ";"), p);
		if (!strstr(after, line))
			return fail("the ruleset lost \"%s\": found \"%s\"", line, after);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in any = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	char before[2048], after[2048];
	int rx;

	test_init(argc, argv);
	rx = socket(AF_INET, SOCK_DGRAM, 0);
	if (rx < 0 || bind(rx, (struct sockaddr *)&any, sizeof(any)))
		return fail_errno("a UDP socket at *:%d", PORT);
#ifdef DROPPED2
	if (nft_drop_rule(FAMILY2, TABLE2, CHAIN2, DROPPED2))
		return fail_errno("nf_tables table %s chain %s", TABLE2, CHAIN2);
#endif
	if (nft_drop_rule(FAMILY, TABLE, CHAIN, DROPPED))
		return errno == EPERM || errno == EOPNOTSUPP ? skip("no nf_tables here: %s", strerror(errno))
							     : fail_errno("nf_tables table %s chain %s", TABLE, CHAIN);
	if (check_filter(rx, "before C/R"))
		return 1;
	if (nft_ruleset(before, sizeof(before)) < 0)
		return fail_errno("read the ruleset");
	test_msg("%s", before);

	test_daemon();
	test_waitsig();

	if (nft_ruleset(after, sizeof(after)) < 0)   /* before the datagram that bumps the counter */
		return fail_errno("read the ruleset");
	if (check_filter(rx, "after C/R") || expect_kept(before, after) || expect_str("ruleset", after, before))
		return 1;
	return pass();
}
