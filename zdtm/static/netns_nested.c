#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a child in a network namespace of its own: lo up with 10.77.0.1/24 (lo:1) and a TCP listener on it "
		 "that still accepts; the test's namespace has no such address",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid noemptyns");

#define LABEL "lo:1"
#define ADDR "10.77.0.1"
#define MASK "255.255.255.0"
#define PORT 7707

static struct zdtm_waiter *w;   /* 1: the child is set up (or gave up); 2: C/R over, check */
static char *finding;           /* shared: the child's finding, "" when none */

static struct sockaddr_in addr_of(const char *ip, int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };

	inet_pton(AF_INET, ip, &sin.sin_addr);
	return sin;
}

static int set_addr(int sk, unsigned long req, const char *ip)
{
	struct ifreq ifr = { .ifr_name = LABEL };
	struct sockaddr_in sin = addr_of(ip, 0);

	memcpy(&ifr.ifr_addr, &sin, sizeof(sin));
	return ioctl(sk, req, &ifr);
}

static int setup(int *lsk)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	struct sockaddr_in sin = addr_of(ADDR, PORT);
	int sk;

	if (unshare(CLONE_NEWNET))
		return note(finding, "unshare(CLONE_NEWNET): %s", strerror(errno));
	sk = socket(AF_INET, SOCK_DGRAM, 0);
	if (sk < 0 || ioctl(sk, SIOCGIFFLAGS, &ifr))
		return note(finding, "SIOCGIFFLAGS lo: %s", strerror(errno));
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(sk, SIOCSIFFLAGS, &ifr) || set_addr(sk, SIOCSIFADDR, ADDR) || set_addr(sk, SIOCSIFNETMASK, MASK))
		return note(finding, "lo up, %s %s/%s: %s", LABEL, ADDR, MASK, strerror(errno));
	close(sk);
	*lsk = socket(AF_INET, SOCK_STREAM, 0);
	if (*lsk < 0 || bind(*lsk, (struct sockaddr *)&sin, sizeof(sin)) || listen(*lsk, 8))
		return note(finding, "listen on %s:%d: %s", ADDR, PORT, strerror(errno));
	return 0;
}

/* lo is up and running, and LABEL holds ADDR/MASK, in the caller's namespace. */
static int check_lo(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	char ip[INET_ADDRSTRLEN] = "(none)", mask[INET_ADDRSTRLEN] = "(none)";
	int sk = socket(AF_INET, SOCK_DGRAM, 0), ret = 0;

	if (sk < 0 || ioctl(sk, SIOCGIFFLAGS, &ifr))
		ret = note(finding, "SIOCGIFFLAGS lo: %s", strerror(errno));
	else if ((ifr.ifr_flags & (IFF_UP | IFF_RUNNING)) != (IFF_UP | IFF_RUNNING))
		ret = note(finding, "lo flags %#x, expected IFF_UP and IFF_RUNNING", ifr.ifr_flags);
	strcpy(ifr.ifr_name, LABEL);
	if (!ret && !ioctl(sk, SIOCGIFADDR, &ifr))
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr, ip, sizeof(ip));
	if (!ret && !ioctl(sk, SIOCGIFNETMASK, &ifr))
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr, mask, sizeof(mask));
	if (!ret && (strcmp(ip, ADDR) || strcmp(mask, MASK)))
		ret = note(finding, "%s holds %s/%s, expected %s/%s", LABEL, ip, mask, ADDR, MASK);
	if (sk >= 0)
		close(sk);
	return ret;
}

static int check_listener(int lsk)
{
	char name[64] = "", want[64];
	struct sockaddr_in sin = addr_of(ADDR, PORT);

	inet_str(&sin, want, sizeof(want));
	if (inet_name(lsk, false, name, sizeof(name)) || strcmp(name, want))
		return note(finding, "the listener is bound to \"%s\", expected %s", name, want);
	if (strcmp(tcp_state_name(lsk), "LISTEN"))
		return note(finding, "the listener is %s, expected LISTEN", tcp_state_name(lsk));
	return 0;
}

/* A connection from inside the namespace reaches the listener, and a byte goes through it. */
static int check_accepts(int lsk)
{
	struct sockaddr_in sin = addr_of(ADDR, PORT);
	struct pollfd p = { .fd = lsk, .events = POLLIN };
	char c = 0;
	int csk = socket(AF_INET, SOCK_STREAM, 0), ask;

	if (csk < 0 || connect(csk, (struct sockaddr *)&sin, sizeof(sin)))
		return note(finding, "connect to %s:%d: %s, expected the listener to answer", ADDR, PORT, strerror(errno));
	if (poll(&p, 1, 5000) != 1)
		return note(finding, "the listener has no connection to accept after 5 s, expected one");
	ask = accept(lsk, NULL, NULL);
	if (ask < 0)
		return note(finding, "accept: %s", strerror(errno));
	if (write_all(csk, "z", 1) || read_all(ask, &c, 1) != 1 || c != 'z')
		return note(finding, "the accepted connection read '%c', expected 'z'", c ? c : '?');
	close(ask);
	close(csk);
	return 0;
}

static int child(void)
{
	int lsk = -1;

	if (!setup(&lsk) && !check_lo())
		check_listener(lsk);
	waiter_post(w, 1);
	if (finding[0])
		return 10;
	waiter_wait(w, 2);
	return check_lo() || check_listener(lsk) || check_accepts(lsk) ? 11 : 0;
}

/* The child is in another network namespace, and the test's own has no ADDR. */
static int check_parent(char *buf, pid_t pid)
{
	struct sockaddr_in sin = addr_of(ADDR, 0);
	struct stat mine, its;
	char path[64];
	int sk, err;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	if (stat("/proc/self/ns/net", &mine) || stat(path, &its))
		return note(buf, "stat the network namespaces: %s", strerror(errno));
	if (mine.st_ino == its.st_ino)
		return note(buf, "the child's network namespace is the test's (inode %lu), expected its own",
			    (unsigned long)its.st_ino);
	sk = socket(AF_INET, SOCK_DGRAM, 0);
	if (sk < 0)
		return note(buf, "socket: %s", strerror(errno));
	err = bind(sk, (struct sockaddr *)&sin, sizeof(sin)) ? errno : 0;
	close(sk);
	if (err != EADDRNOTAVAIL)
		return note(buf, "bind to %s in the test's namespace: %s, expected EADDRNOTAVAIL (no such address)",
			    ADDR, err ? strerror(err) : "success");
	return 0;
}

int main(int argc, char **argv)
{
	char problem[ZDTM_FINDING_LEN] = "";
	int status = 0;
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	finding = finding_new();
	if (!finding)
		return fail_errno("mmap a shared buffer for the child's finding");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		_exit(child());
	waiter_wait(w, 1);
	if (finding[0] || check_parent(problem, pid)) {
		waiter_post(w, 2);
		waitpid(pid, &status, 0);
		return expect_clean_end(finding, problem, status);
	}

	test_daemon();
	test_waitsig();

	check_parent(problem, pid);
	waiter_post(w, 2);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	return expect_clean_end(finding, problem, status) ? 1 : pass();
}
