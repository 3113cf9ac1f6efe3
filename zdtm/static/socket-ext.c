#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "extunix.h"
#include "zdtm.h"

/* h only: in ns and uns the runner's peer is in the job's network namespace, not the test's. */
ZDTM_TEST(.doc = "a unix datagram socket of the test, bound, connected to a peer the runner bound outside the tree (--ext-unix-sk): after C/R still connected to that name, and its datagram sent after the restore reaches the runner's peer",
	  .flavors = ZDTM_FLAVOR_H, .flags = "extunix-peer", .opts = "--ext-unix-sk");

static char peer_path[sizeof(((struct sockaddr_un *)0)->sun_path)];

/* The socket's own name and its peer's, as the kernel tells them. */
static int expect_names(int sk, const char *own)
{
	struct sockaddr_un addr;
	socklen_t len = sizeof(addr);

	memset(&addr, 0, sizeof(addr));
	if (getsockname(sk, (struct sockaddr *)&addr, &len))
		return fail_errno("getsockname");
	if (expect_str("the socket's own name", addr.sun_path, own))
		return 1;
	len = sizeof(addr);
	memset(&addr, 0, sizeof(addr));
	if (getpeername(sk, (struct sockaddr *)&addr, &len))
		return fail_errno("getpeername, expected the runner's peer %s", peer_path);
	return expect_str("the peer's name", addr.sun_path, peer_path);
}

static int say(int sk, const char *msg)
{
	if (send(sk, msg, strlen(msg), 0) != (ssize_t)strlen(msg))
		return fail_errno("send \"%s\" to the runner's peer", msg);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_un own = { .sun_family = AF_UNIX }, peer = { .sun_family = AF_UNIX };
	char cwd[256];
	int sk;

	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	if (snprintf(peer_path, sizeof(peer_path), "%s/%s", cwd, ZDTM_EXTUNIX_NAME) >= (int)sizeof(peer_path) ||
	    snprintf(own.sun_path, sizeof(own.sun_path), "%s/%s", cwd, test_path("sock")) >= (int)sizeof(own.sun_path))
		return fail("the working directory %s is too long for socket names", cwd);
	if (access(peer_path, F_OK))
		return fail_errno("no peer at %s: run the test with zdtm run", peer_path);
	memcpy(peer.sun_path, peer_path, sizeof(peer.sun_path));
	sk = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (sk < 0 || bind(sk, (struct sockaddr *)&own, sizeof(own)) ||
	    connect(sk, (struct sockaddr *)&peer, sizeof(peer)))
		return fail_errno("a datagram socket bound at %s, connected to %s", own.sun_path, peer_path);
	if (expect_names(sk, own.sun_path) || say(sk, ZDTM_EXTUNIX_BEFORE))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_names(sk, own.sun_path) || say(sk, ZDTM_EXTUNIX_AFTER))
		return 1;
	return pass();
}
