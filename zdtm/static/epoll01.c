#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "one pipe read end registered in an epoll set three times, under three fds (dup), each with its own events and data",
	  .flavors = ZDTM_ALL_FLAVORS);

#define N 3

int main(int argc, char **argv)
{
	static const unsigned ev[N] = { EPOLLIN, EPOLLIN | EPOLLET, EPOLLIN | EPOLLRDHUP };
	static const unsigned long long data[N] = { 0x1111deadbeefULL, 0x2222cafef00dULL, 0x3333abad1deaULL };
	struct epoll_event e, got[N + 1];
	char lines[512];
	int p[2], fd[N], ep, seen = 0;

	test_init(argc, argv);
	ep = epoll_create1(0);
	if (ep < 0 || pipe(p))
		return fail_errno("epoll_create1, pipe");
	for (int i = 0; i < N; i++) {
		fd[i] = i ? dup(p[0]) : p[0];
		e = (struct epoll_event){ .events = ev[i], .data.u64 = data[i] };
		if (fd[i] < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd[i], &e))
			return fail_errno("register fd %d", fd[i]);
	}

	test_daemon();
	test_waitsig();

	if (fdinfo_lines(ep, "tfd:", lines, sizeof(lines)) < 0)
		return fail_errno("fdinfo of the epoll fd");
	/* Each line: "FD events: HEX data: HEX pos:... ino:... sdev:..."; the kernel adds EPOLLERR|EPOLLHUP. */
	for (char *l = strtok(lines, ";"); l; l = strtok(NULL, ";")) {
		unsigned long long d;
		unsigned evs;
		int tfd, i;

		if (sscanf(l, "%d events: %x data: %llx", &tfd, &evs, &d) != 3)
			return fail("unreadable epoll fdinfo line \"%s\"", l);
		for (i = 0; i < N && fd[i] != tfd; i++)
			;
		if (i == N)
			return fail("epoll fdinfo has tfd %d, expected only %d, %d, %d", tfd, fd[0], fd[1], fd[2]);
		evs &= ~(EPOLLERR | EPOLLHUP);
		if (evs != ev[i] || d != data[i])
			return fail("tfd %d: events %#x data %#llx, expected %#x and %#llx", tfd, evs, d, ev[i], data[i]);
		seen |= 1 << i;
	}
	if (expect_int("registrations in the epoll fdinfo (bit mask)", seen, (1 << N) - 1))
		return 1;
	seen = 0;
	if (write(p[1], "x", 1) != 1)
		return fail_errno("write");
	int n = epoll_wait(ep, got, N + 1, 1000);
	if (expect_int("events from one readable pipe", n, N))
		return 1;
	for (int i = 0; i < n; i++)
		for (int j = 0; j < N; j++)
			if (got[i].data.u64 == data[j] && (got[i].events & EPOLLIN))
				seen |= 1 << j;
	if (expect_int("registrations that reported EPOLLIN (bit mask)", seen, (1 << N) - 1))
		return 1;
	return pass();
}
