/*
 * Socket set-ups and readings that several tests share: a loopback address, a connected TCP pair
 * over loopback, a TCP socket's state by name, an inet or unix socket's name as text, fds passed
 * in a unix message.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "zdtm.h"

unsigned loopback_addr(int family, int port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	ss->ss_family = family;
	if (family == AF_INET6) {
		a6->sin6_addr = in6addr_loopback;
		a6->sin6_port = htons(port);
		return sizeof(*a6);
	}
	a4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a4->sin_port = htons(port);
	return sizeof(*a4);
}

const char *inet_str(const void *sa, char *buf, size_t len)
{
	const struct sockaddr_in *a4 = sa;
	const struct sockaddr_in6 *a6 = sa;
	char host[INET6_ADDRSTRLEN] = "?";

	if (a4->sin_family == AF_INET6) {
		inet_ntop(AF_INET6, &a6->sin6_addr, host, sizeof(host));
		snprintf(buf, len, "[%s]:%d", host, ntohs(a6->sin6_port));
	} else if (a4->sin_family == AF_INET) {
		inet_ntop(AF_INET, &a4->sin_addr, host, sizeof(host));
		snprintf(buf, len, "%s:%d", host, ntohs(a4->sin_port));
	} else {
		snprintf(buf, len, "(family %d)", a4->sin_family);
	}
	return buf;
}

int inet_name(int fd, bool peer, char *buf, size_t len)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t alen = sizeof(ss);

	if (peer ? getpeername(fd, (struct sockaddr *)&ss, &alen) : getsockname(fd, (struct sockaddr *)&ss, &alen))
		return -1;
	inet_str(&ss, buf, len);
	return 0;
}

int tcp_pair(int family, int port, int fd[2])
{
	struct sockaddr_storage ss;
	socklen_t len = loopback_addr(family, port, &ss);
	int srv = socket(family, SOCK_STREAM, 0), one = 1, ret = -1;

	fd[0] = fd[1] = -1;
	if (srv < 0 || setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(srv, (struct sockaddr *)&ss, len) || listen(srv, 1) ||
	    getsockname(srv, (struct sockaddr *)&ss, &len))
		goto out;
	fd[0] = socket(family, SOCK_STREAM, 0);
	if (fd[0] < 0 || connect(fd[0], (struct sockaddr *)&ss, len))
		goto out;
	fd[1] = accept(srv, NULL, NULL);
	ret = fd[1] < 0 ? -1 : 0;
out:
	if (srv >= 0)
		close(srv);
	return ret;
}

int tcp_pair_4v6(int port, int fd[2])
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT, .sin6_port = htons(port) };
	struct sockaddr_storage ss;
	socklen_t len = sizeof(a6);
	int srv = socket(AF_INET6, SOCK_STREAM, 0), one = 1, zero = 0, ret = -1;

	fd[0] = fd[1] = -1;
	if (srv < 0 || setsockopt(srv, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) ||
	    setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(srv, (struct sockaddr *)&a6, len) || listen(srv, 1) ||
	    getsockname(srv, (struct sockaddr *)&a6, &len))
		goto out;
	len = loopback_addr(AF_INET, ntohs(a6.sin6_port), &ss);
	fd[0] = socket(AF_INET, SOCK_STREAM, 0);
	if (fd[0] < 0 || connect(fd[0], (struct sockaddr *)&ss, len))
		goto out;
	fd[1] = accept(srv, NULL, NULL);
	ret = fd[1] < 0 ? -1 : 0;
out:
	if (srv >= 0)
		close(srv);
	return ret;
}

const char *tcp_state_name(int fd)
{
	static const char *const states[] = {
		"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT",
		"CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
	};
	struct tcp_info ti = { 0 };
	socklen_t len = sizeof(ti);

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
		return "(no TCP_INFO)";
	return ti.tcpi_state < sizeof(states) / sizeof(states[0]) ? states[ti.tcpi_state] : "(unknown)";
}

int unix_name(int fd, bool peer, char *buf, size_t len)
{
	struct sockaddr_un a = { 0 };
	socklen_t alen = sizeof(a);
	size_t path_len;

	if (peer ? getpeername(fd, (struct sockaddr *)&a, &alen) : getsockname(fd, (struct sockaddr *)&a, &alen))
		return -1;
	path_len = alen > offsetof(struct sockaddr_un, sun_path) ? alen - offsetof(struct sockaddr_un, sun_path) : 0;
	if (!path_len)
		snprintf(buf, len, "%s", "");
	else if (a.sun_path[0] == 0)   /* abstract: not NUL-terminated, may hold anything */
		snprintf(buf, len, "@%.*s", (int)path_len - 1, a.sun_path + 1);
	else
		snprintf(buf, len, "%.*s", (int)strnlen(a.sun_path, path_len), a.sun_path);
	return 0;
}

