#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an epoll set over pipe ends and eventfds keeps its masks, data and readiness",
	  .flavors = ZDTM_ALL_FLAVORS);

enum { NWATCH = 5 };

struct watch {
	int fd;
	uint32_t events;
	uint64_t data;
	uint32_t ready;         /* what epoll_wait must report; 0: not ready */
};

/* "tfd: N events: X data: Y" of every watch, sorted: the kernel's own view of the set. */
static int fdinfo_watches(int epfd, char *out, size_t len)
{
	char path[64], line[256], lines[NWATCH + 1][128];
	int n = 0, tfd;
	unsigned ev;
	unsigned long long data;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", epfd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f) && n <= NWATCH)
		if (sscanf(line, "tfd: %d events: %x data: %llx", &tfd, &ev, &data) == 3)
			snprintf(lines[n++], sizeof(lines[0]), "tfd %d events %x data %llx;", tfd, ev, data);
	fclose(f);
	qsort(lines, n, sizeof(lines[0]), (int (*)(const void *, const void *))strcmp);
	out[0] = 0;
	for (int i = 0; i < n; i++)
		strncat(out, lines[i], len - strlen(out) - 1);
	return n;
}

/* epoll_wait reports exactly the watches marked ready, with their data. */
static int expect_ready(int epfd, const struct watch *w)
{
	struct epoll_event ev[NWATCH + 1];
	int n = epoll_wait(epfd, ev, NWATCH + 1, 0), want = 0;

	if (n < 0)
		return fail_errno("epoll_wait");
	for (int i = 0; i < NWATCH; i++)
		want += !!w[i].ready;
	if (n != want)
		return fail("epoll_wait reports %d ready fds, expected %d", n, want);
	for (int k = 0; k < n; k++) {
		int i = 0;

		while (i < NWATCH && w[i].data != ev[k].data.u64)
			i++;
		if (i == NWATCH || !w[i].ready)
			return fail("epoll_wait reports data 0x%llx, expected it not ready or unknown",
				    (unsigned long long)ev[k].data.u64);
		if (ev[k].events != w[i].ready)
			return fail("data 0x%llx ready with events 0x%x, expected 0x%x",
				    (unsigned long long)w[i].data, ev[k].events, w[i].ready);
	}
	return 0;
}

int main(int argc, char **argv)
{
	char before[1024], after[1024];
	struct watch w[NWATCH];
	int p1[2], p2[2], efd_set, efd_zero, epfd;

	test_init(argc, argv);
	if (pipe(p1) || pipe(p2))
		return fail_errno("pipe");
	efd_set = eventfd(7, 0);
	efd_zero = eventfd(0, EFD_NONBLOCK);
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (efd_set < 0 || efd_zero < 0 || epfd < 0)
		return fail_errno("eventfd/epoll_create1");
	if (write(p1[1], "data", 4) != 4)
		return fail_errno("fill pipe");
	w[0] = (struct watch){ p1[0], EPOLLIN, 0xa1a1a1a1a1a1a1a1ull, EPOLLIN };
	w[1] = (struct watch){ p2[0], EPOLLIN | EPOLLPRI, 0xb2, 0 };
	w[2] = (struct watch){ p2[1], EPOLLOUT | EPOLLET, 0xc3c3c3c3ull << 32, EPOLLOUT };
	w[3] = (struct watch){ efd_set, EPOLLIN | EPOLLOUT, 0xd4, EPOLLIN | EPOLLOUT };
	w[4] = (struct watch){ efd_zero, EPOLLIN | EPOLLONESHOT, 0xe5, 0 };
	for (int i = 0; i < NWATCH; i++) {
		struct epoll_event ev = { .events = w[i].events, .data.u64 = w[i].data };

		if (epoll_ctl(epfd, EPOLL_CTL_ADD, w[i].fd, &ev))
			return fail_errno("EPOLL_CTL_ADD fd %d", w[i].fd);
	}
	if (fdinfo_watches(epfd, before, sizeof(before)) != NWATCH)
		return fail("fdinfo of the epoll fd lists %d watches before C/R, expected %d",
			    fdinfo_watches(epfd, before, sizeof(before)), NWATCH);

	test_daemon();
	test_waitsig();

	if (fdinfo_watches(epfd, after, sizeof(after)) < 0)
		return fail_errno("read fdinfo of the epoll fd");
	if (expect_str("epoll fdinfo watches", after, before) || expect_ready(epfd, w))
		return 1;
	/* the watches still follow their files: fill the empty pipe, bump the zero eventfd */
	if (write(p2[1], "x", 1) != 1 || eventfd_write(efd_zero, 1))
		return fail_errno("make the idle fds ready");
	w[1].ready = EPOLLIN;
	w[2].ready = 0;          /* edge-triggered: no new edge on the write end */
	w[4].ready = EPOLLIN;
	return expect_ready(epfd, w) ? 1 : pass();
}
