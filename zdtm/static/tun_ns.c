#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a TUN device made through the test's /dev/net/tun fd, then moved into a child's network namespace and set up there (10.15.0.1/24): the fd still names it, the child still has it, a datagram the child routes into it is read from the test's fd after C/R",
	  .flavors = ZDTM_FLAVOR_NS, .flags = "suid noemptyns", .features = "tun");

#define NAME "zdtm-tunns0"

static struct zdtm_waiter *w;   /* 1: child unshared; 2: device moved in; 3: set up; 4: C/R over; 5: sent */
static char *finding;

static int tun_open(void)
{
	if (mkdir("/dev/net", 0755) && errno != EEXIST)
		return -1;
	if (mknod("/dev/net/tun", S_IFCHR | 0600, makedev(10, 200)) && errno != EEXIST)
		return -1;
	return open("/dev/net/tun", O_RDWR);
}

static int child(void)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(41283) };
	char before[160], after[160];
	int sk;

	if (unshare(CLONE_NEWNET))
		note(finding, "unshare(CLONE_NEWNET): %s", strerror(errno));
	waiter_post(w, 1);
	waiter_wait(w, 2);
	if (!finding[0] && link_set(NAME, NULL, "10.15.0.1", 1400))
		note(finding, "set up %s 10.15.0.1/24 in the child: %s", NAME, strerror(errno));
	link_desc(NAME, before, sizeof(before));
	waiter_post(w, 3);
	if (finding[0])
		return 1;
	waiter_wait(w, 4);
	if (strcmp(link_desc(NAME, after, sizeof(after)), before))
		note(finding, "the child's tun is \"%s\", expected \"%s\"", after, before);
	inet_pton(AF_INET, "10.15.0.2", &to.sin_addr);
	sk = socket(AF_INET, SOCK_DGRAM, 0);
	if (sk < 0 || sendto(sk, "tun", 4, 0, (struct sockaddr *)&to, sizeof(to)) != 4)
		note(finding, "a datagram to 10.15.0.2 from the child: %s", strerror(errno));
	waiter_post(w, 5);
	return finding[0] ? 1 : 0;
}

/* The child's datagram to 10.15.0.2 leaves through the tun: the test's fd reads it (3 s at most). */
static void expect_packet(int tun, char *problem)
{
	char buf[1500];
	struct iphdr *ip = (struct iphdr *)buf;
	ssize_t n;

	do {
		struct pollfd p = { .fd = tun, .events = POLLIN };

		n = poll(&p, 1, 3000) == 1 ? read(tun, buf, sizeof(buf)) : -1;
	} while (n > 0 && (ip->version != 4 || ip->daddr != htonl(0x0a0f0002)));
	if (n < 0)
		note(problem, "no IPv4 packet to 10.15.0.2 read from the tun fd");
}

int main(int argc, char **argv)
{
	struct ifreq r = { .ifr_name = NAME, .ifr_flags = IFF_TUN | IFF_NO_PI };
	char problem[ZDTM_FINDING_LEN] = "", path[64];
	int tun, ns, status;
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	finding = finding_new();
	tun = tun_open();
	if (tun < 0)
		return errno == EPERM ? skip("cannot make /dev/net/tun here: %s", strerror(errno)) : fail_errno("open /dev/net/tun");
	if (!finding || ioctl(tun, TUNSETIFF, &r))
		return fail_errno("TUNSETIFF %s", NAME);
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		_exit(child());
	waiter_wait(w, 1);
	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	ns = open(path, O_RDONLY | O_CLOEXEC);
	if (ns < 0 || link_move(NAME, ns))
		note(problem, "move %s into the child's namespace: %s", NAME, strerror(errno));
	if (ns >= 0)
		close(ns);
	waiter_post(w, 2);
	waiter_wait(w, 3);
	if (problem[0] || finding[0]) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return expect_clean_end(finding, problem, 0);
	}

	test_daemon();
	test_waitsig();

	memset(&r, 0, sizeof(r));
	if (ioctl(tun, TUNGETIFF, &r) || strcmp(r.ifr_name, NAME))
		note(problem, "the tun fd's device is \"%s\" (%s), expected %s", r.ifr_name, strerror(errno), NAME);
	waiter_post(w, 4);
	waiter_wait(w, 5);
	if (!problem[0] && !finding[0])
		expect_packet(tun, problem);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	return expect_clean_end(finding, problem, status) ? 1 : pass();
}
