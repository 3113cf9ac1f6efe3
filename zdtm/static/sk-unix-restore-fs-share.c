#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an orphan (its parent died; reparented to the subreaper test) with its own cwd holds a unix listener bound by a cwd-relative name and a connection from the test: after C/R its cwd, name, connection and new connections hold",
	  .flavors = ZDTM_ALL_FLAVORS);

/*
 * test (PR_SET_CHILD_SUBREAPER) -> K (exits after forking) -> G: G, in the test's process group,
 * chdir()s to NAME.d, binds "sock" (relative) and accepts the test's connection. criu binds a
 * socket in the restored task's own fs context, which here is not its parent's.
 */
static struct zdtm_waiter *w;   /* 1: G listens; 2: connected; 3: C/R over; 4: G checked; 5: connect again */
static char *finding;

static int orphan(const char *dir)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = "sock" };
	char cwd[PATH_MAX], name[64], c = 0;
	int lsk, acc, acc2;

	lsk = socket(AF_UNIX, SOCK_STREAM, 0);
	if (chdir(dir) || lsk < 0 || bind(lsk, (struct sockaddr *)&a, sizeof(a)) || listen(lsk, 2))
		return note(finding, "G: chdir %s, bind \"sock\", listen: %s", dir, strerror(errno));
	waiter_post(w, 1);
	acc = accept(lsk, NULL, NULL);
	if (acc < 0)
		return note(finding, "G: accept: %s", strerror(errno));
	waiter_post(w, 2);
	waiter_wait(w, 3);
	if (!getcwd(cwd, sizeof(cwd)) || strcmp(cwd, dir))
		note(finding, "G's cwd \"%s\", expected \"%s\"", cwd, dir);
	else if (unix_name(lsk, false, name, sizeof(name)) || strcmp(name, "sock"))
		note(finding, "G's listener is named \"%s\", expected \"sock\"", name);
	else if (read(acc, &c, 1) != 1 || c != 't' || write(acc, "g", 1) != 1)
		note(finding, "G: the test's connection: read '%c', expected 't'", c ? c : '-');
	waiter_post(w, 4);
	if (finding[0])
		return 1;
	waiter_wait(w, 5);
	acc2 = accept(lsk, NULL, NULL);
	if (acc2 < 0 || write(acc2, "n", 1) != 1)
		return note(finding, "G: accept a new connection after C/R: %s", strerror(errno));
	return 0;
}

/* The test connects to G's listener by its full path and gets byte want. */
static int connect_to(const char *path, int *sk)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	*sk = socket(AF_UNIX, SOCK_STREAM, 0);
	return *sk < 0 || connect(*sk, (struct sockaddr *)&a, sizeof(a)) ? -1 : 0;
}

int main(int argc, char **argv)
{
	char dir[PATH_MAX], path[PATH_MAX + 8], c = 0;
	int sk, sk2, status;
	pid_t k, g;

	test_init(argc, argv);
	w = waiter_new();
	finding = finding_new();
	if (!finding || !getcwd(path, PATH_MAX))
		return fail_errno("getcwd");
	if (test_path("d")[0] == '/')
		snprintf(dir, sizeof(dir), "%s", test_path("d"));
	else if (snprintf(dir, sizeof(dir), "%s/%s", path, test_path("d")) >= (int)sizeof(dir))
		return fail("the work dir's path is too long");
	snprintf(path, sizeof(path), "%s/sock", test_path("d"));   /* the test's way to G's listener: short */
	if (mkdir(dir, 0755) || prctl(PR_SET_CHILD_SUBREAPER, 1))
		return fail_errno("mkdir %s, PR_SET_CHILD_SUBREAPER", dir);
	k = fork();
	if (k < 0)
		return fail_errno("fork");
	if (k == 0) {
		g = fork();
		if (g == 0)
			_exit(orphan(dir));
		_exit(g < 0);   /* K dies: G is reparented to the test */
	}
	if (waitpid(k, &status, 0) != k || status)
		return fail("K exited with status 0x%x", status);
	waiter_wait(w, 1);
	if (finding[0])
		return fail("%s", finding);
	if (connect_to(path, &sk))
		return fail_errno("connect to %s", path);
	waiter_wait(w, 2);

	test_daemon();
	test_waitsig();

	if (write(sk, "t", 1) != 1)
		return fail_errno("write to G");
	waiter_post(w, 3);
	waiter_wait(w, 4);
	if (!finding[0] && (read(sk, &c, 1) != 1 || c != 'g'))
		note(finding, "G's answer: read '%c', expected 'g'", c ? c : '-');
	if (!finding[0] && connect_to(path, &sk2))
		note(finding, "connect to %s after C/R: %s", path, strerror(errno));
	waiter_post(w, 5);
	if (!finding[0] && (read(sk2, &c, 1) != 1 || c != 'n'))
		note(finding, "a new connection to G: read '%c', expected 'n'", c ? c : '-');
	g = wait(&status);
	if (g < 0)
		return fail_errno("wait for G");
	return expect_clean_end(finding, "", status) ? 1 : pass();
}
