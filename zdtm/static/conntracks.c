#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "conntrack entries of the test's network namespace (conntrack in use through an nftables \"ct state established,related accept\" rule): a UDP flow 127.0.0.1:41293 <-> 41294 answered both ways with ct mark 0x5a17 (set over ctnetlink), a datagram 41296 -> 41297 never answered, and an established TCP connection to 127.0.0.1:41295, as a ctnetlink dump lists them right after restore: protocol, both tuples, status bits (seen reply, assured...), TCP state, mark (not the timeouts). ns and uns only: the conntrack table is the test's own netns's",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid noemptyns", .opts = "--tcp-established");

#define UDP_A 41293
#define UDP_B 41294
#define TCP_PORT 41295
#define UDP_C 41296
#define UDP_D 41297
#define MARK 0x5a17

#define FOR_ATTR(a, start, rest) \
	for (struct nlattr *a = (start); (rest) >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && \
	     a->nla_len <= (rest); (rest) -= NLA_ALIGN(a->nla_len), a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))
#define DATA(a) ((char *)(a) + NLA_HDRLEN)
#define INNER(a) ((struct nlattr *)DATA(a))
#define TYPE(a) ((a)->nla_type & NLA_TYPE_MASK)

/* A tuple as "udp 127.0.0.1:41293 > 127.0.0.1:41294". */
static void tuple(struct nlattr *t, char *out, size_t len)
{
	char src[16] = "?", dst[16] = "?";
	int proto = 0, sport = 0, dport = 0, r = t->nla_len - NLA_HDRLEN;

	FOR_ATTR(a, INNER(t), r) {
		int r2 = a->nla_len - NLA_HDRLEN;

		FOR_ATTR(b, INNER(a), r2)
			if (TYPE(a) == CTA_TUPLE_IP && TYPE(b) == CTA_IP_V4_SRC)
				inet_ntop(AF_INET, DATA(b), src, sizeof(src));
			else if (TYPE(a) == CTA_TUPLE_IP && TYPE(b) == CTA_IP_V4_DST)
				inet_ntop(AF_INET, DATA(b), dst, sizeof(dst));
			else if (TYPE(a) == CTA_TUPLE_PROTO && TYPE(b) == CTA_PROTO_NUM)
				proto = *(uint8_t *)DATA(b);
			else if (TYPE(a) == CTA_TUPLE_PROTO && TYPE(b) == CTA_PROTO_SRC_PORT)
				sport = ntohs(*(uint16_t *)DATA(b));
			else if (TYPE(a) == CTA_TUPLE_PROTO && TYPE(b) == CTA_PROTO_DST_PORT)
				dport = ntohs(*(uint16_t *)DATA(b));
	}
	snprintf(out, len, "%s %s:%d > %s:%d", proto == IPPROTO_TCP ? "tcp" : proto == IPPROTO_UDP ? "udp" : "?",
		 src, sport, dst, dport);
}

