#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a unix message in flight carrying two fds (SCM_RIGHTS): a pipe's read end with data and a regular file",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PIPE_BYTES 1000
#define FILE_BYTES 5000
#define FILE_OFF 1234    /* the passed file's offset: part of its open file description */

static const char payload[] = "scm00 message";

static int send_fds(int sk, int fd0, int fd1)
{
	union { char buf[CMSG_SPACE(2 * sizeof(int))]; struct cmsghdr align; } u = { 0 };
	struct iovec iov = { (void *)payload, sizeof(payload) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *ch = CMSG_FIRSTHDR(&mh);
	int fds[2] = { fd0, fd1 };

	ch->cmsg_level = SOL_SOCKET;
	ch->cmsg_type = SCM_RIGHTS;
	ch->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(ch), fds, sizeof(fds));
	return sendmsg(sk, &mh, MSG_DONTWAIT) == (ssize_t)sizeof(payload) ? 0 : -1;
}

/* Receives the message: its payload and exactly two fds. */
static int recv_fds(int sk, int fds[2])
{
	union { char buf[CMSG_SPACE(4 * sizeof(int))]; struct cmsghdr align; } u = { 0 };
	char buf[sizeof(payload) + 16];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *ch;
	ssize_t n = recvmsg(sk, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);

	if (n < 0)
		return fail_errno("recvmsg after C/R: no message");
	if (expect_int("message length", n, sizeof(payload)) ||
	    expect_bytes("message payload", buf, payload, sizeof(payload)))
		return 1;
	if (mh.msg_flags & MSG_CTRUNC)
		return fail("control data truncated (MSG_CTRUNC)");
	ch = CMSG_FIRSTHDR(&mh);
	if (!ch || ch->cmsg_level != SOL_SOCKET || ch->cmsg_type != SCM_RIGHTS)
		return fail("no SCM_RIGHTS control message (level %d type %d)",
			    ch ? ch->cmsg_level : -1, ch ? ch->cmsg_type : -1);
	if (expect_int("fds in the message", (ch->cmsg_len - CMSG_LEN(0)) / sizeof(int), 2))
		return 1;
	memcpy(fds, CMSG_DATA(ch), 2 * sizeof(int));
	if (CMSG_NXTHDR(&mh, ch))
		return fail("a second control message, expected one");
	return 0;
}

/* The passed pipe read end holds want, and is still connected to wfd. */
static int expect_pipe(int rfd, int wfd, const char *want)
{
	static char buf[PIPE_BYTES + 1];
	struct stat rs, ws;
	char c = 0;

	if (fstat(rfd, &rs) || fstat(wfd, &ws))
		return fail_errno("fstat");
	if (!S_ISFIFO(rs.st_mode) || rs.st_ino != ws.st_ino)
		return fail("first passed fd is inode %lu mode 0%o, expected the pipe (inode %lu)",
			    (unsigned long)rs.st_ino, rs.st_mode, (unsigned long)ws.st_ino);
	if (expect_int("pipe bytes read", read(rfd, buf, sizeof(buf)), PIPE_BYTES) ||
	    expect_bytes("pipe data", buf, want, PIPE_BYTES))
		return 1;
	if (write(wfd, "p", 1) != 1 || read(rfd, &c, 1) != 1 || c != 'p')
		return fail_errno("pipe after C/R: read '%c', expected 'p'", c);
	return 0;
}

/* The passed file is test_path("file") at FILE_OFF, open read-write. */
static int expect_file(int fd, const char *want)
{
	static char buf[FILE_BYTES];
	struct stat fs, ps;

	if (fstat(fd, &fs) || stat(test_path("file"), &ps))
		return fail_errno("stat the passed file");
	if (!S_ISREG(fs.st_mode) || fs.st_ino != ps.st_ino)
		return fail("second passed fd is inode %lu mode 0%o, expected %s (inode %lu)",
			    (unsigned long)fs.st_ino, fs.st_mode, test_path("file"), (unsigned long)ps.st_ino);
	if (expect_int("file access mode", fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR) ||
	    expect_int("file offset", lseek(fd, 0, SEEK_CUR), FILE_OFF))
		return 1;
	if (expect_int("file bytes read", read(fd, buf, sizeof(buf)), FILE_BYTES - FILE_OFF))
		return 1;
	return expect_bytes("file content", buf, want + FILE_OFF, FILE_BYTES - FILE_OFF);
}

int main(int argc, char **argv)
{
	static char pipe_data[PIPE_BYTES], file_data[FILE_BYTES];
	int sk[2], p[2], fd, got[2];

	test_init(argc, argv);
	datagen(pipe_data, sizeof(pipe_data), 31);
	datagen(file_data, sizeof(file_data), 32);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sk) || pipe(p))
		return fail_errno("socketpair/pipe");
	fd = open(test_path("file"), O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write_all(fd, file_data, sizeof(file_data)) || lseek(fd, FILE_OFF, SEEK_SET) != FILE_OFF)
		return fail_errno("write %s", test_path("file"));
	if (write_all(p[1], pipe_data, sizeof(pipe_data)))
		return fail_errno("write the pipe");
	if (send_fds(sk[0], p[0], fd))
		return fail_errno("sendmsg SCM_RIGHTS");
	/* the passed fds now live only in the message */
	close(p[0]);
	close(fd);

	test_daemon();
	test_waitsig();

	if (recv_fds(sk[1], got) || expect_pipe(got[0], p[1], pipe_data) || expect_file(got[1], file_data))
		return 1;
	return pass();
}
