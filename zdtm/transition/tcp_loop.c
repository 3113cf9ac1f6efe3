#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

/* socket-tcp6.c includes this file with TEST_FAMILY AF_INET6 (over ::1) and its own declaration. */
#ifndef TEST_FAMILY
#define TEST_FAMILY AF_INET
ZDTM_TEST(.doc = "an established TCP connection over 127.0.0.1 carries a continuous CRC-stamped stream both ways, every byte checked",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition nouser samens", .opts = "--tcp-established");
#endif

#define RECLEN 1499             /* not a divisor of anything: records straddle segments and reads */
#define PATIENCE 100            /* 100 ms polls without progress before it is a finding */

/* Each side sends records k = 0, 1, ... of datagen(side << 31 | k); a side ends on a record boundary. */
struct stream {
	int fd, side;
	unsigned out_rec, in_rec;       /* records sent and received whole */
	size_t out_off, in_off;         /* bytes of the current record */
	bool stopping, out_done, in_done;
	char out[RECLEN], in[RECLEN], want[RECLEN];
	char problem[200];
};

static struct shared {
	unsigned sent, received;        /* the child's records */
	char report[200];               /* the child's finding */
} *sh;

static void sent_some(struct stream *s, size_t n)
{
	s->out_off += n;
	if (s->out_off < RECLEN)
		return;
	s->out_rec++, s->out_off = 0;
	datagen(s->out, RECLEN, (uint32_t)s->side << 31 | s->out_rec);
}

/* A record came in whole: it must be the peer's next. */
static void check_record(struct stream *s)
{
	datagen(s->want, RECLEN, (uint32_t)!s->side << 31 | s->in_rec);
	if (memcmp(s->in, s->want, RECLEN))
		snprintf(s->problem, sizeof(s->problem), "side %d: record %u holds other bytes (CRC stamp %s)",
			 s->side, s->in_rec, datachk(s->in, RECLEN) ? "intact: another record" : "broken");
	s->in_rec++, s->in_off = 0;
}

/* One poll: sends what the socket takes, checks what came. 1 if anything moved. */
static int pump(struct stream *s)
{
	struct pollfd pfd = { .fd = s->fd, .events = (s->in_done ? 0 : POLLIN) | (s->out_done ? 0 : POLLOUT) };
	ssize_t n;
	int moved = 0;

	if (s->stopping && !s->out_done && !s->out_off) {
		s->out_done = 1;
		if (shutdown(s->fd, SHUT_WR))
			snprintf(s->problem, sizeof(s->problem), "side %d: shutdown: errno %d", s->side, errno);
		return 1;
	}
	if (poll(&pfd, 1, 100) <= 0)
		return 0;               /* EINTR (SIGTERM) counts as a quiet poll */
	if ((pfd.revents & POLLOUT) && (n = send(s->fd, s->out + s->out_off, RECLEN - s->out_off,
						  MSG_DONTWAIT)) > 0)
		sent_some(s, n), moved = 1;
	else if ((pfd.revents & POLLOUT) && n < 0 && errno != EAGAIN && errno != EINTR)
		snprintf(s->problem, sizeof(s->problem), "side %d: send of record %u: errno %d", s->side,
			 s->out_rec, errno);
	if (!(pfd.revents & (POLLIN | POLLHUP | POLLERR)) || s->in_done)
		return moved;
	n = recv(s->fd, s->in + s->in_off, RECLEN - s->in_off, MSG_DONTWAIT);
	if (n > 0 && (s->in_off += n) == RECLEN)
		check_record(s);
	else if (n == 0 && s->in_off)
		snprintf(s->problem, sizeof(s->problem), "side %d: EOF within record %u, after %zu of %d bytes",
			 s->side, s->in_rec, s->in_off, RECLEN);
	else if (n == 0)
		s->in_done = 1;
	else if (n < 0 && errno != EAGAIN && errno != EINTR)
		snprintf(s->problem, sizeof(s->problem), "side %d: recv of record %u: errno %d", s->side,
			 s->in_rec, errno);
	return moved || n >= 0;
}

static bool in_done(struct stream *s)
{
	return s->in_done;
}

static bool out_done(struct stream *s)
{
	return s->out_done;
}

/* The main process streams until SIGTERM, and at least a few records each way (--nocr). */
static bool cr_over(struct stream *s)
{
	return !test_go() && s->in_rec >= 8 && s->out_rec >= 8;
}

/* Pumps until done(s) or a finding; a finding also when nothing moves for PATIENCE polls. */
static void pump_until(struct stream *s, bool (*done)(struct stream *))
{
	int quiet = 0;

	while (!done(s) && !s->problem[0])
		if (pump(s))
			quiet = 0;
		else if (++quiet == PATIENCE)
			snprintf(s->problem, sizeof(s->problem), "side %d: nothing moved for %d ms, %u records sent, "
				 "%u received", s->side, PATIENCE * 100, s->out_rec, s->in_rec);
}

static void stream_init(struct stream *s, int fd, int side)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd, s->side = side;
	datagen(s->out, RECLEN, (uint32_t)side << 31);
}

/* The child sends until the main process's stream ends, then ends its own. */
static void child(int fd)
{
	static struct stream s;

	stream_init(&s, fd, 1);
	pump_until(&s, in_done);
	s.stopping = 1;
	pump_until(&s, out_done);
	sh->sent = s.out_rec, sh->received = s.in_rec;
	memcpy(sh->report, s.problem, sizeof(sh->report));
	_exit(s.problem[0] != 0);
}

int main(int argc, char **argv)
{
	static struct stream s;
	char ends[2][64], now[2][64];
	int sk[2], status;
	pid_t pid;

	test_init(argc, argv);
	signal(SIGPIPE, SIG_IGN);       /* a broken connection is a finding, not a death */
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return fail_errno("mmap");
	if (tcp_pair(TEST_FAMILY, 0, sk)) {   /* sk[0] the client (the child's), sk[1] accepted */
		if (errno == EAFNOSUPPORT || errno == EADDRNOTAVAIL)
			return skip("no IPv6 loopback here");
		return fail_errno("tcp connection over the loopback");
	}
	if (inet_name(sk[1], false, ends[0], sizeof(ends[0])) || inet_name(sk[1], true, ends[1], sizeof(ends[1])))
		return fail_errno("the accepted end's addresses");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		close(sk[1]);
		child(sk[0]);
	}
	close(sk[0]);
	stream_init(&s, sk[1], 0);

	test_daemon();
	pump_until(&s, cr_over);
	if (inet_name(s.fd, false, now[0], sizeof(now[0])) || inet_name(s.fd, true, now[1], sizeof(now[1])))
		snprintf(now[0], sizeof(now[0]), "%s", strerror(errno));   /* reported after the stream */
	s.stopping = 1;
	pump_until(&s, out_done);
	pump_until(&s, in_done);
	if (s.problem[0])
		kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	test_waitsig();

	if (expect_clean_end(sh->report, s.problem, status))
		return 1;
	if (expect_str("the accepted end's own address", now[0], ends[0]) ||
	    expect_str("the accepted end's peer", now[1], ends[1]))
		return 1;
	if (expect_int("records the child received", sh->received, s.out_rec) ||
	    expect_int("records received from the child", s.in_rec, sh->sent))
		return 1;
	test_msg("%u records sent, %u received", s.out_rec, s.in_rec);
	return pass();
}
