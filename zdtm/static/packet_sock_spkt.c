#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "obsolete SOCK_PACKET sockets, one bound to lo and one unbound, keep their type, protocol and device; the bound one still receives from lo",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "suid");

#define PROTO 0x88b7    /* IEEE local experimental ethertype: nothing else sends it */

/* "device lo; Type Proto Iface R: 10 88b7 1 1" of a SOCK_PACKET socket: its name and its line of
 * /proc/net/packet (found by inode), without the pointer, counters and owner. */
static const char *spkt_str(int fd, char *buf, size_t len)
{
	struct sockaddr_pkt a = { 0 };
	socklen_t alen = sizeof(a);
	unsigned long ino = 0, inode;
	char line[256];
	int type, iface, running;
	unsigned proto;
	struct stat st;
	FILE *f;

	if (getsockname(fd, (struct sockaddr *)&a, &alen) || fstat(fd, &st))
		return strerror(errno);
	f = fopen("/proc/net/packet", "r");
	if (!f)
		return strerror(errno);
	snprintf(buf, len, "device \"%.14s\", no line in /proc/net/packet", (char *)a.spkt_device);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*x %*d %d %x %d %d %*u %*u %lu", &type, &proto, &iface, &running, &inode) == 5 &&
		    inode == st.st_ino && !ino++)
			snprintf(buf, len, "device \"%.14s\"; Type Proto Iface R: %d %x %d %d", (char *)a.spkt_device,
				 type, proto, iface, running);
	fclose(f);
	return buf;
}

/* A frame sent on lo comes in on fd (the frame with the text, as SOCK_PACKET gives it whole). */
static int expect_frame(int fd, const char *text)
{
	struct sockaddr_pkt to = { .spkt_family = AF_PACKET, .spkt_protocol = htons(PROTO) };
	char frame[ETH_ZLEN] = { 0 }, buf[256];
	struct ether_header *eh = (struct ether_header *)frame;
	ssize_t n;

	strcpy((char *)to.spkt_device, "lo");
	eh->ether_type = htons(PROTO);
	strcpy(frame + sizeof(*eh), text);
	if (sendto(fd, frame, sizeof(frame), 0, (struct sockaddr *)&to, sizeof(to)) != sizeof(frame))
		return fail_errno("send a frame on lo");
	for (int i = 0; i < 100; i++) {   /* this socket's own frame comes back looped, and maybe other traffic */
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return fail_errno("no frame with \"%s\" received", text);
		if (n == sizeof(frame) && !memcmp(buf + sizeof(*eh), text, strlen(text) + 1))
			return 0;
	}
	return fail("no frame with \"%s\" among 100 received", text);
}

int main(int argc, char **argv)
{
	struct sockaddr_pkt a = { .spkt_family = AF_PACKET, .spkt_protocol = htons(PROTO) };
	struct timeval tv = { .tv_sec = 3 };
	char before[2][96], now[96];
	int sk[2];

	test_init(argc, argv);
	strcpy((char *)a.spkt_device, "lo");
	sk[0] = socket(AF_PACKET, SOCK_PACKET, htons(PROTO));
	sk[1] = socket(AF_PACKET, SOCK_PACKET, htons(PROTO));
	if (sk[0] < 0 || sk[1] < 0)
		return fail_errno("socket(AF_PACKET, SOCK_PACKET)");
	if (bind(sk[0], (struct sockaddr *)&a, sizeof(struct sockaddr)))   /* SOCK_PACKET takes exactly that */
		return fail_errno("bind to lo");
	if (setsockopt(sk[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return fail_errno("SO_RCVTIMEO");
	for (int i = 0; i < 2; i++)
		spkt_str(sk[i], before[i], sizeof(before[i]));
	test_msg("bound: %s; unbound: %s", before[0], before[1]);

	test_daemon();
	test_waitsig();

	if (expect_str("the bound socket", spkt_str(sk[0], now, sizeof(now)), before[0]) ||
	    expect_str("the unbound socket", spkt_str(sk[1], now, sizeof(now)), before[1]) ||
	    expect_frame(sk[0], "after C/R"))
		return 1;
	return pass();
}
