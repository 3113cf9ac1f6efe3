#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "zdtm.h"

/* del_standalone_un_seqpacket.c includes this file with SEQPACKET and its own declaration. */
#ifndef SEQPACKET
ZDTM_TEST(.doc = "unconnected unix stream and datagram sockets bound to paths that were unlinked: names kept, paths still absent",
	  .flavors = ZDTM_ALL_FLAVORS);
#endif

static const struct { int type; const char *suffix, *what; } socks[] = {
#ifdef SEQPACKET
	{ SOCK_SEQPACKET, "seqpacket.sock", "seqpacket socket" },
	{ SOCK_SEQPACKET, "listening.sock", "listening seqpacket socket" },
#else
	{ SOCK_STREAM, "stream.sock", "stream socket" },
	{ SOCK_DGRAM, "dgram.sock", "datagram socket" },
#endif
};
#define NSOCKS 2

static int bound_unlinked(int type, const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int sk = socket(AF_UNIX, type, 0);

	strncpy(a.sun_path, path, sizeof(a.sun_path) - 1);
	unlink(path);
	if (sk < 0 || bind(sk, (struct sockaddr *)&a, sizeof(a)))
		return -1;
	return unlink(path) ? -1 : sk;
}

/* sk is still a `type` socket named path, and nothing exists at path. */
static int expect_socket(const char *what, int sk, int type, const char *path)
{
	char name[sizeof(struct sockaddr_un)];
	socklen_t len = sizeof(int);
	struct stat st;
	int found;

	if (getsockopt(sk, SOL_SOCKET, SO_TYPE, &found, &len))
		return fail_errno("SO_TYPE of the %s", what);
	if (found != type)
		return fail("%s has type %d, expected %d", what, found, type);
	if (unix_name(sk, false, name, sizeof(name)))
		return fail_errno("getsockname of the %s", what);
	if (!name[0])
		return fail("%s is unnamed, expected \"%s\"", what, path);
	if (expect_str("bound name", name, path))
		return 1;
	if (lstat(path, &st) == 0)
		return fail("%s exists again (mode 0%o), expected it to stay unlinked", path, st.st_mode);
	if (errno != ENOENT)
		return fail_errno("lstat %s, expected ENOENT", path);
	return 0;
}

int main(int argc, char **argv)
{
	int sk[NSOCKS];

	test_init(argc, argv);
	for (int i = 0; i < NSOCKS; i++)
		if ((sk[i] = bound_unlinked(socks[i].type, test_path(socks[i].suffix))) < 0)
			return fail_errno("bind and unlink %s", test_path(socks[i].suffix));
#ifdef SEQPACKET
	if (listen(sk[1], 1))
		return fail_errno("listen");
#endif

	test_daemon();
	test_waitsig();

	for (int i = 0; i < NSOCKS; i++)
		if (expect_socket(socks[i].what, sk[i], socks[i].type, test_path(socks[i].suffix)))
			return 1;
#ifdef SEQPACKET
	if (expect_sockopt("SO_ACCEPTCONN of the listening one", sk[1], SOL_SOCKET, SO_ACCEPTCONN, 1) ||
	    expect_sockopt("SO_ACCEPTCONN of the other", sk[0], SOL_SOCKET, SO_ACCEPTCONN, 0))
		return 1;
#endif
	return pass();
}
