#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a seccomp user-notification listener fd held by the parent; the child's filter sends it uselib(2)",
	  .flavors = ZDTM_ALL_FLAVORS);

#define ANSWER 4242   /* what the parent makes the child's uselib() return */

/* The child's filter: uselib() goes to the listener, every other call is allowed. */
static int install_filter(void)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_uselib, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
}

static void child_fn(int sk, struct zdtm_waiter *w, char *finding)
{
	int listener = install_filter();
	long ret;

	if (listener < 0)
		_exit(note(finding, "seccomp(NEW_LISTENER): %s", strerror(errno)));
	if (scm_send(sk, "l", 1, &listener, 1))
		_exit(note(finding, "send the listener: %s", strerror(errno)));
	close(listener);
	waiter_wait(w, 1);
	ret = syscall(__NR_uselib, NULL);
	if (ret != ANSWER)
		_exit(note(finding, "uselib() returned %ld (errno %d), expected the listener's answer %d", ret,
			   ret < 0 ? errno : 0, ANSWER));
	_exit(0);
}

static int expect_listener(int fd)
{
	char link[64], target[128];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return fail_errno("readlink %s", link);
	target[n] = 0;
	return expect_str("the listener fd", target, "anon_inode:seccomp notify");
}

/* The child's uselib() arrives on the listener; the answer goes back to it. */
static int answer(int fd, pid_t child)
{
	struct seccomp_notif req = { 0 };
	struct seccomp_notif_resp resp = { 0 };
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, 10000) != 1)
		return fail("no notification on the listener within 10 s");
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req))
		return fail_errno("SECCOMP_IOCTL_NOTIF_RECV");
	if (expect_int("notified syscall", req.data.nr, __NR_uselib) || expect_int("notified pid", req.pid, child))
		return 1;
	resp.id = req.id;
	resp.val = ANSWER;
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp))
		return fail_errno("SECCOMP_IOCTL_NOTIF_SEND");
	return 0;
}

int main(int argc, char **argv)
{
	struct zdtm_waiter *w;   /* 1: C/R over, call uselib() */
	char *finding, c;
	int sk[2], fd, nfds = 1, status, ret;
	pid_t child;

	test_init(argc, argv);
	w = waiter_new();
	finding = finding_new();
	if (!finding || socketpair(AF_UNIX, SOCK_DGRAM, 0, sk))
		return fail_errno("shared memory, socketpair");
	child = fork();
	if (child < 0)
		return fail_errno("fork");
	if (child == 0)
		child_fn(sk[1], w, finding);
	close(sk[1]);
	{
		struct pollfd p = { .fd = sk[0], .events = POLLIN };

		poll(&p, 1, 10000);
	}
	if (scm_recv(sk[0], &c, 1, &fd, &nfds) != 1 || nfds != 1) {
		waitpid(child, &status, 0);
		if (strstr(finding, "seccomp(NEW_LISTENER)"))
			return skip("%s", finding);
		return expect_clean_end(finding, "no listener fd from the child", status);
	}
	close(sk[0]);
	if (expect_listener(fd))
		return 1;

	test_daemon();
	test_waitsig();

	ret = expect_listener(fd);
	waiter_post(w, 1);
	if (!ret)
		ret = answer(fd, child);
	if (ret)
		kill(child, SIGKILL);
	waitpid(child, &status, 0);
	return ret ? ret : expect_clean_end(finding, "", status) ? 1 : pass();
}
