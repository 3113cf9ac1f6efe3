#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an epoll fd in flight (SCM_RIGHTS, its only reference) watching a readable eventfd: received after C/R, it reports the event with its data",
	  .flavors = ZDTM_ALL_FLAVORS);

#define DATA 0x5c0505c0ULL

int main(int argc, char **argv)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = DATA };
	int sk[2], efd, ep, got = -1, nfds = 1;
	uint64_t count = 0;
	char buf[8] = "";

	test_init(argc, argv);
	efd = eventfd(3, EFD_NONBLOCK);
	ep = epoll_create1(0);
	if (efd < 0 || ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev))
		return fail_errno("an epoll watching an eventfd");
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sk) || scm_send(sk[0], "ep", 3, &ep, 1))
		return fail_errno("send the epoll fd");
	close(ep);   /* it lives only in the message now */

	test_daemon();
	test_waitsig();

	if (scm_recv(sk[1], buf, sizeof(buf), &got, &nfds) != 3 || nfds != 1)
		return fail_errno("the message with the epoll fd: %d fds, expected 1", nfds);
	if (expect_str("message", buf, "ep"))
		return 1;
	ev = (struct epoll_event){ 0 };
	if (expect_int("events from the passed epoll", epoll_wait(got, &ev, 1, 0), 1) ||
	    expect_int("event mask", ev.events, EPOLLIN) || expect_int("event data", ev.data.u64, DATA))
		return 1;
	if (read(efd, &count, sizeof(count)) != sizeof(count))
		return fail_errno("read the eventfd");
	if (expect_int("eventfd counter", count, 3))
		return 1;
	return expect_int("events once the eventfd is drained", epoll_wait(got, &ev, 1, 0), 0) ? 1 : pass();
}
