#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an fd inherited across fork() is one open file for parent and child (one offset), "
		 "the child's own open() of the file keeps its own offset",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef SYS_kcmp
#define SYS_kcmp 312
#endif
#define KCMP_FILE_ 0

#define OFF_SHARED 100   /* the inherited fd's offset before C/R */
#define OFF_OWN 2000     /* the child's own fd's offset */
#define OFF_MOVED 500    /* where the parent moves the shared offset after C/R */
#define NREAD 10         /* bytes the child reads through the shared fd */
#define FILE_SIZE 8192

static struct zdtm_waiter *w;   /* 1: C/R over, read; 2: the parent moved the offset */

/* What the child sees, after C/R and again after the parent moved the offset. */
struct report {
	off_t shared, own;      /* offsets of the inherited fd and of the child's own */
	int read_ok;            /* its read through the inherited fd got the file's bytes */
	int kcmp_shared;        /* kcmp of the inherited fd with the parent's: 0 = one open file */
	int kcmp_own;           /* kcmp of the child's own fd with the parent's: expected non-zero */
};

static void look(struct report *r, int shared, int own)
{
	pid_t me = getpid(), parent = getppid();

	r->shared = lseek(shared, 0, SEEK_CUR);
	r->own = lseek(own, 0, SEEK_CUR);
	r->kcmp_shared = syscall(SYS_kcmp, me, parent, KCMP_FILE_, shared, shared);
	r->kcmp_own = syscall(SYS_kcmp, me, parent, KCMP_FILE_, own, shared);
}

static int child(int shared, int rep, const char *data)
{
	struct report r = { 0 };
	char buf[NREAD];
	int own = open(test_path("test"), O_RDONLY);

	if (own < 0 || lseek(own, OFF_OWN, SEEK_SET) != OFF_OWN)
		return 10;
	/* the first report says the state is built */
	look(&r, shared, own);
	r.read_ok = 1;
	if (write_all(rep, &r, sizeof(r)))
		return 11;
	waiter_wait(w, 1);
	look(&r, shared, own);
	r.read_ok = r.shared >= 0 && r.shared + NREAD <= FILE_SIZE &&
		    read(shared, buf, NREAD) == NREAD && !memcmp(buf, data + r.shared, NREAD);
	if (write_all(rep, &r, sizeof(r)))
		return 11;
	waiter_wait(w, 2);
	look(&r, shared, own);
	return write_all(rep, &r, sizeof(r)) ? 12 : 0;
}

static int expect_report(int rep, off_t shared, const char *when)
{
	struct report r;

	if (read_all(rep, &r, sizeof(r)) != sizeof(r))
		return fail("no report from the child %s", when);
	if (r.kcmp_shared != 0 || r.kcmp_own == 0)
		return fail("%s kcmp with the parent's fd: %d for the inherited fd, %d for the child's own; "
			    "expected 0 (one open file) and non-zero", when, r.kcmp_shared, r.kcmp_own);
	if (r.shared != shared || r.own != OFF_OWN)
		return fail("%s the child's offsets: inherited fd %ld, own fd %ld; expected %ld and %ld", when,
			    (long)r.shared, (long)r.own, (long)shared, (long)OFF_OWN);
	if (!r.read_ok)
		return fail("%s the child's read of %d bytes through the inherited fd did not return the file's bytes",
			    when, NREAD);
	return 0;
}

static int check(int fd, int rep)
{
	waiter_post(w, 1);
	if (expect_report(rep, OFF_SHARED, "after C/R"))
		return 1;
	/* the child's read moved the offset the parent sees */
	if (expect_int("the parent's offset after the child read", lseek(fd, 0, SEEK_CUR), OFF_SHARED + NREAD))
		return 1;
	if (lseek(fd, OFF_MOVED, SEEK_SET) != OFF_MOVED)
		return fail_errno("lseek");
	waiter_post(w, 2);
	return expect_report(rep, OFF_MOVED, "after the parent's lseek");
}

int main(int argc, char **argv)
{
	static char data[FILE_SIZE];
	int fd, rep[2], status, ret;
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	datagen(data, sizeof(data), 17);
	fd = open(test_path("test"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, data, sizeof(data)) || lseek(fd, OFF_SHARED, SEEK_SET) != OFF_SHARED)
		return fail_errno("write %s", test_path("test"));
	if (pipe(rep))
		return fail_errno("pipe");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		_exit(child(fd, rep[1], data));
	close(rep[1]);
	if (expect_report(rep[0], OFF_SHARED, "before C/R")) {
		waiter_post(w, 2);
		waitpid(pid, &status, 0);
		return 1;
	}

	test_daemon();
	test_waitsig();

	ret = check(fd, rep[0]);
	waiter_post(w, 2);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (!ret && status != 0)
		return fail("child ended with status %#x, expected exit 0", status);
	return ret ? ret : pass();
}
