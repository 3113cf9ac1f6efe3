#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

#ifndef TABLE
ZDTM_TEST(.doc = "an established TCP connection (both ends in the test) behind a stateful filter in the test's network namespace: iptables-nft table filter, chain INPUT of policy drop with \"-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\" (the xtables match through nft_compat, as iptables-nft makes it; conntrack in use), network lock iptables: after restore data goes each way on its own, a new connection is still dropped, and the ruleset is as before. ns and uns only: the filter is the test's own netns's",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid noemptyns", .opts = "--tcp-established --network-lock iptables");
#define FAMILY NFPROTO_IPV4
#define TABLE "filter"
#define CHAIN "INPUT"
#define LOCK "iptables"
#define CT_RULE nft_xt_conntrack_rule
#endif

#define PORT 41292   /* a listener no new connection may reach */

/* Whether a new connection to 127.0.0.1:PORT is accepted by lsn within ms. */
static int accepted(int lsn, int ms)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	struct pollfd p = { .fd = lsn, .events = POLLIN };
	int sk = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), got, a;

	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	if (sk < 0 || (connect(sk, (struct sockaddr *)&to, sizeof(to)) && errno != EINPROGRESS))
		return -1;
	got = poll(&p, 1, ms) == 1;
	if (got && (a = accept(lsn, NULL, NULL)) >= 0)
		close(a);
	close(sk);
	return got;
}

/* msg sent on tx arrives whole on rx within 3 s, before anything goes the other way. */
static int one_way(int tx, int rx, const char *msg, const char *what)
{
	char buf[64] = "";
	size_t len = strlen(msg), got = 0;

	if (write_all(tx, msg, len))
		return fail_errno("%s: send", what);
	while (got < len) {
		struct pollfd p = { .fd = rx, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 3000) != 1)
			return fail("%s: %zu bytes \"%.*s\" in 3 s, expected \"%s\" (its packets dropped as not ESTABLISHED?)",
				    what, got, (int)got, buf, msg);
		n = recv(rx, buf + got, len - got, 0);
		if (n <= 0)
			return fail_errno("%s: recv after %zu bytes, expected \"%s\"", what, got, msg);
		got += n;
	}
	return expect_str(what, buf, msg);
}

/* The lines of /proc/net/nf_conntrack about TCP port port, for the log. */
static void log_conntrack(int port)
{
	FILE *f = fopen("/proc/net/nf_conntrack", "r");
	char line[512], pat[32];

	snprintf(pat, sizeof(pat), "port=%d ", port);
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, pat))
			test_msg("conntrack: %s", line);
	if (f)
		fclose(f);
}

/* The ruleset without its counters' packets (in place), and the first counter's packets. */
static long uncount(char *rules)
{
	long first = -1;
	char *p = rules, *q;

	while ((p = strstr(p, "counter:"))) {
		if (first < 0)
			first = strtol(p + 8, NULL, 10);
		q = p + 8 + strspn(p + 8, "0123456789");
		memmove(p + 7, q, strlen(q) + 1);
		p += 7;
	}
	return first;
}

int main(int argc, char **argv)
{
	struct sockaddr_in any = { .sin_family = AF_INET, .sin_port = htons(PORT) }, a;
	const uint32_t states = NF_CT_STATE_BIT(IP_CT_ESTABLISHED) | NF_CT_STATE_BIT(IP_CT_RELATED);
	char before[2048], after[2048];
	socklen_t alen = sizeof(a);
	int fd[2], lsn;

	test_init(argc, argv);
	lsn = socket(AF_INET, SOCK_STREAM, 0);
	if (lsn < 0 || bind(lsn, (struct sockaddr *)&any, sizeof(any)) || listen(lsn, 4))
		return fail_errno("a TCP listener at *:%d", PORT);
	/* conntrack follows the connection from its SYN: the rule comes first, the drop policy last */
	if (CT_RULE(FAMILY, TABLE, CHAIN, states))
		return errno == EPERM || errno == EOPNOTSUPP || errno == ENOENT
			       ? skip("no nf_tables with ct here: %s", strerror(errno))
			       : fail_errno("nf_tables table %s chain %s: ct state accept", TABLE, CHAIN);
	if (tcp_pair(AF_INET, 0, fd) || getsockname(fd[1], (struct sockaddr *)&a, &alen))
		return fail_errno("a TCP pair over loopback");
	if (nft_chain_policy(FAMILY, TABLE, CHAIN, NF_DROP))
		return fail_errno("chain %s policy drop", CHAIN);
	if (one_way(fd[0], fd[1], "to 1 before", "before C/R, client to server") ||
	    one_way(fd[1], fd[0], "to 0 before", "before C/R, server to client"))
		return 1;
	if (accepted(lsn, 500) != 0)
		return fail("before C/R: a new connection to 127.0.0.1:%d was accepted: the drop policy does not work", PORT);
	log_conntrack(ntohs(a.sin_port));
	usleep(200 * 1000);   /* the counter settles: the last ACKs are through */
	if (nft_ruleset(before, sizeof(before)) < 0)
		return fail_errno("read the ruleset");
	test_msg("ruleset before: %s", before);

	test_daemon();
	test_waitsig();

	if (nft_ruleset(after, sizeof(after)) < 0)
		return fail_errno("read the ruleset");
	log_conntrack(ntohs(a.sin_port));
	if (one_way(fd[0], fd[1], "to 1 after", "after C/R, client to server") ||
	    one_way(fd[1], fd[0], "to 0 after", "after C/R, server to client"))
		return 1;
	if (accepted(lsn, 500) != 0)
		return fail("after C/R: a new connection to 127.0.0.1:%d was accepted: the drop policy is lost", PORT);
	/* read before the traffic; the restore's own packets passed the ct rule: its counter may grow */
	if (uncount(after) < uncount(before))
		return fail("the ct rule's counter went back: \"%s\", before \"%s\"", after, before);
	if (expect_str("ruleset without counters (as before, nothing of criu's " LOCK " lock)", after, before))
		return 1;
	return pass();
}
