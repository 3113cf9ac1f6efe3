#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <linux/net_tstamp.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an AF_PACKET socket bound to lo keeps its protocol, interface and options (AUXDATA, ORIGDEV, VERSION, RESERVE, LOSS, TIMESTAMP) and still receives",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "suid");

#define PROTO 0x88b5    /* IEEE local experimental ethertype: nothing else sends it */

static const struct opt {
	const char *name;
	int opt, val;
} opts[] = {
	{ "PACKET_AUXDATA", PACKET_AUXDATA, 1 },
	{ "PACKET_ORIGDEV", PACKET_ORIGDEV, 1 },
	{ "PACKET_VERSION", PACKET_VERSION, TPACKET_V2 },
	{ "PACKET_RESERVE", PACKET_RESERVE, 128 },
	{ "PACKET_LOSS", PACKET_LOSS, 1 },
	{ "PACKET_TIMESTAMP", PACKET_TIMESTAMP, SOF_TIMESTAMPING_SOFTWARE },
};
#define NR_OPTS (sizeof(opts) / sizeof(opts[0]))

/* "protocol 0x88b5 ifindex 1" from getsockname */
static const char *bound_str(int fd, char *buf, size_t len)
{
	struct sockaddr_ll a = { 0 };
	socklen_t alen = sizeof(a);

	if (getsockname(fd, (struct sockaddr *)&a, &alen))
		return strerror(errno);
	snprintf(buf, len, "family %d protocol 0x%x ifindex %d", a.sll_family, ntohs(a.sll_protocol), a.sll_ifindex);
	return buf;
}

/* A frame sent on lo by another packet socket comes in, with PACKET_AUXDATA: "" or what went wrong. */
static const char *receives(int fd, int ifindex)
{
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_protocol = htons(PROTO),
				  .sll_ifindex = ifindex, .sll_halen = ETH_ALEN };
	char frame[ETH_ZLEN] = { 0 }, buf[128], cbuf[256];
	struct ether_header *eh = (struct ether_header *)frame;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int s = socket(AF_PACKET, SOCK_RAW, 0);

	eh->ether_type = htons(PROTO);
	memcpy(frame + sizeof(*eh), "zdtm-packet", 11);
	if (s < 0 || sendto(s, frame, sizeof(frame), 0, (struct sockaddr *)&to, sizeof(to)) != sizeof(frame))
		return "sending a frame on lo failed";
	close(s);
	if (recvmsg(fd, &mh, MSG_DONTWAIT) != sizeof(frame))
		return "no frame (or a frame of another size) received";
	if (memcmp(buf + sizeof(*eh), "zdtm-packet", 11))
		return "the frame received is not the one sent";
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == SOL_PACKET && cm->cmsg_type == PACKET_AUXDATA)
			return "";
	return "the frame came without PACKET_AUXDATA";
}

int main(int argc, char **argv)
{
	struct sockaddr_ll a = { .sll_family = AF_PACKET, .sll_protocol = htons(PROTO) };
	char before[64], now[64];
	int fd, val, ifindex;
	socklen_t len;
	size_t i;

	test_init(argc, argv);
	ifindex = if_nametoindex("lo");
	if (!ifindex)
		return fail_errno("if_nametoindex(lo)");
	a.sll_ifindex = ifindex;
	fd = socket(AF_PACKET, SOCK_RAW, htons(PROTO));
	if (fd < 0)
		return fail_errno("socket(AF_PACKET)");
	for (i = 0; i < NR_OPTS; i++)
		if (setsockopt(fd, SOL_PACKET, opts[i].opt, &opts[i].val, sizeof(int)))
			return fail_errno("setsockopt %s", opts[i].name);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)))
		return fail_errno("bind to lo");
	bound_str(fd, before, sizeof(before));

	test_daemon();
	test_waitsig();

	if (expect_str("bound to", bound_str(fd, now, sizeof(now)), before))
		return 1;
	for (i = 0; i < NR_OPTS; i++) {
		val = -1;
		len = sizeof(val);
		if (getsockopt(fd, SOL_PACKET, opts[i].opt, &val, &len))
			return fail_errno("getsockopt %s", opts[i].name);
		if (expect_int(opts[i].name, val, opts[i].val))
			return 1;
	}
	if (expect_str("a frame on lo after C/R", receives(fd, ifindex), ""))
		return 1;
	return pass();
}
