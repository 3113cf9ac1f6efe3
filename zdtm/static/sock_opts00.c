#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an established TCP socket over 127.0.0.1 keeps a dozen socket, TCP and IP options",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

#define PORT 41251

enum kind { INT, LINGER, TIMEVAL };

static const struct opt {
	const char *name;
	int level, opt;
	enum kind kind;
	int i;                  /* INT: the value set; LINGER: l_linger; TIMEVAL: milliseconds */
} opts[] = {
	/* IP_TOS first: it also sets SO_PRIORITY, which is then set to something else */
	{ "IP_TOS", IPPROTO_IP, IP_TOS, INT, IPTOS_LOWDELAY },
	{ "IP_TTL", IPPROTO_IP, IP_TTL, INT, 33 },
	{ "SO_RCVBUF", SOL_SOCKET, SO_RCVBUF, INT, 50000 },
	{ "SO_SNDBUF", SOL_SOCKET, SO_SNDBUF, INT, 70000 },
	{ "SO_KEEPALIVE", SOL_SOCKET, SO_KEEPALIVE, INT, 1 },
	{ "SO_REUSEADDR", SOL_SOCKET, SO_REUSEADDR, INT, 1 },
	{ "SO_PRIORITY", SOL_SOCKET, SO_PRIORITY, INT, 5 },
	{ "SO_RCVLOWAT", SOL_SOCKET, SO_RCVLOWAT, INT, 3 },
	{ "SO_OOBINLINE", SOL_SOCKET, SO_OOBINLINE, INT, 1 },
	{ "SO_LINGER", SOL_SOCKET, SO_LINGER, LINGER, 7 },
	{ "SO_SNDTIMEO", SOL_SOCKET, SO_SNDTIMEO, TIMEVAL, 2500 },
	{ "SO_RCVTIMEO", SOL_SOCKET, SO_RCVTIMEO, TIMEVAL, 3000 },
	{ "TCP_NODELAY", IPPROTO_TCP, TCP_NODELAY, INT, 1 },
	{ "TCP_KEEPIDLE", IPPROTO_TCP, TCP_KEEPIDLE, INT, 321 },
	{ "TCP_KEEPINTVL", IPPROTO_TCP, TCP_KEEPINTVL, INT, 17 },
	{ "TCP_KEEPCNT", IPPROTO_TCP, TCP_KEEPCNT, INT, 5 },
};
#define NR_OPTS (sizeof(opts) / sizeof(opts[0]))

static int set_opt(int fd, const struct opt *o)
{
	struct linger l = { .l_onoff = 1, .l_linger = o->i };
	struct timeval tv = { .tv_sec = o->i / 1000, .tv_usec = o->i % 1000 * 1000 };

	switch (o->kind) {
	case LINGER:
		return setsockopt(fd, o->level, o->opt, &l, sizeof(l));
	case TIMEVAL:
		return setsockopt(fd, o->level, o->opt, &tv, sizeof(tv));
	default:
		return setsockopt(fd, o->level, o->opt, &o->i, sizeof(o->i));
	}
}

/* The option's current value as text, e.g. "131072", "on, 7 s", "2.500000 s". */
static const char *get_opt(int fd, const struct opt *o, char *buf, size_t len)
{
	union {
		int i;
		struct linger l;
		struct timeval tv;
	} v = { 0 };
	socklen_t vlen = sizeof(v);

	if (getsockopt(fd, o->level, o->opt, &v, &vlen))
		snprintf(buf, len, "error %d", errno);
	else if (o->kind == LINGER)
		snprintf(buf, len, "%s, %d s", v.l.l_onoff ? "on" : "off", v.l.l_linger);
	else if (o->kind == TIMEVAL)
		snprintf(buf, len, "%ld.%06ld s", (long)v.tv.tv_sec, (long)v.tv.tv_usec);
	else
		snprintf(buf, len, "%d", v.i);
	return buf;
}

static char before[NR_OPTS][64];

int main(int argc, char **argv)
{
	char now[64], dflt[64], c = 0;
	int fd[2], cli, acc;
	size_t i;

	test_init(argc, argv);
	if (tcp_pair(AF_INET, PORT, fd))
		return fail_errno("connect over 127.0.0.1:%d", PORT);
	cli = fd[0], acc = fd[1];
	for (i = 0; i < NR_OPTS; i++) {
		get_opt(cli, &opts[i], dflt, sizeof(dflt));
		if (set_opt(cli, &opts[i]))
			return fail_errno("setsockopt %s", opts[i].name);
		if (!strcmp(get_opt(cli, &opts[i], now, sizeof(now)), dflt))
			return fail("setting %s left its default %s", opts[i].name, dflt);
	}
	for (i = 0; i < NR_OPTS; i++)
		get_opt(cli, &opts[i], before[i], sizeof(before[i]));

	test_daemon();
	test_waitsig();

	for (i = 0; i < NR_OPTS; i++)
		if (expect_str(opts[i].name, get_opt(cli, &opts[i], now, sizeof(now)), before[i]))
			return 1;
	if (write(cli, "c", 1) != 1 || read(acc, &c, 1) != 1 || c != 'c' ||
	    write(acc, "s", 1) != 1 || read(cli, &c, 1) != 1 || c != 's')
		return fail_errno("the connection does not carry data after C/R (last byte read: %d)", c);
	return pass();
}
