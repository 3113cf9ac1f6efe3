#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a unix socket listening on a tmpfs mounted only in a child's own mount namespace, the test connected to it through /proc/PID/root: names, connection and new connections in the child's namespace kept",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

static struct sockaddr_un addr = { .sun_family = AF_UNIX };   /* point/sock, in the child's namespace */
static char *finding;

/* Reads and accepts on fd give up after 3 s: a connection lost in C/R is a finding, not a hang. */
static void timeout3(int fd)
{
	struct timeval tv = { .tv_sec = 3 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

/* The child after C/R: its listener's name, the accepted connection, a new one by path. */
static int child_check(int srv, int acc)
{
	char name[sizeof(addr.sun_path) + 1], c = 0;
	int late = socket(AF_UNIX, SOCK_STREAM, 0), got;
	ssize_t n;

	timeout3(srv);
	timeout3(acc);

	if (unix_name(srv, false, name, sizeof(name)) || strcmp(name, addr.sun_path))
		return note(finding, "the child's listener is named \"%s\", expected \"%s\"", name, addr.sun_path);
	n = read(acc, &c, 1);
	if (n != 1 || c != 't' || write(acc, "c", 1) != 1)
		return note(finding, "the accepted end read %zd bytes (0x%02x), expected 't'", n, c);
	if (late < 0 || connect(late, (struct sockaddr *)&addr, sizeof(addr)) || (got = accept(srv, NULL, NULL)) < 0)
		return note(finding, "a new connection to %s in the child's namespace: %s", addr.sun_path, strerror(errno));
	return 0;
}

static int child(struct zdtm_waiter *w, const char *point)
{
	int srv = socket(AF_UNIX, SOCK_STREAM, 0), acc;

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("zdtm_sk_ns", point, "tmpfs", 0, "size=1m") || srv < 0 ||
	    bind(srv, (struct sockaddr *)&addr, sizeof(addr)) || listen(srv, 4))
		return note(finding, "listen on %s in a tmpfs of its own namespace: %s", addr.sun_path, strerror(errno));
	waiter_post(w, 1);
	acc = accept(srv, NULL, NULL);
	if (acc < 0)
		return note(finding, "accept the test's connection: %s", strerror(errno));
	waiter_post(w, 2);
	waiter_wait(w, 3);
	return child_check(srv, acc);
}

int main(int argc, char **argv)
{
	struct zdtm_waiter *w = waiter_new();
	struct sockaddr_un via = { .sun_family = AF_UNIX };
	char cwd[PATH_MAX], point[PATH_MAX + 64], name[sizeof(addr.sun_path) + 1], problem[ZDTM_FINDING_LEN] = "", c = 0;
	int cli, status = 0;
	pid_t pid;

	test_init(argc, argv);
	finding = finding_new();
	if (!finding || !getcwd(cwd, sizeof(cwd)))
		return fail_errno("a finding buffer, getcwd");
	snprintf(point, sizeof(point), "%s/%s", cwd, test_path("mnt"));
	if (snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/sock", point) >= 60)
		return skip("the socket path is longer than sun_path: %s/sock", point);
	if (mkdir(point, 0755))
		return fail_errno("mkdir %s", point);
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		_exit(child(w, point));
	waiter_wait(w, 1);
	cli = socket(AF_UNIX, SOCK_STREAM, 0);
	if (snprintf(via.sun_path, sizeof(via.sun_path), "/proc/%d/root%.60s", pid, addr.sun_path) >= (int)sizeof(via.sun_path))
		snprintf(problem, sizeof(problem), "the path through /proc is too long for sun_path");
	else if (finding[0] || cli < 0 || connect(cli, (struct sockaddr *)&via, sizeof(via)))
		snprintf(problem, sizeof(problem), "connect to %s: %s", via.sun_path, strerror(errno));
	else
		waiter_wait(w, 2);
	if (problem[0]) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return expect_clean_end(finding, problem, 0);
	}

	test_daemon();
	test_waitsig();

	if (send(cli, "t", 1, MSG_NOSIGNAL) != 1)
		snprintf(problem, sizeof(problem), "write to the child: %s", strerror(errno));
	waiter_post(w, 3);
	timeout3(cli);
	if (!problem[0] && (read(cli, &c, 1) != 1 || c != 'c'))
		snprintf(problem, sizeof(problem), "the test read 0x%02x from the child, expected 'c'", c);
	else if (unix_name(cli, true, name, sizeof(name)) || strcmp(name, addr.sun_path))
		snprintf(problem, sizeof(problem), "the test's peer is \"%s\", expected \"%s\"", name, addr.sun_path);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	return expect_clean_end(finding, problem, status) ? 1 : pass();
}