/* One entry as "udp 127.0.0.1:41293 > 127.0.0.1:41294, reply udp ..., status 0x18e, tcp state 3, mark 0". */
static void entry(struct nlmsghdr *h, char *out, size_t len)
{
	char orig[64] = "", reply[64] = "";
	unsigned status = 0, mark = 0;
	int tcp_state = -1, r = h->nlmsg_len - NLMSG_LENGTH(sizeof(struct nfgenmsg));

	FOR_ATTR(a, (struct nlattr *)((char *)NLMSG_DATA(h) + NLMSG_ALIGN(sizeof(struct nfgenmsg))), r) {
		int r2 = a->nla_len - NLA_HDRLEN;

		if (TYPE(a) == CTA_TUPLE_ORIG)
			tuple(a, orig, sizeof(orig));
		else if (TYPE(a) == CTA_TUPLE_REPLY)
			tuple(a, reply, sizeof(reply));
		else if (TYPE(a) == CTA_STATUS)
			status = ntohl(*(uint32_t *)DATA(a));
		else if (TYPE(a) == CTA_MARK)
			mark = ntohl(*(uint32_t *)DATA(a));
		else if (TYPE(a) == CTA_PROTOINFO)
			FOR_ATTR(b, INNER(a), r2) {
				int r3 = b->nla_len - NLA_HDRLEN;

				FOR_ATTR(c, INNER(b), r3)
					if (TYPE(b) == CTA_PROTOINFO_TCP && TYPE(c) == CTA_PROTOINFO_TCP_STATE)
						tcp_state = *(uint8_t *)DATA(c);
			}
	}
	snprintf(out, len, "%s, reply %s, status 0x%x, tcp state %d, mark 0x%x", orig, reply, status, tcp_state, mark);
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The test's IPv4 conntrack entries (those with one of its ports) from a ctnetlink dump, sorted,
 * joined by "; ". How many, or -1 with errno. */
static int entries(char *out, size_t len)
{
	struct { struct nlmsghdr h; struct nfgenmsg g; } req = {
		{ sizeof(req), (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET, NLM_F_REQUEST | NLM_F_DUMP, 1, 0 },
		{ AF_INET, NFNETLINK_V0, 0 } };
	int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER), n = 0, done = 0;
	static char lines[16][256];
	char *sorted[16], buf[16384];

	if (nl < 0 || send(nl, &req, sizeof(req), 0) < 0)
		return -1;
	while (!done) {
		ssize_t got = recv(nl, buf, sizeof(buf), 0);

		if (got <= 0)
			return close(nl), -1;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, got); h = NLMSG_NEXT(h, got)) {
			if (h->nlmsg_type == NLMSG_ERROR && ((struct nlmsgerr *)NLMSG_DATA(h))->error)
				return close(nl), errno = -((struct nlmsgerr *)NLMSG_DATA(h))->error, -1;
			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR)
				done = 1;
			else if (n < 16) {
				entry(h, lines[n], sizeof(lines[n]));
				if (strstr(lines[n], ":41293") || strstr(lines[n], ":41294") || strstr(lines[n], ":41295") ||
				    strstr(lines[n], ":41296"))
					sorted[n] = lines[n], n++;
			}
		}
	}
	close(nl);
	qsort(sorted, n, sizeof(sorted[0]), by_text);
	out[0] = 0;
	for (int i = 0; i < n; i++)
		snprintf(out + strlen(out), len - strlen(out), "%s%s", i ? "; " : "", sorted[i]);
	return n;
}

