#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a rtnetlink socket adds and deletes a route in a loop across C/R, one request always sent ahead of the ack it waits for, each acknowledged in order with its own sequence number and no error (ns: it changes routes, which h would do on the host and uns cannot, lacking CAP_NET_ADMIN)",
	  .flavors = ZDTM_FLAVOR_NS, .flags = "transition");

#define PATIENCE_MS 5000        /* an ack later than this is lost */

static char problem[256];

/* Request k: k even adds 10.111.N.0/24 dev lo (N = k / 2 % 250, scope link, table main), k odd
 * deletes it again; its sequence number is k + 1. */
static int send_req(int nl, unsigned k, int lo)
{
	struct {
		struct nlmsghdr h;
		struct rtmsg r;
		char attrs[64];
	} req = { 0 };
	struct rtattr *rta;
	uint32_t dst = htonl(0x0a6f0000 | (k / 2 % 250) << 8);
	int type = k % 2 ? RTM_DELROUTE : RTM_NEWROUTE;

	req.h.nlmsg_type = type;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (type == RTM_NEWROUTE ? NLM_F_CREATE | NLM_F_EXCL : 0);
	req.h.nlmsg_seq = k + 1;
	req.r = (struct rtmsg){ .rtm_family = AF_INET, .rtm_dst_len = 24, .rtm_table = RT_TABLE_MAIN,
				.rtm_protocol = RTPROT_STATIC, .rtm_scope = RT_SCOPE_LINK, .rtm_type = RTN_UNICAST };
	rta = (struct rtattr *)req.attrs;
	rta->rta_type = RTA_DST, rta->rta_len = RTA_LENGTH(4);
	memcpy(RTA_DATA(rta), &dst, 4);
	rta = (struct rtattr *)(req.attrs + RTA_ALIGN(rta->rta_len));
	rta->rta_type = RTA_OIF, rta->rta_len = RTA_LENGTH(4);
	memcpy(RTA_DATA(rta), &lo, 4);
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(req.r)) + 2 * RTA_ALIGN(RTA_LENGTH(4));
	if (send(nl, &req, req.h.nlmsg_len, 0) != (ssize_t)req.h.nlmsg_len)
		return snprintf(problem, sizeof(problem), "send of request %u: errno %d", k + 1, errno), -1;
	return 0;
}

/* The ack of request k: its sequence number, no error. */
static int wait_ack(int nl, unsigned k)
{
	struct pollfd p = { .fd = nl, .events = POLLIN };
	char buf[4096];
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct nlmsgerr *e = NLMSG_DATA(h);
	ssize_t len;
	int r;

	do
		r = poll(&p, 1, PATIENCE_MS);
	while (r < 0 && errno == EINTR);   /* SIGTERM: finish this request first */
	if (r == 0)
		return snprintf(problem, sizeof(problem), "no ack for request %u within %d ms", k + 1, PATIENCE_MS), -1;
	do
		len = recv(nl, buf, sizeof(buf), 0);
	while (len < 0 && errno == EINTR);
	if (len < (ssize_t)NLMSG_LENGTH(sizeof(*e)) || h->nlmsg_type != NLMSG_ERROR)
		return snprintf(problem, sizeof(problem), "request %u: a reply of %zd bytes type %d, expected an ack",
				k + 1, len, len > 0 ? h->nlmsg_type : -1), -1;
	if (h->nlmsg_seq != k + 1)
		return snprintf(problem, sizeof(problem), "an ack for request %u, expected %u", h->nlmsg_seq, k + 1), -1;
	if (e->error)
		return snprintf(problem, sizeof(problem), "request %u (%s 10.111.%u.0/24): error %d", k + 1,
				k % 2 ? "delete" : "add", k / 2 % 250, e->error), -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_nl self = { .nl_family = AF_NETLINK };
	unsigned k = 0;
	int nl, lo;

	test_init(argc, argv);
	lo = if_nametoindex("lo");
	nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (!lo || nl < 0 || bind(nl, (struct sockaddr *)&self, sizeof(self)))
		return fail_errno("a NETLINK_ROUTE socket and lo");
	/* one request always ahead of its ack: the socket holds an unread ack at every moment */
	if (send_req(nl, 0, lo))
		return fail("%s", problem);

	test_daemon();
	while (test_go() && !send_req(nl, k + 1, lo) && !wait_ack(nl, k))
		k++;
	test_waitsig();

	if (problem[0])
		return fail("after %u requests: %s", k, problem);
	if (wait_ack(nl, k))    /* the last one sent */
		return fail("%s", problem);
	if (k % 2 == 0 && (send_req(nl, k + 1, lo) || wait_ack(nl, k + 1)))
		return fail("%s", problem);     /* the table ends without the route */
	test_msg("%u requests acknowledged", k + 1);
	return pass();
}
