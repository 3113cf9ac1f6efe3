#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "both ends of an established TCP connection over 127.0.0.1 keep SO_KEEPALIVE, TCP_KEEPIDLE/KEEPINTVL/KEEPCNT, TCP_NODELAY and TCP_USER_TIMEOUT",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

#define PORT 41273
#define DATA_LEN 5000

static const struct opt {
	const char *name;
	int level, opt;
	int val[2];     /* client end, server end: unusual values, none a default */
} opts[] = {
	{ "SO_KEEPALIVE", SOL_SOCKET, SO_KEEPALIVE, { 1, 1 } },
	{ "TCP_KEEPIDLE", IPPROTO_TCP, TCP_KEEPIDLE, { 4321, 987 } },
	{ "TCP_KEEPINTVL", IPPROTO_TCP, TCP_KEEPINTVL, { 77, 13 } },
	{ "TCP_KEEPCNT", IPPROTO_TCP, TCP_KEEPCNT, { 11, 3 } },
	{ "TCP_NODELAY", IPPROTO_TCP, TCP_NODELAY, { 1, 1 } },
	{ "TCP_USER_TIMEOUT", IPPROTO_TCP, TCP_USER_TIMEOUT, { 123457, 65432 } },
};
#define NR_OPTS (sizeof(opts) / sizeof(opts[0]))

static const char *const end_name[2] = { "client", "server" };

static int sockopt(int fd, const struct opt *o)
{
	int val = -1;
	socklen_t len = sizeof(val);

	if (getsockopt(fd, o->level, o->opt, &val, &len))
		return -errno;
	return val;
}

/* Every option of both ends; the message lists each one that differs. */
static int expect_opts(int fd[2])
{
	char diff[512] = "";
	size_t len = 0;

	for (int e = 0; e < 2; e++)
		for (size_t i = 0; i < NR_OPTS; i++)
			if (sockopt(fd[e], &opts[i]) != opts[i].val[e] && len < sizeof(diff))
				len += snprintf(diff + len, sizeof(diff) - len, "%s%s end %s %d, expected %d",
						len ? "; " : "", end_name[e], opts[i].name,
						sockopt(fd[e], &opts[i]), opts[i].val[e]);
	return len ? fail("%s", diff) : 0;
}

/* CRC-stamped data goes from end `from` to the other end, whole. */
static int expect_flow(int fd[2], int from, uint32_t seed)
{
	static char out[DATA_LEN], in[DATA_LEN];
	int n;

	datagen(out, sizeof(out), seed);
	if (write_all(fd[from], out, sizeof(out)))
		return fail_errno("%s end: write after C/R", end_name[from]);
	n = read_all(fd[!from], in, sizeof(in));
	if (n != DATA_LEN)
		return fail_errno("%s end: read %d bytes after C/R, expected %d", end_name[!from], n, DATA_LEN);
	if (!datachk(in, sizeof(in)))
		return fail("%s end: the data read after C/R fails its CRC", end_name[!from]);
	return expect_bytes("data after C/R", in, out, sizeof(out));
}

int main(int argc, char **argv)
{
	int fd[2];

	test_init(argc, argv);
	if (tcp_pair(AF_INET, PORT, fd))
		return fail_errno("connect over 127.0.0.1:%d", PORT);
	for (int e = 0; e < 2; e++)
		for (size_t i = 0; i < NR_OPTS; i++)
			if (setsockopt(fd[e], opts[i].level, opts[i].opt, &opts[i].val[e], sizeof(int)))
				return fail_errno("%s end: setsockopt %s", end_name[e], opts[i].name);
	if (expect_opts(fd))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_opts(fd) || expect_flow(fd, 0, 1) || expect_flow(fd, 1, 2))
		return 1;
	return pass();
}
