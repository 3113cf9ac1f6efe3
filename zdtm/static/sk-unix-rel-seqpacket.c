#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a unix seqpacket listener bound by the relative name \"sock\" while the cwd was a subdirectory, the cwd moved back since, with a connection accepted and records queued both ways: the socket stays in the subdirectory, its name relative, new clients reach it",
	  .flavors = ZDTM_ALL_FLAVORS);

static const char rec[2][5] = { "c2s", "s2c!" };   /* one record queued each way */

/* One record of sk is want (its length included); 0 or 1. */
static int expect_record(const char *what, int sk, const char *want)
{
	char buf[64];
	ssize_t n = recv(sk, buf, sizeof(buf), MSG_DONTWAIT);

	if (n < 0)
		return fail_errno("%s: no record", what);
	return expect_int(what, n, strlen(want) + 1) || expect_str(what, buf, want);
}

/* The listener takes a client connecting by dir/sock, and records flow. */
static int expect_accepts(int srv, const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int cli = socket(AF_UNIX, SOCK_SEQPACKET, 0), acc;

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	if (cli < 0 || connect(cli, (struct sockaddr *)&a, sizeof(a)) || (acc = accept(srv, NULL, NULL)) < 0)
		return fail_errno("a new client by %s after C/R", path);
	if (send(cli, "new", 4, 0) != 4)
		return fail_errno("send from the new client");
	return expect_record("new client -> server", acc, "new");
}

int main(int argc, char **argv)
{
	struct sockaddr_un rel = { .sun_family = AF_UNIX, .sun_path = "sock" };
	struct sockaddr_un in_dir = { .sun_family = AF_UNIX };
	const char *dir;
	char name[sizeof(rel.sun_path)];
	struct stat st;
	int srv, cli, acc;

	test_init(argc, argv);
	dir = test_path("d");
	snprintf(in_dir.sun_path, sizeof(in_dir.sun_path), "%s/sock", dir);
	srv = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (srv < 0 || mkdir(dir, 0700) || chdir(dir))
		return fail_errno("a seqpacket socket and the subdirectory %s", dir);
	if (bind(srv, (struct sockaddr *)&rel, sizeof(rel)) || chdir(".."))
		return fail_errno("bind to the relative name \"sock\" in %s", dir);
	if (listen(srv, 4))
		return fail_errno("listen");
	cli = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (cli < 0 || connect(cli, (struct sockaddr *)&in_dir, sizeof(in_dir)) || (acc = accept(srv, NULL, NULL)) < 0)
		return fail_errno("connect by %s and accept", in_dir.sun_path);
	if (send(cli, rec[0], strlen(rec[0]) + 1, 0) < 0 || send(acc, rec[1], strlen(rec[1]) + 1, 0) < 0)
		return fail_errno("queue a record each way");

	test_daemon();
	test_waitsig();

	if (expect_record("client -> server record", acc, rec[0]) || expect_record("server -> client record", cli, rec[1]))
		return 1;
	if (stat(in_dir.sun_path, &st) || !S_ISSOCK(st.st_mode))
		return fail_errno("%s after C/R: expected the listener's socket file", in_dir.sun_path);
	if (lstat("sock", &st) == 0 || errno != ENOENT)
		return fail("\"sock\" exists in the cwd after C/R: the listener was bound in the wrong directory");
	if (expect_accepts(srv, in_dir.sun_path))
		return 1;
	if (unix_name(srv, false, name, sizeof(name)))
		return fail_errno("getsockname of the listener");
	return expect_str("the listener's own name", name, "sock") ? 1 : pass();
}