#define SCM_MAX_FDS 16

int scm_send(int sk, const void *data, size_t len, const int *fds, int nfds)
{
	union { char buf[CMSG_SPACE(SCM_MAX_FDS * sizeof(int))]; struct cmsghdr align; } u = { 0 };
	struct iovec iov = { (void *)data, len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			     .msg_controllen = CMSG_SPACE(nfds * sizeof(int)) };
	struct cmsghdr *ch = CMSG_FIRSTHDR(&mh);

	if (nfds < 1 || nfds > SCM_MAX_FDS) {
		errno = EINVAL;
		return -1;
	}
	ch->cmsg_level = SOL_SOCKET;
	ch->cmsg_type = SCM_RIGHTS;
	ch->cmsg_len = CMSG_LEN(nfds * sizeof(int));
	memcpy(CMSG_DATA(ch), fds, nfds * sizeof(int));
	return sendmsg(sk, &mh, MSG_DONTWAIT) == (ssize_t)len ? 0 : -1;
}

ssize_t scm_recv(int sk, void *buf, size_t len, int *fds, int *nfds)
{
	union { char buf[CMSG_SPACE(SCM_MAX_FDS * sizeof(int))]; struct cmsghdr align; } u = { 0 };
	struct iovec iov = { buf, len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			     .msg_controllen = CMSG_SPACE(*nfds * sizeof(int)) };
	ssize_t n = recvmsg(sk, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	int room = *nfds;

	*nfds = 0;
	if (n < 0)
		return -1;
	for (struct cmsghdr *ch = CMSG_FIRSTHDR(&mh); ch; ch = CMSG_NXTHDR(&mh, ch)) {
		int k = (ch->cmsg_len - CMSG_LEN(0)) / sizeof(int);

		if (ch->cmsg_level != SOL_SOCKET || ch->cmsg_type != SCM_RIGHTS || *nfds + k > room)
			continue;
		memcpy(fds + *nfds, CMSG_DATA(ch), k * sizeof(int));
		*nfds += k;
	}
	if (mh.msg_flags & MSG_CTRUNC) {
		errno = EMSGSIZE;
		return -1;
	}
	return n;
}

/* A kernel answers a datagram to a closed port with ICMP port unreachable: the connected socket
 * reads ECONNREFUSED. */
int udp_refused(const char *ip)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	int sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret = -1;
	char c;

	inet_pton(AF_INET, ip, &to.sin_addr);
	if (sk < 0 || connect(sk, (struct sockaddr *)&to, sizeof(to)))
		return -1;
	for (int i = 0; i < 30 && ret; i++) {   /* the first ones wait for ARP */
		struct pollfd p = { .fd = sk, .events = POLLIN };

		if (send(sk, "x", 1, 0) < 0 && errno == ECONNREFUSED)
			ret = 0;
		else if (poll(&p, 1, 100) == 1 && recv(sk, &c, 1, 0) < 0 && errno == ECONNREFUSED)
			ret = 0;
	}
	close(sk);
	return ret;
}

