#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an abstract unix listener and a connected pair (autobound client) keep their names",
	  .flavors = ZDTM_ALL_FLAVORS);

struct name {
	struct sockaddr_un a;
	socklen_t len;
};

static int get_name(int fd, bool peer, struct name *n)
{
	memset(n, 0, sizeof(*n));
	n->len = sizeof(n->a);
	return (peer ? getpeername : getsockname)(fd, (struct sockaddr *)&n->a, &n->len);
}

/* Printable form: '@' for the leading NUL of an abstract name. */
static const char *show(const struct name *n)
{
	static char buf[2][128];
	static int k;
	char *p = buf[k++ % 2];
	int len = n->len - offsetof(struct sockaddr_un, sun_path);

	if (len <= 0)
		return "(unnamed)";
	snprintf(p, sizeof(buf[0]), "@%.*s", len - 1, n->a.sun_path + 1);
	return p;
}

/* The name of fd (or of its peer) is still exactly *want. */
static int expect_name(const char *what, int fd, bool peer, const struct name *want)
{
	struct name now;

	if (get_name(fd, peer, &now))
		return fail_errno("%s: get%sname", what, peer ? "peer" : "sock");
	if (now.len != want->len || memcmp(&now.a, &want->a, now.len))
		return fail("%s is \"%s\" (%u bytes), expected \"%s\" (%u bytes)", what,
			    show(&now), now.len, show(want), want->len);
	return 0;
}

int main(int argc, char **argv)
{
	struct name lname, cname;
	sa_family_t family = AF_UNIX;
	int srv, cli, acc, cli2, acc2;
	char c = 0;

	test_init(argc, argv);
	memset(&lname, 0, sizeof(lname));
	lname.a.sun_family = AF_UNIX;
	snprintf(lname.a.sun_path + 1, sizeof(lname.a.sun_path) - 1, "zdtm-%s-%d", test_name(), getpid());
	lname.len = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(lname.a.sun_path + 1);
	srv = socket(AF_UNIX, SOCK_STREAM, 0);
	if (srv < 0 || bind(srv, (struct sockaddr *)&lname.a, lname.len) || listen(srv, 4))
		return fail_errno("listen on @%s", lname.a.sun_path + 1);
	cli = socket(AF_UNIX, SOCK_STREAM, 0);
	/* binding only the family autobinds an abstract name "@xxxxx" */
	if (cli < 0 || bind(cli, (struct sockaddr *)&family, sizeof(family)) ||
	    connect(cli, (struct sockaddr *)&lname.a, lname.len))
		return fail_errno("autobind and connect the client");
	acc = accept(srv, NULL, NULL);
	if (acc < 0 || get_name(cli, false, &cname))
		return fail_errno("accept");
	test_msg("listener %s, client %s", show(&lname), show(&cname));

	test_daemon();
	test_waitsig();

	if (expect_name("listener name", srv, false, &lname) ||
	    expect_name("accepted socket's name", acc, false, &lname) ||
	    expect_name("accepted socket's peer", acc, true, &cname) ||
	    expect_name("client name", cli, false, &cname) ||
	    expect_name("client's peer", cli, true, &lname))
		return 1;
	if (write(cli, "c", 1) != 1 || read(acc, &c, 1) != 1 || c != 'c')
		return fail_errno("client -> server after C/R: read '%c', expected 'c'", c);
	/* the name still leads to the listener */
	cli2 = socket(AF_UNIX, SOCK_STREAM, 0);
	if (cli2 < 0 || connect(cli2, (struct sockaddr *)&lname.a, lname.len))
		return fail_errno("connect to %s after C/R", show(&lname));
	acc2 = accept(srv, NULL, NULL);
	if (acc2 < 0 || write(cli2, "n", 1) != 1 || read(acc2, &c, 1) != 1 || c != 'n')
		return fail_errno("new connection after C/R: read '%c', expected 'n'", c);
	return pass();
}
