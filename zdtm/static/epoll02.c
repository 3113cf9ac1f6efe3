#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an epoll set whose target fds were dup2()ed to other numbers and closed: the registrations keep their old fd numbers (each its own), events and data, and fire for the moved files",
	  .flavors = ZDTM_ALL_FLAVORS);

#define N 2
#define MOVED 40        /* the files live on at MOVED + i */

int main(int argc, char **argv)
{
	static const unsigned long long data[N] = { 0xaaaa0001ULL, 0xbbbb0002ULL };
	struct epoll_event e, got[N + 1];
	int p[N][2], old[N], ep, seen = 0, n;
	char lines[512];

	test_init(argc, argv);
	ep = epoll_create1(0);
	if (ep < 0)
		return fail_errno("epoll_create1");
	for (int i = 0; i < N; i++) {
		if (pipe(p[i]))
			return fail_errno("pipe");
		old[i] = p[i][0];
		e = (struct epoll_event){ .events = EPOLLIN, .data.u64 = data[i] };
		if (epoll_ctl(ep, EPOLL_CTL_ADD, old[i], &e))
			return fail_errno("register fd %d", old[i]);
	}
	for (int i = 0; i < N; i++)
		if (dup2(old[i], MOVED + i) != MOVED + i || close(old[i]))
			return fail_errno("move fd %d to %d", old[i], MOVED + i);

	test_daemon();
	test_waitsig();

	if (fdinfo_lines(ep, "tfd:", lines, sizeof(lines)) != N)
		return fail("epoll fdinfo: \"%s\", expected %d registrations", lines, N);
	for (char *l = strtok(lines, ";"); l; l = strtok(NULL, ";")) {
		unsigned long long d;
		unsigned evs;
		int tfd, i;

		if (sscanf(l, "%d events: %x data: %llx", &tfd, &evs, &d) != 3)
			return fail("unreadable epoll fdinfo line \"%s\"", l);
		for (i = 0; i < N && old[i] != tfd; i++)
			;
		if (i == N || d != data[i] || (evs & ~(EPOLLERR | EPOLLHUP)) != EPOLLIN)
			return fail("epoll fdinfo line \"%s\", expected tfd %d or %d with EPOLLIN and its data", l,
				    old[0], old[1]);
	}
	for (int i = 0; i < N; i++)
		if (fcntl(old[i], F_GETFD) != -1)
			return fail("fd %d is open again, expected closed", old[i]);
	if (write(p[1][1], "x", 1) != 1)
		return fail_errno("write");
	n = epoll_wait(ep, got, N + 1, 1000);
	if (expect_int("events after a write to the second pipe", n, 1) ||
	    expect_int("its data", got[0].data.u64, data[1]))
		return 1;
	if (write(p[0][1], "x", 1) != 1)
		return fail_errno("write");
	n = epoll_wait(ep, got, N + 1, 1000);
	for (int i = 0; i < n; i++)
		seen |= got[i].data.u64 == data[0] ? 1 : got[i].data.u64 == data[1] ? 2 : 4;
	if (expect_int("registrations that fire with both pipes readable (bit mask)", seen, 3))
		return 1;
	/* The kernel keys a registration by (file, fd number): the moved numbers are free to add. */
	for (int i = 0; i < N; i++) {
		e = (struct epoll_event){ .events = EPOLLIN, .data.u64 = i };
		if (epoll_ctl(ep, EPOLL_CTL_ADD, MOVED + i, &e))
			return fail_errno("EPOLL_CTL_ADD of the moved fd %d, expected it not registered yet", MOVED + i);
	}
	return pass();
}
