#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a bound unix datagram socket keeps queued messages: boundaries, bytes and sender names",
	  .flavors = ZDTM_ALL_FLAVORS);

enum { NSENDERS = 3, NMSGS = 5 };

/* Which sender sends each queued message, and how long it is. */
static const struct { int from; size_t len; } msgs[NMSGS] = {
	{ 0, 5 }, { 1, 1000 }, { 0, 4000 }, { 2, 33 }, { 1, 64 },
};
static const char *suffix[NSENDERS] = { "test.c0", "test.c1", "test.c2" };

static socklen_t make_addr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strncpy(a->sun_path, path, sizeof(a->sun_path) - 1);
	return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

static int bound_dgram(const char *path)
{
	struct sockaddr_un a;
	socklen_t len = make_addr(&a, path);
	int sk = socket(AF_UNIX, SOCK_DGRAM, 0);

	unlink(path);
	if (sk < 0 || bind(sk, (struct sockaddr *)&a, len))
		return -1;
	return sk;
}

/* Receives one message without blocking; *from gets the sender's name. */
static ssize_t recv_from(int srv, void *buf, size_t len, char *from, size_t from_len)
{
	struct sockaddr_un a;
	socklen_t alen = sizeof(a);
	ssize_t n = recvfrom(srv, buf, len, MSG_DONTWAIT, (struct sockaddr *)&a, &alen);

	if (n >= 0)
		snprintf(from, from_len, "%.*s",
			 (int)(alen - offsetof(struct sockaddr_un, sun_path)), a.sun_path);
	return n;
}

/* Message i arrives whole and in order; *from gets its sender's name. */
static int expect_msg(int srv, int i, const char *want, char *from, size_t from_len)
{
	char buf[8192];
	ssize_t n = recv_from(srv, buf, sizeof(buf), from, from_len);

	if (n < 0)
		return fail_errno("message %d of %d: recvfrom", i, NMSGS);
	if (n != (ssize_t)msgs[i].len)
		return fail("message %d is %zd bytes, expected %zu", i, n, msgs[i].len);
	return expect_bytes("message content", buf, want, n);
}

int main(int argc, char **argv)
{
	static char data[NMSGS][4096];
	struct sockaddr_un srv_addr;
	socklen_t srv_len;
	int srv, sk[NSENDERS];
	char c, from[NMSGS + 1][sizeof(srv_addr.sun_path) + 1];

	test_init(argc, argv);
	srv_len = make_addr(&srv_addr, test_path("test.srv"));
	srv = bound_dgram(test_path("test.srv"));
	if (srv < 0)
		return fail_errno("bind %s", test_path("test.srv"));
	for (int i = 0; i < NSENDERS; i++)
		if ((sk[i] = bound_dgram(test_path(suffix[i]))) < 0)
			return fail_errno("bind %s", test_path(suffix[i]));
	/* sender 2 is connected to the server; the others name it on each send */
	if (connect(sk[2], (struct sockaddr *)&srv_addr, srv_len))
		return fail_errno("connect");
	for (int i = 0; i < NMSGS; i++) {
		bool connected = msgs[i].from == 2;
		ssize_t n;

		datagen(data[i], msgs[i].len, i + 1);
		n = sendto(sk[msgs[i].from], data[i], msgs[i].len, 0,
			   connected ? NULL : (struct sockaddr *)&srv_addr, connected ? 0 : srv_len);
		if (n != (ssize_t)msgs[i].len)
			return fail_errno("send message %d", i);
	}

	test_daemon();
	test_waitsig();

	for (int i = 0; i < NMSGS; i++)
		if (expect_msg(srv, i, data[i], from[i], sizeof(from[i])))
			return 1;
	if (recv(srv, &c, 1, MSG_DONTWAIT) >= 0)
		return fail("the server holds more than %d messages", NMSGS);
	for (int i = 0; i < NMSGS; i++)
		if (strcmp(from[i], test_path(suffix[msgs[i].from])))
			return fail("message %d comes from \"%s\", expected \"%s\"",
				    i, from[i], test_path(suffix[msgs[i].from]));
	/* the connected sender still reaches the server without naming it */
	if (send(sk[2], "z", 1, 0) != 1)
		return fail_errno("send on the connected sender after C/R");
	if (recv_from(srv, &c, 1, from[NMSGS], sizeof(from[NMSGS])) != 1 || c != 'z')
		return fail_errno("connected sender's message after C/R: got '%c', expected 'z'", c);
	if (expect_str("sender after C/R", from[NMSGS], test_path(suffix[2])))
		return 1;
	return pass();
}