static struct nlattr *put(struct nlmsghdr *h, int type, const void *data, int len)
{
	struct nlattr *a = (struct nlattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (data)
		memcpy(DATA(a), data, len);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + NLA_ALIGN(a->nla_len);
	return a;
}

static void nest_end(struct nlmsghdr *h, struct nlattr *a)
{
	a->nla_len = (char *)h + h->nlmsg_len - (char *)a;
}

/* Sets the mark of the UDP entry 127.0.0.1:sport > 127.0.0.1:dport (an update: IPCTNL_MSG_CT_NEW
 * without NLM_F_CREATE). 0, or -1 with errno. */
static int set_mark(int sport, int dport, uint32_t mark)
{
	static char buf[512] __attribute__((aligned(4)));
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct nfgenmsg *g = NLMSG_DATA(h);
	uint32_t lo = htonl(INADDR_LOOPBACK), m = htonl(mark);
	uint16_t sp = htons(sport), dp = htons(dport);
	uint8_t proto = IPPROTO_UDP;
	struct nlattr *t, *n;
	int nl, err = EPROTO;

	memset(buf, 0, sizeof(buf));
	h->nlmsg_len = NLMSG_LENGTH(sizeof(*g));
	h->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	g->nfgen_family = AF_INET;
	t = put(h, CTA_TUPLE_ORIG | NLA_F_NESTED, NULL, 0);
	n = put(h, CTA_TUPLE_IP | NLA_F_NESTED, NULL, 0);
	put(h, CTA_IP_V4_SRC, &lo, 4);
	put(h, CTA_IP_V4_DST, &lo, 4);
	nest_end(h, n);
	n = put(h, CTA_TUPLE_PROTO | NLA_F_NESTED, NULL, 0);
	put(h, CTA_PROTO_NUM, &proto, 1);
	put(h, CTA_PROTO_SRC_PORT, &sp, 2);
	put(h, CTA_PROTO_DST_PORT, &dp, 2);
	nest_end(h, n), nest_end(h, t);
	put(h, CTA_MARK, &m, 4);
	nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	if (nl < 0 || send(nl, buf, h->nlmsg_len, 0) < 0 || recv(nl, buf, sizeof(buf), 0) <= 0)
		err = errno;
	else if (h->nlmsg_type == NLMSG_ERROR)
		err = -((struct nlmsgerr *)NLMSG_DATA(h))->error;
	if (nl >= 0)
		close(nl);
	return err ? (errno = err, -1) : 0;
}

/* A UDP socket at 127.0.0.1:port connected to 127.0.0.1:peer. */
static int udp_at(int port, int peer)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in b = { .sin_family = AF_INET, .sin_port = htons(peer), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int sk = socket(AF_INET, SOCK_DGRAM, 0);

	if (sk < 0 || bind(sk, (struct sockaddr *)&a, sizeof(a)) || connect(sk, (struct sockaddr *)&b, sizeof(b)))
		return -1;
	return sk;
}

int main(int argc, char **argv)
{
	const uint32_t states = NF_CT_STATE_BIT(IP_CT_ESTABLISHED) | NF_CT_STATE_BIT(IP_CT_RELATED);
	char before[2048], after[2048], c;
	int u1, u2, u3, fd[2], n;

	test_init(argc, argv);
	if (nft_ct_accept_rule(NFPROTO_INET, "zdtm", "in", states))   /* conntrack starts tracking here */
		return errno == EPERM || errno == EOPNOTSUPP || errno == ENOENT
			       ? skip("no nf_tables with ct here: %s", strerror(errno))
			       : fail_errno("nf_tables table zdtm chain in: ct state accept");
	u1 = udp_at(UDP_A, UDP_B);
	u2 = udp_at(UDP_B, UDP_A);
	if (u1 < 0 || u2 < 0 || send(u1, "a", 1, 0) != 1 || recv(u2, &c, 1, 0) != 1 ||
	    send(u2, "b", 1, 0) != 1 || recv(u1, &c, 1, 0) != 1)
		return fail_errno("a UDP flow %d <-> %d", UDP_A, UDP_B);
	if (set_mark(UDP_A, UDP_B, MARK))
		return fail_errno("mark the UDP flow's entry %#x", MARK);
	u3 = udp_at(UDP_C, UDP_D);   /* nothing at UDP_D: an entry never replied to */
	if (u3 < 0 || send(u3, "c", 1, 0) != 1)
		return fail_errno("a datagram %d -> %d", UDP_C, UDP_D);
	if (tcp_pair(AF_INET, TCP_PORT, fd) || write_all(fd[0], "x", 1) || read_all(fd[1], &c, 1) != 1)
		return fail_errno("a TCP connection to port %d", TCP_PORT);
	usleep(100 * 1000);
	n = entries(before, sizeof(before));
	if (n < 0)
		return fail_errno("a ctnetlink dump of the conntrack table");
	if (n != 3)
		return fail("before C/R: %d conntrack entries of the test, expected 3 (2 UDP, TCP): \"%s\"", n, before);
	test_msg("before: %s", before);

	test_daemon();
	test_waitsig();

	if (entries(after, sizeof(after)) < 0)
		return fail_errno("a ctnetlink dump of the conntrack table");
	return expect_str("conntrack entries of the test (sorted)", after, before) ? 1 : pass();
}
