#include <linux/filter.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a non-blocking TCP connect in SYN_SENT (its SYNs dropped by the listener's socket filter) completes after C/R once the filter is gone, and carries data",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens suid", .opts = "--tcp-established");

/*
 * A listener's socket filter sees the SYNs that come to it: one that drops everything keeps the
 * client in SYN_SENT, retransmitting its SYN (after 1 s, 3 s, 7 s...). After C/R the filter is
 * detached: the next SYN gets through and the connect completes. (A full accept queue drops SYNs
 * too, but criu refuses the unaccepted connection in it: "In-flight connection".) Only root may
 * attach a filter to a TCP socket here (EPERM as uid 18943 in uns): suid.
 */
static struct sock_filter drop_all[] = { BPF_STMT(BPF_RET | BPF_K, 0) };

int main(int argc, char **argv)
{
	struct sockaddr_storage a;
	socklen_t len = loopback_addr(AF_INET, 0, &a);
	struct pollfd p;
	struct sock_fprog prog = { 1, drop_all };
	int srv, syn, acc, err = -1, zero = 0;
	socklen_t elen = sizeof(err);
	char c = 0;

	test_init(argc, argv);
	srv = socket(AF_INET, SOCK_STREAM, 0);
	if (srv < 0 || bind(srv, (struct sockaddr *)&a, len) || listen(srv, 1) ||
	    getsockname(srv, (struct sockaddr *)&a, &len) ||
	    setsockopt(srv, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)))
		return fail_errno("a listener on 127.0.0.1 that drops every packet");
	syn = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (syn < 0 || connect(syn, (struct sockaddr *)&a, len) != -1 || errno != EINPROGRESS)
		return fail_errno("a non-blocking connect: expected EINPROGRESS");
	usleep(100000);   /* the SYN went out over lo and was dropped */
	if (expect_str("the connecting socket's state", tcp_state_name(syn), "SYN_SENT"))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_str("the connecting socket's state", tcp_state_name(syn), "SYN_SENT"))
		return 1;
	if (setsockopt(srv, SOL_SOCKET, SO_DETACH_FILTER, &zero, sizeof(zero)))
		return fail_errno("SO_DETACH_FILTER after C/R");
	p = (struct pollfd){ .fd = syn, .events = POLLOUT };
	if (poll(&p, 1, 20000) != 1)
		return fail("the connect did not complete within 20 s; state %s", tcp_state_name(syn));
	if (getsockopt(syn, SOL_SOCKET, SO_ERROR, &err, &elen) || err)
		return fail("the connect completed with SO_ERROR %d (%s), expected 0", err, strerror(err));
	acc = accept(srv, NULL, NULL);
	if (acc < 0)
		return fail_errno("accept the connection");
	if (write(syn, "s", 1) != 1 || read(acc, &c, 1) != 1 || c != 's')
		return fail_errno("a byte over the new connection: read '%c', expected 's'", c ? c : '-');
	return expect_str("the connected socket's state", tcp_state_name(syn), "ESTABLISHED") ? 1 : pass();
}
