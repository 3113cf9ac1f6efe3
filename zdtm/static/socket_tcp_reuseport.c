#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "two TCP listeners share 127.0.0.1:41272 through SO_REUSEPORT; both keep the port and the option and accept new connections",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PORT 41272
#define NCLIENTS 16     /* enough that the reuseport hash spreads them (not required) */

static struct sockaddr_in addr;   /* 127.0.0.1:PORT, set in main */

static int sockopt(int fd, int level, int opt)
{
	int val = -1;
	socklen_t len = sizeof(val);

	if (getsockopt(fd, level, opt, &val, &len))
		return -errno;
	return val;
}

static int listener(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr)) || listen(fd, NCLIENTS) ||
	    set_nonblock(fd, true))
		return -1;
	return fd;
}

static int expect_listener(int i, int fd)
{
	char name[64], want[64];
	struct stat st;

	if (inet_name(fd, false, name, sizeof(name)))
		return fail_errno("listener %d: getsockname", i);
	if (strcmp(name, inet_str(&addr, want, sizeof(want))))
		return fail("listener %d bound to %s, expected %s", i, name, want);
	if (sockopt(fd, SOL_SOCKET, SO_REUSEPORT) != 1)
		return fail("listener %d: SO_REUSEPORT %d, expected 1", i, sockopt(fd, SOL_SOCKET, SO_REUSEPORT));
	if (sockopt(fd, SOL_SOCKET, SO_ACCEPTCONN) != 1)
		return fail("listener %d: SO_ACCEPTCONN %d, expected 1", i, sockopt(fd, SOL_SOCKET, SO_ACCEPTCONN));
	/* a reuseport group only takes sockets of one owner: the uid that created them */
	if (fstat(fd, &st))
		return fail_errno("listener %d: fstat", i);
	if (st.st_uid != geteuid())
		return fail("listener %d is owned by uid %d, expected %d (its creator)", i, (int)st.st_uid, (int)geteuid());
	return 0;
}

/* The kernel still has a reuseport group on the port: a third SO_REUSEPORT socket of ours may join it. */
static int expect_group(void)
{
	int fd = listener();

	if (fd < 0)
		return fail_errno("a third SO_REUSEPORT listener on 127.0.0.1:%d (the group is gone or owned by another uid)", PORT);
	close(fd);
	return 0;
}

/* NCLIENTS connect; between them the two listeners accept every one. */
static int expect_accepts(int srv[2])
{
	struct pollfd p[2] = { { .fd = srv[0], .events = POLLIN }, { .fd = srv[1], .events = POLLIN } };
	int cli[NCLIENTS], got[2] = { 0, 0 };

	for (int i = 0; i < NCLIENTS; i++) {
		cli[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (cli[i] < 0 || connect(cli[i], (struct sockaddr *)&addr, sizeof(addr)))
			return fail_errno("client %d: connect to 127.0.0.1:%d after C/R", i, PORT);
	}
	while (got[0] + got[1] < NCLIENTS) {
		if (poll(p, 2, 5000) <= 0)
			return fail("accepted %d + %d connections, expected %d in total", got[0], got[1], NCLIENTS);
		for (int i = 0; i < 2; i++) {
			int acc = accept(srv[i], NULL, NULL);

			if (acc >= 0) {
				got[i]++;
				close(acc);
			} else if (errno != EAGAIN) {
				return fail_errno("listener %d: accept", i);
			}
		}
	}
	test_msg("listener 0 accepted %d, listener 1 accepted %d", got[0], got[1]);
	for (int i = 0; i < NCLIENTS; i++)
		close(cli[i]);
	return 0;
}

int main(int argc, char **argv)
{
	int srv[2];

	test_init(argc, argv);
	addr.sin_family = AF_INET;
	addr.sin_port = htons(PORT);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < 2; i++) {
		srv[i] = listener();
		if (srv[i] < 0)
			return fail_errno("SO_REUSEPORT listener %d on 127.0.0.1:%d", i, PORT);
	}

	test_daemon();
	test_waitsig();

	if (expect_listener(0, srv[0]) || expect_listener(1, srv[1]) || expect_group() || expect_accepts(srv))
		return 1;
	return pass();
}
