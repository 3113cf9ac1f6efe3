#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a unix socket listening on a path in a directory a tmpfs was later mounted over: its name, its connection made before and its backlog kept; the path now leads nowhere",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

int main(int argc, char **argv)
{
	static char dir[PATH_MAX + 64];
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char cwd[PATH_MAX], name[sizeof(a.sun_path) + 1], c = 0;
	int srv, cli, acc, late;
	struct stat st;

	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(dir, sizeof(dir), "%s/%s", cwd, test_path("dir"));
	if (snprintf(a.sun_path, sizeof(a.sun_path), "%s/sock", dir) >= (int)sizeof(a.sun_path))
		return skip("the socket path is longer than sun_path: %s/sock", dir);
	srv = socket(AF_UNIX, SOCK_STREAM, 0);
	cli = socket(AF_UNIX, SOCK_STREAM, 0);
	if (mkdir(dir, 0755) || srv < 0 || cli < 0 || bind(srv, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(srv, 4) || connect(cli, (struct sockaddr *)&a, sizeof(a)))
		return fail_errno("listen on %s, connect", a.sun_path);
	acc = accept(srv, NULL, NULL);
	if (acc < 0 || mount("zdtm_over", dir, "tmpfs", 0, "size=1m"))
		return fail_errno("accept, a tmpfs over %s", dir);

	test_daemon();
	test_waitsig();

	if (unix_name(srv, false, name, sizeof(name)))
		return fail_errno("getsockname");
	if (expect_str("the listener's name", name, a.sun_path) ||
	    expect_sockopt("SO_ACCEPTCONN", srv, SOL_SOCKET, SO_ACCEPTCONN, 1))
		return 1;
	if (write(cli, "c", 1) != 1 || read(acc, &c, 1) != 1 || c != 'c')
		return fail_errno("the connection made before the overmount: read '%c', expected 'c'", c);
	late = socket(AF_UNIX, SOCK_STREAM, 0);
	if (!connect(late, (struct sockaddr *)&a, sizeof(a)))
		return fail("connect to %s reached the listener; expected ENOENT (the path lies on the tmpfs "
			    "over the socket's directory, which %s a socket file)", a.sun_path,
			    stat(a.sun_path, &st) || !S_ISSOCK(st.st_mode) ? "lacks" : "now holds");
	if (errno != ENOENT)
		return fail_errno("connect to %s under the overmount: expected ENOENT", a.sun_path);
	return pass();
}
