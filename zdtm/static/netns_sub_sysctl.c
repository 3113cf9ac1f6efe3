#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "sysctls of a child's own network namespace (ipv4/ipv6 conf of all, default and lo; unix max_dgram_qlen; ping_group_range) set to non-defaults, the test's namespace left at its defaults: both kept",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid noemptyns");

/* Sysctls criu dumps per network namespace; val differs from a new namespace's default. */
static const struct {
	const char *path, *val;
} ctls[] = {
	{ "/proc/sys/net/ipv4/conf/lo/forwarding", "1" },
	{ "/proc/sys/net/ipv4/conf/lo/arp_ignore", "2" },
	{ "/proc/sys/net/ipv4/conf/all/log_martians", "1" },
	{ "/proc/sys/net/ipv4/conf/default/rp_filter", "2" },
	{ "/proc/sys/net/ipv6/conf/lo/hop_limit", "33" },
	{ "/proc/sys/net/ipv6/conf/default/hop_limit", "99" },
	{ "/proc/sys/net/unix/max_dgram_qlen", "123" },
	{ "/proc/sys/net/ipv4/ping_group_range", "100\t200" },
};
#define NR_CTLS (sizeof(ctls) / sizeof(ctls[0]))

static struct zdtm_waiter *w;   /* 1: the child has set them (or gave up); 2: check; 3: checked */
static char *finding;
static char defaults[NR_CTLS][64];   /* the test's values, read before the child sets its own */

static const char *get(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY), n = -1;

	if (fd >= 0) {
		n = read(fd, buf, len - 1);
		close(fd);
	}
	if (n < 0) {
		snprintf(buf, len, "(error %d)", errno);
		return buf;
	}
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return buf;
}

static int set(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), len = strlen(val), ret;

	if (fd < 0)
		return -1;
	ret = write(fd, val, len) == len ? 0 : -1;
	return close(fd) || ret;
}

/* The caller's namespace holds want[i] (the child's values) or defaults[i]; each difference noted. */
static int expect_ctls(const char *who, bool child, char *out)
{
	char buf[64];
	size_t len = 0;

	for (size_t i = 0; i < NR_CTLS; i++) {
		const char *want = child ? ctls[i].val : defaults[i];

		if (strcmp(get(ctls[i].path, buf, sizeof(buf)), want) && len < ZDTM_FINDING_LEN)
			len += snprintf(out + len, ZDTM_FINDING_LEN - len, "%s%s: %s \"%s\", expected \"%s\"",
					len ? "; " : "", who, ctls[i].path + strlen("/proc/sys/"), buf, want);
	}
	return len ? 1 : 0;
}

static void child(void)
{
	if (unshare(CLONE_NEWNET)) {
		note(finding, "the child: unshare(CLONE_NEWNET): %s", strerror(errno));
	} else {
		for (size_t i = 0; i < NR_CTLS && !finding[0]; i++)
			if (set(ctls[i].path, ctls[i].val))
				note(finding, "the child: write \"%s\" to %s: %s", ctls[i].val, ctls[i].path, strerror(errno));
		if (!finding[0])
			expect_ctls("the child", true, finding);
	}
	waiter_post(w, 1);
	waiter_wait(w, 2);
	if (!finding[0])
		expect_ctls("the child", true, finding);
	waiter_post(w, 3);
	for (;;)
		pause();
}

static int end(pid_t pid, int verdict)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return verdict;
}

int main(int argc, char **argv)
{
	char mine[ZDTM_FINDING_LEN] = "";
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	if (!(finding = finding_new()))
		return fail_errno("mmap");
	for (size_t i = 0; i < NR_CTLS; i++)
		if (!strcmp(get(ctls[i].path, defaults[i], sizeof(defaults[i])), ctls[i].val))
			return fail("%s is already %s in the test's namespace: it would not tell the two apart", ctls[i].path,
				    defaults[i]);
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		child();
	waiter_wait(w, 1);
	if (finding[0] || expect_ctls("the test", false, mine))
		return end(pid, fail("%s%s", finding, mine));

	test_daemon();
	test_waitsig();

	waiter_post(w, 2);
	waiter_wait(w, 3);
	if (finding[0] || expect_ctls("the test", false, mine))
		return end(pid, fail("%s%s", finding, mine));
	return end(pid, pass());
}
