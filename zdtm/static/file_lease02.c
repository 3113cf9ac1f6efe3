#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

/* file_lease03.c includes this file with SHARED_OFD and its own declaration. */
#ifndef SHARED_OFD
#define SHARED_OFD 0
ZDTM_TEST(.doc = "a read lease being broken (a writer's non-blocking open started the break; the lease-break signal came): still breaking after C/R, and released by F_UNLCK the writer gets in",
	  .flavors = ZDTM_ALL_FLAVORS, .opts = "--file-locks");
#endif

static volatile sig_atomic_t breaks;

static void on_break(int sig)
{
	(void)sig;
	breaks++;
}

/* A writer opens the file without waiting: -1 with EWOULDBLOCK while a lease is in the way. */
static int writer_open(void)
{
	int fd = open(test_path("leased"), O_WRONLY | O_NONBLOCK);

	if (fd >= 0)
		close(fd);
	return fd < 0 ? errno : 0;
}

int main(int argc, char **argv)
{
	char before[256] = "", after[256] = "";
	int fd, other, lease, err;

	test_init(argc, argv);
	if (signal(SIGIO, on_break) == SIG_ERR)
		return fail_errno("SIGIO handler");
	if (close(open(test_path("leased"), O_WRONLY | O_CREAT | O_TRUNC, 0644)))
		return fail_errno("create %s", test_path("leased"));
	fd = open(test_path("leased"), O_RDONLY);
	other = SHARED_OFD ? dup(fd) : fd;   /* the lease is the open file description's */
	if (fd < 0 || other < 0 || fcntl(fd, F_SETLEASE, F_RDLCK))
		return fail_errno("a read lease on %s", test_path("leased"));
	err = writer_open();
	if (expect_int("a writer's open under the lease: errno", err, EWOULDBLOCK))
		return 1;
	for (int ms = 0; ms < 2000 && !breaks; ms++)
		usleep(1000);
	if (expect_int("lease-break signals (SIGIO) before C/R", breaks, 1))
		return 1;
	/* Checked below, with a message that says what a change means (the memory digest would only
	 * say that a page of the data differs). */
	test_volatile((const void *)&breaks, sizeof(breaks));
	lease = fcntl(fd, F_GETLEASE);
	if (proc_locks_of(fd, before, sizeof(before)) != 1)
		return fail("/proc/locks before C/R: \"%s\", expected one lease line", before);

	test_daemon();
	test_waitsig();

	if (expect_int("lease-break signals (SIGIO) after C/R: the break was signalled once", breaks, 1) ||
	    expect_int("F_GETLEASE of the breaking lease", fcntl(other, F_GETLEASE), lease) ||
	    proc_locks_of(other, after, sizeof(after)) < 0 || expect_str("/proc/locks for the file", after, before))
		return 1;
	if (fcntl(other, F_SETLEASE, F_UNLCK))
		return fail_errno("F_UNLCK the lease");
	if (expect_int("a writer's open after F_UNLCK: errno", writer_open(), 0) ||
	    expect_int("F_GETLEASE after F_UNLCK", fcntl(fd, F_GETLEASE), F_UNLCK))
		return 1;
	return pass();
}
