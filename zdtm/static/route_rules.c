#include <arpa/inet.h>
#include <linux/fib_rules.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "routing policy rules in the test's network namespace (from 10.16.0.0/24 lookup table 100 at priority 1000, fwmark 0x17 lookup 101 at 1001) beside the default ones: all rules kept, in order",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid noemptyns");

struct req { struct nlmsghdr h; struct fib_rule_hdr r; char attrs[128]; };

static void attr(struct req *q, int type, const void *data, int len)
{
	struct rtattr *a = (struct rtattr *)((char *)q + NLMSG_ALIGN(q->h.nlmsg_len));

	a->rta_type = type;
	a->rta_len = RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	q->h.nlmsg_len = NLMSG_ALIGN(q->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

/* Sends q; with dump, appends every rule of the answer to out as "prio P [from A/N] [fwmark M] table T;". */
static int talk(struct req *q, char *out, size_t len)
{
	int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), done = 0, err = 0;
	char buf[16384];

	if (nl < 0 || send(nl, q, q->h.nlmsg_len, 0) < 0)
		return -1;
	while (!done) {
		ssize_t n = recv(nl, buf, sizeof(buf), 0);

		if (n <= 0)
			break;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			struct fib_rule_hdr *r = NLMSG_DATA(h);
			int rest = h->nlmsg_len - NLMSG_LENGTH(sizeof(*r));
			char from[INET_ADDRSTRLEN] = "";
			unsigned prio = 0, table = r->table, mark = 0;

			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
				done = 1;
				err = h->nlmsg_type == NLMSG_ERROR ? -((struct nlmsgerr *)NLMSG_DATA(h))->error : 0;
				continue;
			}
			for (struct rtattr *a = (struct rtattr *)((char *)r + NLMSG_ALIGN(sizeof(*r))); RTA_OK(a, rest);
			     a = RTA_NEXT(a, rest))
				if (a->rta_type == FRA_PRIORITY)
					prio = *(unsigned *)RTA_DATA(a);
				else if (a->rta_type == FRA_TABLE)
					table = *(unsigned *)RTA_DATA(a);
				else if (a->rta_type == FRA_FWMARK)
					mark = *(unsigned *)RTA_DATA(a);
				else if (a->rta_type == FRA_SRC)
					inet_ntop(AF_INET, RTA_DATA(a), from, sizeof(from));
			snprintf(out + strlen(out), len - strlen(out), "prio %u", prio);
			if (from[0])
				snprintf(out + strlen(out), len - strlen(out), " from %s/%u", from, r->src_len);
			if (mark)
				snprintf(out + strlen(out), len - strlen(out), " fwmark 0x%x", mark);
			snprintf(out + strlen(out), len - strlen(out), " table %u;", table);
		}
	}
	close(nl);
	return err ? (errno = err, -1) : 0;
}

static int add_rule(unsigned prio, const char *from, unsigned mark, unsigned table)
{
	struct req q = { .h = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct fib_rule_hdr)), .nlmsg_type = RTM_NEWRULE,
				.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL },
			 .r = { .family = AF_INET, .action = FR_ACT_TO_TBL, .table = RT_TABLE_UNSPEC } };
	struct in_addr a;

	attr(&q, FRA_PRIORITY, &prio, 4);
	attr(&q, FRA_TABLE, &table, 4);
	if (from) {
		inet_pton(AF_INET, from, &a);
		q.r.src_len = 24;
		attr(&q, FRA_SRC, &a, 4);
	}
	if (mark)
		attr(&q, FRA_FWMARK, &mark, 4);
	return talk(&q, (char[4]){ 0 }, 4);
}

static int rules(char *out, size_t len)
{
	struct req q = { .h = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct fib_rule_hdr)), .nlmsg_type = RTM_GETRULE,
				.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP }, .r = { .family = AF_INET } };

	out[0] = 0;
	return talk(&q, out, len);
}

int main(int argc, char **argv)
{
	char before[1024], after[1024];

	test_init(argc, argv);
	if (add_rule(1000, "10.16.0.0", 0, 100) || add_rule(1001, NULL, 0x17, 101))
		return fail_errno("ip rules: from 10.16.0.0/24 lookup 100, fwmark 0x17 lookup 101");
	if (rules(before, sizeof(before)))
		return fail_errno("read the rules");
	test_msg("%s", before);

	test_daemon();
	test_waitsig();

	if (rules(after, sizeof(after)))
		return fail_errno("read the rules");
	return expect_str("rules", after, before) ? 1 : pass();
}
