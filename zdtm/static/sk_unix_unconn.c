#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "unconnected unix sockets: an unbound stream, a bound not listening stream, an unbound seqpacket",
	  .flavors = ZDTM_ALL_FLAVORS);

static struct sockaddr_un addr = { .sun_family = AF_UNIX };

static int sockopt(int sk, int opt)
{
	int v = -1;
	socklen_t len = sizeof(v);

	return getsockopt(sk, SOL_SOCKET, opt, &v, &len) ? -1 : v;
}

/* Type, name (NULL: unbound), not listening, not connected. */
static int expect_state(const char *what, int sk, int type, const char *name)
{
	char bound[sizeof(struct sockaddr_un)];
	int found = sockopt(sk, SO_TYPE);

	if (found != type)
		return fail("%s: SO_TYPE %d, expected %d", what, found, type);
	found = sockopt(sk, SO_ACCEPTCONN);
	if (found != 0)
		return fail("%s: SO_ACCEPTCONN %d, expected 0 (not listening)", what, found);
	if (unix_name(sk, false, bound, sizeof(bound)))
		return fail_errno("getsockname of the %s", what);
	if (!name && bound[0])
		return fail("%s is bound to \"%s\", expected unbound", what, bound);
	if (name && strcmp(bound, name))
		return fail("%s is named \"%s\", expected \"%s\"", what, bound, name);
	if (unix_name(sk, true, bound, sizeof(bound)) == 0 || errno != ENOTCONN)
		return fail_errno("getpeername of the %s, expected ENOTCONN", what);
	return 0;
}

/* connect(sk, addr) fails with err, or succeeds when err is 0. */
static int expect_connect(const char *what, int sk, int err)
{
	int ret = connect(sk, (struct sockaddr *)&addr, sizeof(addr));

	if (err ? ret == 0 || errno != err : ret != 0)
		return fail_errno("%s: connect returned %d, expected %s", what, ret, err ? strerror(err) : "0");
	return 0;
}

int main(int argc, char **argv)
{
	int unbound, bound, seqp, acc;
	char c = 0;

	test_init(argc, argv);
	strncpy(addr.sun_path, test_path("sock"), sizeof(addr.sun_path) - 1);
	unlink(addr.sun_path);
	unbound = socket(AF_UNIX, SOCK_STREAM, 0);
	bound = socket(AF_UNIX, SOCK_STREAM, 0);
	seqp = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (unbound < 0 || bound < 0 || seqp < 0)
		return fail_errno("socket");
	if (bind(bound, (struct sockaddr *)&addr, sizeof(addr)))
		return fail_errno("bind %s", addr.sun_path);

	test_daemon();
	test_waitsig();

	if (expect_state("unbound stream", unbound, SOCK_STREAM, NULL) ||
	    expect_state("bound stream", bound, SOCK_STREAM, addr.sun_path) ||
	    expect_state("unbound seqpacket", seqp, SOCK_SEQPACKET, NULL))
		return 1;
	/* not listening: refused; an unbound socket cannot listen; a seqpacket cannot reach a stream */
	if (expect_connect("unbound stream to the bound one", unbound, ECONNREFUSED))
		return 1;
	if (listen(seqp, 1) == 0 || errno != EINVAL)
		return fail_errno("listen on the unbound seqpacket, expected EINVAL");
	if (listen(bound, 1))
		return fail_errno("listen on the bound stream after C/R");
	if (expect_connect("seqpacket to the listener", seqp, EPROTOTYPE) ||
	    expect_connect("unbound stream to the listener", unbound, 0))
		return 1;
	acc = accept(bound, NULL, NULL);
	if (acc < 0)
		return fail_errno("accept after C/R");
	if (write(unbound, "u", 1) != 1 || read(acc, &c, 1) != 1 || c != 'u')
		return fail_errno("new connection after C/R: read '%c', expected 'u'", c);
	return pass();
}
