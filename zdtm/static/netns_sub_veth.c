#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a veth pair between the test's network namespace and a child's own: names, addresses, MTU and link state of both ends kept, UDP crosses it after C/R",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid noemptyns");

#define OURS "zdtm-veth0"      /* 10.9.0.1/24 in the test's namespace */
#define THEIRS "zdtm-veth1"    /* 10.9.0.2/24 in the child's */
#define MTU 1400
#define PORT 41281

static struct zdtm_waiter *w;  /* 1: child unshared; 2: its end moved in; 3: set up; 4: C/R over */
static char *finding;

/* An rtnetlink RTM_NEWLINK request; nested attributes open with nest() and close with end(). */
struct req { struct nlmsghdr h; struct ifinfomsg i; char attrs[256]; };

static struct rtattr *attr(struct req *q, int type, const void *data, int len)
{
	struct rtattr *a = (struct rtattr *)((char *)q + NLMSG_ALIGN(q->h.nlmsg_len));

	a->rta_type = type;
	a->rta_len = RTA_LENGTH(len);
	if (data)
		memcpy(RTA_DATA(a), data, len);
	q->h.nlmsg_len = NLMSG_ALIGN(q->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
	return a;
}

static void end(struct req *q, struct rtattr *nest)
{
	nest->rta_len = (char *)q + q->h.nlmsg_len - (char *)nest;
}

/* Sends q on a fresh rtnetlink socket and waits for its ack: 0, or -1 with the kernel's errno. */
static int nl_do(struct req *q)
{
	char buf[4096];
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	ssize_t n;

	q->h.nlmsg_type = RTM_NEWLINK;
	q->h.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	n = nl < 0 || send(nl, q, q->h.nlmsg_len, 0) < 0 ? -1 : recv(nl, buf, sizeof(buf), 0);
	close(nl);
	if (n < 0 || !NLMSG_OK(h, n) || h->nlmsg_type != NLMSG_ERROR)
		return errno = EPROTO, -1;
	errno = -((struct nlmsgerr *)NLMSG_DATA(h))->error;
	return errno ? -1 : 0;
}

static int veth_create(void)
{
	struct req q = { .h = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
				.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL } };
	struct ifinfomsg peer = { 0 };
	struct rtattr *info, *data, *p;

	attr(&q, IFLA_IFNAME, OURS, sizeof(OURS));
	info = attr(&q, IFLA_LINKINFO, NULL, 0);
	attr(&q, IFLA_INFO_KIND, "veth", 4);
	data = attr(&q, IFLA_INFO_DATA, NULL, 0);
	p = attr(&q, VETH_INFO_PEER, &peer, sizeof(peer));
	attr(&q, IFLA_IFNAME, THEIRS, sizeof(THEIRS));
	end(&q, p), end(&q, data), end(&q, info);
	return nl_do(&q);
}

static int move_to(const char *name, pid_t pid)
{
	struct req q = { .h = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)) },
			 .i = { .ifi_index = if_nametoindex(name) } };

	attr(&q, IFLA_NET_NS_PID, &pid, sizeof(pid));
	return q.i.ifi_index ? nl_do(&q) : -1;
}

static int ifreq_addr(struct ifreq *r, const char *name, const char *ip)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };

	memset(r, 0, sizeof(*r));
	snprintf(r->ifr_name, IFNAMSIZ, "%s", name);
	inet_pton(AF_INET, ip, &sin.sin_addr);
	memcpy(&r->ifr_addr, &sin, sizeof(sin));
	return 0;
}

/* name gets ip/24, the MTU and IFF_UP. */
static int iface_up(const char *name, const char *ip)
{
	int sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret;
	struct ifreq r;

	ret = sk < 0 || ifreq_addr(&r, name, ip) || ioctl(sk, SIOCSIFADDR, &r) ||
	      ifreq_addr(&r, name, "255.255.255.0") || ioctl(sk, SIOCSIFNETMASK, &r) ||
	      (r.ifr_mtu = MTU, ioctl(sk, SIOCSIFMTU, &r)) || ioctl(sk, SIOCGIFFLAGS, &r) ||
	      (r.ifr_flags |= IFF_UP, ioctl(sk, SIOCSIFFLAGS, &r));
	close(sk);
	return ret ? -1 : 0;
}

