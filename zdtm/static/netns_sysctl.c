#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "zdtm.h"

/*
 * Only sysctls of the network namespace that criu dumps: the per-device
 * net.ipv4.conf.* and net.ipv6.conf.* (all, default, lo), net.unix.max_dgram_qlen
 * and net.ipv4.ping_group_range. In h the test's netns is not dumped at all.
 */
ZDTM_TEST(.doc = "sysctls of the test's network namespace (ipv4/ipv6 conf of all, default and lo; unix max_dgram_qlen; ping_group_range)",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid noemptyns");

static const struct {
	const char *path, *val;   /* val differs from a new namespace's default */
} ctls[] = {
	{ "/proc/sys/net/ipv4/conf/lo/forwarding", "1" },         /* while all/forwarding stays 0 */
	{ "/proc/sys/net/ipv4/conf/lo/accept_local", "1" },
	{ "/proc/sys/net/ipv4/conf/lo/arp_ignore", "2" },
	{ "/proc/sys/net/ipv4/conf/all/log_martians", "1" },
	{ "/proc/sys/net/ipv4/conf/default/rp_filter", "2" },
	{ "/proc/sys/net/ipv4/conf/default/secure_redirects", "0" },
	{ "/proc/sys/net/ipv6/conf/lo/hop_limit", "33" },
	{ "/proc/sys/net/ipv6/conf/all/accept_redirects", "0" },
	{ "/proc/sys/net/ipv6/conf/default/hop_limit", "99" },
	{ "/proc/sys/net/ipv6/conf/default/disable_ipv6", "1" },  /* for devices made later */
	{ "/proc/sys/net/ipv6/conf/lo/disable_ipv6", "1" },       /* ::1 goes away with it */
	{ "/proc/sys/net/unix/max_dgram_qlen", "123" },
	{ "/proc/sys/net/ipv4/ping_group_range", "100\t200" },
};
#define NR_CTLS (sizeof(ctls) / sizeof(ctls[0]))

/* The sysctl's value without its newline, or "(error N)" */
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
	int fd = open(path, O_WRONLY), len = strlen(val);

	if (fd < 0)
		return -1;
	if (write(fd, val, len) != len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* Every sysctl; the message lists each one that differs. */
static int expect_ctls(void)
{
	char diff[1024] = "", buf[64];
	size_t len = 0;

	for (size_t i = 0; i < NR_CTLS; i++)
		if (strcmp(get(ctls[i].path, buf, sizeof(buf)), ctls[i].val) && len < sizeof(diff))
			len += snprintf(diff + len, sizeof(diff) - len, "%s%s \"%s\", expected \"%s\"",
					len ? "; " : "", ctls[i].path + strlen("/proc/sys/"), buf, ctls[i].val);
	return len ? fail("%s", diff) : 0;
}

int main(int argc, char **argv)
{
	char buf[64];

	test_init(argc, argv);
	for (size_t i = 0; i < NR_CTLS; i++) {
		if (!strcmp(get(ctls[i].path, buf, sizeof(buf)), ctls[i].val))
			return fail("%s is already %s: the test would not see it lost", ctls[i].path, buf);
		if (set(ctls[i].path, ctls[i].val))
			return fail_errno("write %s to %s", ctls[i].val, ctls[i].path);
	}
	if (expect_ctls())
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_ctls())
		return 1;
	return pass();
}
