#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an AF_PACKET socket on lo with TPACKET_V2 RX and TX rings mmapped into the task: the mapping stays at its address, the frames it holds stay, new frames land in it",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "suid");

#define PROTO 0x88b6    /* IEEE local experimental ethertype: nothing else sends it */
#define FRAME 2048
#define NR_FRAMES 8

static const struct tpacket_req req = { .tp_block_size = 4096, .tp_block_nr = NR_FRAMES / 2,
					.tp_frame_size = FRAME, .tp_frame_nr = NR_FRAMES };
#define RING_LEN (NR_FRAMES * FRAME)    /* the RX ring, then the TX ring */

/* Sends a frame carrying text on lo from a socket of its own. */
static int send_frame(int ifindex, const char *text)
{
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_protocol = htons(PROTO),
				  .sll_ifindex = ifindex, .sll_halen = ETH_ALEN };
	char frame[ETH_ZLEN] = { 0 };
	struct ether_header *eh = (struct ether_header *)frame;
	int s = socket(AF_PACKET, SOCK_RAW, 0), ret;

	eh->ether_type = htons(PROTO);
	strcpy(frame + sizeof(*eh), text);
	ret = s < 0 || sendto(s, frame, sizeof(frame), 0, (struct sockaddr *)&to, sizeof(to)) != sizeof(frame);
	if (s >= 0)
		close(s);
	return ret ? -1 : 0;
}

static int nr_user;   /* how many frames ring_str() found */

/* The texts of the RX ring's frames handed to the user, "0:before 1:before", into buf. */
static const char *ring_str(const char *ring, char *buf, size_t len)
{
	size_t off = 0;

	nr_user = 0;
	buf[0] = 0;
	for (int i = 0; i < NR_FRAMES; i++) {
		const struct tpacket2_hdr *h = (const void *)(ring + i * FRAME);

		if (h->tp_status & TP_STATUS_USER && ++nr_user)
			off += snprintf(buf + off, len - off, "%s%d:%.8s", off ? " " : "", i,
					(const char *)h + h->tp_mac + sizeof(struct ether_header));
	}
	return buf;
}

/* Waits (up to 5 s) until the ring holds frames other than `old`. */
static void wait_new(int fd, const char *ring, const char *old)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char now[256];

	for (int i = 0; i < 50 && !strcmp(ring_str(ring, now, sizeof(now)), old); i++)
		poll(&p, 1, 100);
	usleep(20000);   /* the looped copy of the same frame follows the outgoing one */
}

int main(int argc, char **argv)
{
	struct sockaddr_ll a = { .sll_family = AF_PACKET, .sll_protocol = htons(PROTO) };
	char before[256], now[256], want[300];
	int fd, v2 = TPACKET_V2, ifindex, nr_before;
	struct zdtm_vma vma;
	char *ring;

	test_init(argc, argv);
	ifindex = if_nametoindex("lo");
	if (!ifindex)
		return fail_errno("if_nametoindex(lo)");
	a.sll_ifindex = ifindex;
	fd = socket(AF_PACKET, SOCK_RAW, htons(PROTO));
	if (fd < 0)
		return fail_errno("socket(AF_PACKET)");
	if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v2, sizeof(v2)) ||
	    setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) ||
	    setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof(req)))
		return fail_errno("PACKET_VERSION, PACKET_RX_RING, PACKET_TX_RING");
	ring = mmap(NULL, 2 * RING_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (ring == MAP_FAILED)
		return fail_errno("mmap the rings");
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)))
		return fail_errno("bind to lo");
	if (send_frame(ifindex, "before"))
		return fail_errno("send a frame on lo");
	wait_new(fd, ring, "");
	ring_str(ring, before, sizeof(before));
	nr_before = nr_user;
	if (!nr_before)
		return fail("no frame in the RX ring before C/R");
	test_msg("the RX ring holds %s", before);

	test_daemon();
	test_waitsig();

	if (vma_find(ring, &vma, false) || vma.start != (unsigned long)ring ||
	    vma.end != (unsigned long)ring + 2 * RING_LEN)
		return fail("the rings' mapping at %p (%d bytes) is gone or changed", ring, 2 * RING_LEN);
	if (expect_str("the RX ring's frames", ring_str(ring, now, sizeof(now)), before) ||
	    expect_sockopt("PACKET_VERSION", fd, SOL_PACKET, PACKET_VERSION, TPACKET_V2))
		return 1;
	if (send_frame(ifindex, "after"))
		return fail_errno("send a frame on lo after C/R");
	wait_new(fd, ring, before);
	snprintf(want, sizeof(want), "%s %d:after", before, nr_before);   /* the next free frame */
	ring_str(ring, now, sizeof(now));
	if (strncmp(now, want, strlen(want)))
		return fail("the RX ring after a new frame holds \"%s\", expected \"%s\"...", now, want);
	return pass();
}