/* "zdtm-veth0 10.9.0.1/255.255.255.0 mtu 1400 up" of name (a field it cannot read: "?"). */
static const char *iface_desc(const char *name, char *out, size_t len)
{
	char addr[INET_ADDRSTRLEN] = "?", mask[INET_ADDRSTRLEN] = "?";
	int sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), mtu = -1, up = -1;
	struct ifreq r;

	ifreq_addr(&r, name, "0.0.0.0");
	if (!ioctl(sk, SIOCGIFADDR, &r))
		inet_ntop(AF_INET, &((struct sockaddr_in *)&r.ifr_addr)->sin_addr, addr, sizeof(addr));
	if (!ioctl(sk, SIOCGIFNETMASK, &r))
		inet_ntop(AF_INET, &((struct sockaddr_in *)&r.ifr_addr)->sin_addr, mask, sizeof(mask));
	if (!ioctl(sk, SIOCGIFMTU, &r))
		mtu = r.ifr_mtu;
	if (!ioctl(sk, SIOCGIFFLAGS, &r))
		up = !!(r.ifr_flags & IFF_UP);
	close(sk);
	snprintf(out, len, "%s %s/%s mtu %d %s", name, addr, mask, mtu, up < 0 ? "?" : up ? "up" : "down");
	return out;
}

/* A UDP socket bound to ip:PORT that gives up reading after 3 s, or -1. */
static int udp_at(const char *ip)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	struct timeval tv = { .tv_sec = 3 };
	int sk = socket(AF_INET, SOCK_DGRAM, 0);

	inet_pton(AF_INET, ip, &a.sin_addr);
	if (sk < 0 || setsockopt(sk, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) || bind(sk, (struct sockaddr *)&a, sizeof(a)))
		return -1;
	return sk;
}

/* One datagram from the test: answered with the same bytes. */
static int echo(int sk)
{
	struct sockaddr_in from;
	socklen_t len = sizeof(from);
	char buf[16];
	ssize_t n = recvfrom(sk, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);

	if (n <= 0 || sendto(sk, buf, n, 0, (struct sockaddr *)&from, len) != n)
		return note(finding, "the child's end got no datagram from the test: %s", strerror(errno));
	return 0;
}

/* The test sends word to the child's address and reads it back. */
static int ping(int sk, const char *word, char *problem)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	char buf[16] = "";

	inet_pton(AF_INET, "10.9.0.2", &to.sin_addr);
	if (sendto(sk, word, strlen(word) + 1, 0, (struct sockaddr *)&to, sizeof(to)) < 0 ||
	    recv(sk, buf, sizeof(buf), 0) < 0 || strcmp(buf, word))
		return note(problem, "UDP %s -> 10.9.0.2:%d and back: got \"%s\" (%s)", word, PORT, buf, strerror(errno));
	return 0;
}

static int child(void)
{
	char before[128], after[128];
	int sk;

	if (unshare(CLONE_NEWNET))
		note(finding, "unshare(CLONE_NEWNET): %s", strerror(errno));
	waiter_post(w, 1);
	waiter_wait(w, 2);
	if (finding[0] || iface_up(THEIRS, "10.9.0.2") || (sk = udp_at("10.9.0.2")) < 0) {
		note(finding, "set up %s 10.9.0.2/24 in the child: %s", THEIRS, strerror(errno));
		waiter_post(w, 3);
		return 1;
	}
	iface_desc(THEIRS, before, sizeof(before));
	waiter_post(w, 3);
	if (echo(sk))
		return 2;
	waiter_wait(w, 4);
	if (strcmp(iface_desc(THEIRS, after, sizeof(after)), before))
		return note(finding, "the child's end is \"%s\", expected \"%s\"", after, before);
	return echo(sk) ? 3 : 0;
}

int main(int argc, char **argv)
{
	char problem[ZDTM_FINDING_LEN] = "", before[128], after[128];
	int sk = -1, status = 0;
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	finding = finding_new();
	if (!finding)
		return fail_errno("a finding buffer");
	if (veth_create() || iface_up(OURS, "10.9.0.1") || (sk = udp_at("10.9.0.1")) < 0)
		return fail_errno("a veth pair %s/%s, %s 10.9.0.1/24", OURS, THEIRS, OURS);
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		_exit(child());
	waiter_wait(w, 1);
	if (move_to(THEIRS, pid))
		note(problem, "move %s into the child's namespace: %s", THEIRS, strerror(errno));
	waiter_post(w, 2);
	waiter_wait(w, 3);
	iface_desc(OURS, before, sizeof(before));
	if (finding[0] || problem[0] || ping(sk, "before", problem)) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return expect_clean_end(finding, problem, 0);
	}

	test_daemon();
	test_waitsig();

	if (strcmp(iface_desc(OURS, after, sizeof(after)), before))
		note(problem, "the test's end is \"%s\", expected \"%s\"", after, before);
	waiter_post(w, 4);
	if (!problem[0])
		ping(sk, "after", problem);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	return expect_clean_end(finding, problem, status) ? 1 : pass();
}
