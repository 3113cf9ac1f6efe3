#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an empty POSIX message queue with an mq_notify() registration (SIGUSR1, value 77) held by the test",
	  .flavors = ZDTM_NS_FLAVORS);

#define MQ_NAME "/zdtm-mq_notify"
#define VALUE 77

/* The queue's own line (read(2) of the descriptor): "QSIZE:0 NOTIFY:0 SIGNO:10 NOTIFY_PID:N". */
static const char *info(mqd_t q)
{
	static char buf[256];
	char raw[256];
	ssize_t n = pread(q, raw, sizeof(raw) - 1, 0);
	size_t o = 0;

	if (n < 0)
		return strerror(errno);
	raw[n] = 0;
	for (char *t = strtok(raw, " \n"); t; t = strtok(NULL, " \n"))   /* squeeze the padding */
		o += snprintf(buf + o, sizeof(buf) - o, "%s%s", o ? " " : "", t);
	return buf;
}

/* Another process: its registration is refused while ours stands (EBUSY); then it sends a message. */
static int other_process(bool send)
{
	struct sigevent ev = { .sigev_notify = SIGEV_NONE };
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		mqd_t q = mq_open(MQ_NAME, O_WRONLY);

		if (q == (mqd_t)-1)
			_exit(2);
		if (mq_notify(q, &ev) == 0 || errno != EBUSY)
			_exit(3);
		_exit(send && mq_send(q, "m", 1, 0) ? 4 : 0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
		return fail("another process could register on the queue: our registration is gone");
	return status ? fail("the other process ended with wait status %#x", status) : 0;
}

static int check(mqd_t q, const char *want)
{
	return expect_str("the queue's notification", info(q), want) || other_process(false);
}

int main(int argc, char **argv)
{
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 16 };
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1,
			       .sigev_value.sival_int = VALUE };
	struct timespec tmo = { .tv_sec = 10 };
	char want[128];
	siginfo_t si;
	sigset_t set;
	mqd_t q;

	test_init(argc, argv);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	q = mq_open(MQ_NAME, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	if (q == (mqd_t)-1 && (errno == ENOSYS || errno == ENOENT))
		return skip("no POSIX message queues: mq_open: %s", strerror(errno));
	if (q == (mqd_t)-1)
		return fail_errno("mq_open");
	if (mq_notify(q, &ev))
		return fail_errno("mq_notify");
	snprintf(want, sizeof(want), "QSIZE:0 NOTIFY:0 SIGNO:%d NOTIFY_PID:%d", SIGUSR1, (int)getpid());
	if (check(q, want))
		return 1;

	test_daemon();
	test_waitsig();

	if (check(q, want) || other_process(true))
		return 1;
	if (sigtimedwait(&set, &si, &tmo) != SIGUSR1)
		return fail_errno("no SIGUSR1 within 10 s of a message to the empty queue");
	if (expect_int("si_code", si.si_code, SI_MESGQ) || expect_int("si_value", si.si_value.sival_int, VALUE))
		return 1;
	mq_unlink(MQ_NAME);
	return pass();
}
