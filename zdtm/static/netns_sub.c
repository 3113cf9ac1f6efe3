#include <fcntl.h>
#include <linux/sockios.h>
#include <sched.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "three network namespaces made with unshare, an abstract unix socket bound in each (the same name but for a digit), one of them held by a process that went back to the test's namespace: each process reaches only its own namespace's names, the held socket stays in its namespace",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid noemptyns");

/*
 *   the test   namespace 0, socket "@zdtm-netns_sub-0"
 *   A          unshares namespace 1, binds "@...-1" and hands it to C
 *   C          A's child: setns() back into namespace 0, holds A's socket of namespace 1
 *   B          A's child: unshares namespace 2, binds "@...-2"
 * (A chain rather than three siblings: the runner numbers namespaces in the order its walk of the
 * /proc children lists meets them, and a restore may change the order of siblings.)
 */
enum { A, B, C, KIDS };
static const char *const who[KIDS] = { "A", "B", "C" };
static const int home[KIDS] = { 1, 2, 0 };   /* which names a process reaches */
static struct zdtm_waiter *w[KIDS];          /* 1: ready, 2: check now, 3: checked */
static char *finding;

static socklen_t name_of(int n, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	snprintf(sun->sun_path + 1, sizeof(sun->sun_path) - 1, "zdtm-netns_sub-%d", n);
	return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(sun->sun_path + 1);
}

static int bound(int n)
{
	struct sockaddr_un sun;
	socklen_t len = name_of(n, &sun);
	int sk = socket(AF_UNIX, SOCK_DGRAM, 0);

	if (sk < 0 || bind(sk, (struct sockaddr *)&sun, len))
		return -1;
	return sk;
}

/* From the caller's namespace, name home answers and the two others are refused. */
static int check_names(const char *me, int mine, char *buf)
{
	for (int n = 0; n < 3; n++) {
		struct sockaddr_un sun;
		socklen_t len = name_of(n, &sun);
		int sk = socket(AF_UNIX, SOCK_DGRAM, 0), err;

		err = sk < 0 || connect(sk, (struct sockaddr *)&sun, len) ? errno : 0;
		if (sk >= 0)
			close(sk);
		if (n == mine ? err != 0 : err != ECONNREFUSED)
			return note(buf, "%s: connect to @zdtm-netns_sub-%d: %s, expected %s", me, n,
				    err ? strerror(err) : "connected", n == mine ? "connected" : "ECONNREFUSED");
	}
	return 0;
}

/* The socket's network namespace (SIOCGSKNS) is pid's. */
static int check_sk_ns(int sk, pid_t pid, char *buf)
{
	struct stat a, b;
	char path[64];
	int ns = ioctl(sk, SIOCGSKNS);

	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	if (ns < 0 || fstat(ns, &a) || stat(path, &b))
		return note(buf, "C: SIOCGSKNS, stat %s: %s", path, strerror(errno));
	close(ns);
	if (a.st_ino != b.st_ino)
		return note(buf, "C: the socket of namespace 1 is in namespace inode %lu, expected A's %lu",
			    (unsigned long)a.st_ino, (unsigned long)b.st_ino);
	return 0;
}

static void serve(int i, int sk, pid_t a)
{
	waiter_post(w[i], 1);
	waiter_wait(w[i], 2);
	if (!finding[0] && !check_names(who[i], home[i], finding) && i == C)
		check_sk_ns(sk, a, finding);
	waiter_post(w[i], 3);
	for (;;)
		pause();
}

static void child_a(pid_t test)
{
	char path[64];
	int sk = -1, fd;
	pid_t a = getpid();

	if (unshare(CLONE_NEWNET) || (sk = bound(1)) < 0) {
		note(finding, "A: unshare, bind @zdtm-netns_sub-1: %s", strerror(errno));
		for (int i = 0; i < KIDS; i++) {
			waiter_post(w[i], 1);
			waiter_post(w[i], 3);
		}
		for (;;)
			pause();
	}
	if (fork() == 0) {
		snprintf(path, sizeof(path), "/proc/%d/ns/net", test);
		fd = open(path, O_RDONLY);
		if (fd < 0 || setns(fd, CLONE_NEWNET))
			note(finding, "C: setns to %s: %s", path, strerror(errno));
		close(fd);
		serve(C, sk, a);
	}
	if (fork() == 0) {
		close(sk);
		if (unshare(CLONE_NEWNET) || (sk = bound(2)) < 0)
			note(finding, "B: unshare, bind @zdtm-netns_sub-2: %s", strerror(errno));
		serve(B, sk, a);
	}
	close(sk);   /* namespace 1's socket lives on in C only */
	serve(A, -1, a);
}

static int end(pid_t pid, int verdict)
{
	kill(pid, SIGKILL);   /* B and C go to the namespace init, which reaps them */
	waitpid(pid, NULL, 0);
	return verdict;
}

static int check_all(void)
{
	char mine[ZDTM_FINDING_LEN] = "";

	for (int i = 0; i < KIDS; i++)
		waiter_post(w[i], 2);
	for (int i = 0; i < KIDS; i++)
		waiter_wait(w[i], 3);
	if (finding[0])
		return fail("%s", finding);
	if (check_names("the test", 0, mine))
		return fail("%s", mine);
	return 0;
}

int main(int argc, char **argv)
{
	pid_t pid, test;
	int sk;

	test_init(argc, argv);
	for (int i = 0; i < KIDS; i++)
		w[i] = waiter_new();
	if (!(finding = finding_new()))
		return fail_errno("mmap");
	sk = bound(0);
	if (sk < 0)
		return fail_errno("bind @zdtm-netns_sub-0");
	test = getpid();
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		child_a(test);
	for (int i = 0; i < KIDS; i++)
		waiter_wait(w[i], 1);
	if (finding[0])
		return end(pid, fail("%s", finding));

	test_daemon();
	test_waitsig();

	return end(pid, check_all() ? 1 : pass());
}
