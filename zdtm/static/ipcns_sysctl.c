#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "IPC namespace sysctls (msg*, shm*, sem, mqueue limits) set by the test in its own namespace",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

/* Values unlike the defaults; sem is "semmsl semmns semopm semmni". */
static const struct {
	const char *path, *value;
} sysctls[] = {
	{ "/proc/sys/kernel/msgmax", "12345" },
	{ "/proc/sys/kernel/msgmnb", "23456" },
	{ "/proc/sys/kernel/msgmni", "345" },
	{ "/proc/sys/kernel/shmmax", "456789012" },
	{ "/proc/sys/kernel/shmall", "5678901" },
	{ "/proc/sys/kernel/shmmni", "678" },
	{ "/proc/sys/kernel/sem", "251\t32001\t33\t129" },
	{ "/proc/sys/fs/mqueue/msg_max", "77" },
	{ "/proc/sys/fs/mqueue/msgsize_max", "9999" },
	{ "/proc/sys/fs/mqueue/queues_max", "111" },
};
#define NSYSCTL (sizeof(sysctls) / sizeof(sysctls[0]))

/* The sysctl's value without the trailing newline, or NULL. */
static const char *read_sysctl(const char *path)
{
	static char buf[128];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return NULL;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return buf;
}

static int write_sysctl(const char *path, const char *value)
{
	int fd, ret;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ret = write_all(fd, value, strlen(value));
	close(fd);
	return ret;
}

static int expect_sysctls(void)
{
	for (size_t i = 0; i < NSYSCTL; i++) {
		const char *found = read_sysctl(sysctls[i].path);

		if (!found)
			return fail_errno("read %s", sysctls[i].path);
		if (expect_str(sysctls[i].path, found, sysctls[i].value))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	test_init(argc, argv);
	for (size_t i = 0; i < NSYSCTL; i++)
		if (write_sysctl(sysctls[i].path, sysctls[i].value))
			return fail_errno("write %s = %s", sysctls[i].path, sysctls[i].value);
	if (expect_sysctls())
		return 1;

	test_daemon();
	test_waitsig();

	return expect_sysctls() ? 1 : pass();
}
