#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a ping socket (SOCK_DGRAM, IPPROTO_ICMP) bound to 127.0.0.1 keeps its echo id and still pings 127.0.0.1",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "suid samens noemptyns");

#define ECHO_ID 0x5a17  /* a ping socket's "port" is the id of its echo requests */
#define PAYLOAD 56
#define RANGE "/proc/sys/net/ipv4/ping_group_range"

/* Ping sockets are for the groups in ping_group_range (default: none); the job's netns is its own. */
static int allow_ping(void)
{
	char range[64];
	int fd, len;

	len = snprintf(range, sizeof(range), "%d %d", (int)getgid(), (int)getgid());
	fd = open(RANGE, O_WRONLY);
	if (fd < 0 || write(fd, range, len) != len)
		return -1;
	return close(fd);
}

/* One echo request with sequence `seq` to 127.0.0.1 and its reply: "" when the reply matches. */
static const char *ping(int fd, int seq)
{
	static char why[128];
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct {
		struct icmphdr h;
		char data[PAYLOAD];
	} req = { .h = { .type = ICMP_ECHO, .un.echo.sequence = htons(seq) } }, rep;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	datagen(req.data, sizeof(req.data), seq);
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&to, sizeof(to)) != sizeof(req))
		return snprintf(why, sizeof(why), "sendto: %s", strerror(errno)), why;
	if (poll(&p, 1, 5000) != 1)
		return "no echo reply within 5 s";
	n = recv(fd, &rep, sizeof(rep), 0);
	if (n != sizeof(rep))
		return snprintf(why, sizeof(why), "reply of %zd bytes, expected %zu", n, sizeof(rep)), why;
	if (rep.h.type != ICMP_ECHOREPLY || ntohs(rep.h.un.echo.id) != ECHO_ID ||
	    ntohs(rep.h.un.echo.sequence) != seq)
		return snprintf(why, sizeof(why), "reply type %d id %#x seq %d, expected type 0 id %#x seq %d",
				rep.h.type, ntohs(rep.h.un.echo.id), ntohs(rep.h.un.echo.sequence), ECHO_ID, seq), why;
	if (memcmp(rep.data, req.data, sizeof(req.data)))
		return "the reply's payload differs from the request's";
	return "";
}

static int expect_bound(int fd)
{
	struct sockaddr_in a = { 0 };
	socklen_t len = sizeof(a);
	int proto = -1;

	if (getsockname(fd, (struct sockaddr *)&a, &len))
		return fail_errno("getsockname");
	if (a.sin_addr.s_addr != htonl(INADDR_LOOPBACK) || ntohs(a.sin_port) != ECHO_ID)
		return fail("bound to %s id %#x, expected 127.0.0.1 id %#x", inet_ntoa(a.sin_addr), ntohs(a.sin_port), ECHO_ID);
	len = sizeof(proto);
	if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len))
		return fail_errno("SO_PROTOCOL");
	return expect_int("SO_PROTOCOL", proto, IPPROTO_ICMP);
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(ECHO_ID),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd;

	test_init(argc, argv);
	if (allow_ping())
		return skip("cannot open ping sockets to gid %d: write %s: %s", (int)getgid(), RANGE, strerror(errno));
	fd = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	if (fd < 0 && (errno == EPROTONOSUPPORT || errno == EACCES))
		return skip("no ping sockets: %s", strerror(errno));
	if (fd < 0)
		return fail_errno("socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)");
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)))
		return fail_errno("bind to 127.0.0.1 id %#x", ECHO_ID);
	if (expect_bound(fd) || expect_str("ping before C/R", ping(fd, 1), ""))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_bound(fd) || expect_str("ping after C/R", ping(fd, 2), ""))
		return 1;
	return pass();
}
