#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "O_ASYNC pipe and fifo read ends keep their owner (pid, tid, process group) and F_SETSIG "
		 "signal, and a write delivers that signal with si_fd",
	  .flavors = ZDTM_ALL_FLAVORS);

/* Async read ends; a write to one's pipe must raise its sig with si_fd = rd. */
struct owned {
	bool fifo;      /* a named pipe, which a restore reopens by path, instead of pipe(2) */
	int type;       /* F_OWNER_PID, F_OWNER_TID or F_OWNER_PGRP */
	int sig;        /* offset from SIGRTMIN */
	int rd, wr;
	pid_t owner;
};

static struct owned ends[] = {
	{ .type = F_OWNER_PID, .sig = 1 },
	{ .type = F_OWNER_TID, .sig = 2 },
	{ .type = F_OWNER_PGRP, .sig = 3 },
	{ .fifo = true, .type = F_OWNER_PID, .sig = 4 },
};
#define NENDS (int)(sizeof(ends) / sizeof(ends[0]))

static int make_owned(struct owned *o, sigset_t *blocked)
{
	int p[2];

	if (o->fifo) {
		if (mkfifo(test_path("fifo"), 0600))
			return fail_errno("mkfifo");
		p[0] = open(test_path("fifo"), O_RDONLY | O_NONBLOCK);
		p[1] = open(test_path("fifo"), O_WRONLY);
		if (p[0] < 0 || p[1] < 0)
			return fail_errno("open fifo");
	} else if (pipe(p)) {
		return fail_errno("pipe");
	}
	o->rd = p[0], o->wr = p[1];
	o->owner = o->type == F_OWNER_PID ? getpid() : o->type == F_OWNER_TID ? gettid() : getpgrp();
	sigaddset(blocked, SIGRTMIN + o->sig);
	if (o->type == F_OWNER_PID) {
		/* the classic F_SETOWN; the other two go through F_SETOWN_EX */
		if (fcntl(o->rd, F_SETOWN, o->owner))
			return fail_errno("F_SETOWN");
	} else {
		struct f_owner_ex ex = { .type = o->type, .pid = o->owner };

		if (fcntl(o->rd, F_SETOWN_EX, &ex))
			return fail_errno("F_SETOWN_EX type %d", o->type);
	}
	if (fcntl(o->rd, F_SETSIG, SIGRTMIN + o->sig) ||
	    fcntl(o->rd, F_SETFL, fcntl(o->rd, F_GETFL) | O_ASYNC))
		return fail_errno("F_SETSIG/O_ASYNC");
	return 0;
}

static int check_owned(const struct owned *o)
{
	struct f_owner_ex ex;
	int getown = o->type == F_OWNER_PGRP ? -o->owner : o->owner;
	int fl = fcntl(o->rd, F_GETFL);

	if (fl < 0 || fcntl(o->rd, F_GETOWN_EX, &ex))
		return fail_errno("fd %d is gone", o->rd);
	if (!(fl & O_ASYNC))
		return fail("fd %d flags 0%o lack O_ASYNC (0%o)", o->rd, fl, O_ASYNC);
	if ((int)ex.type != o->type || ex.pid != o->owner)
		return fail("fd %d F_GETOWN_EX: type %d pid %d, expected type %d pid %d", o->rd, ex.type,
			    ex.pid, o->type, o->owner);
	if (expect_int("F_GETOWN", fcntl(o->rd, F_GETOWN), getown) ||
	    expect_int("F_GETSIG", fcntl(o->rd, F_GETSIG), SIGRTMIN + o->sig))
		return 1;
	return 0;
}

/* A write makes the read end readable: its signal must arrive, naming that fd. */
static int check_delivery(const struct owned *o)
{
	struct timespec tmo = { .tv_sec = 1 };  /* kill_fasync() signals within write() */
	siginfo_t si;
	sigset_t one;
	int sig;

	sigemptyset(&one);
	sigaddset(&one, SIGRTMIN + o->sig);
	if (write(o->wr, "x", 1) != 1)
		return fail_errno("write to the pipe of fd %d", o->rd);
	sig = sigtimedwait(&one, &si, &tmo);
	if (sig < 0)
		return fail_errno("no signal %d after a write to the %s of fd %d, expected one with si_fd %d",
				  SIGRTMIN + o->sig, o->fifo ? "fifo" : "pipe", o->rd, o->rd);
	if (expect_int("si_fd", si.si_fd, o->rd) || expect_int("si_code", si.si_code, POLL_IN))
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	sigset_t blocked, pending;

	test_init(argc, argv);
	sigemptyset(&blocked);
	for (int i = 0; i < NENDS; i++)
		if (make_owned(&ends[i], &blocked))
			return 1;
	/* blocked, so a delivery waits in the queue for sigtimedwait() */
	if (sigprocmask(SIG_BLOCK, &blocked, NULL))
		return fail_errno("sigprocmask");

	test_daemon();
	test_waitsig();

	for (int i = 0; i < NENDS; i++)
		if (check_owned(&ends[i]))
			return 1;
	/* nothing may have fired on its own during C/R */
	if (sigpending(&pending))
		return fail_errno("sigpending");
	for (int i = 0; i < NENDS; i++)
		if (sigismember(&pending, SIGRTMIN + ends[i].sig))
			return fail("signal %d pending before any write, expected none", SIGRTMIN + ends[i].sig);
	for (int i = 0; i < NENDS; i++)
		if (check_delivery(&ends[i]))
			return 1;
	return pass();
}
