/*
 * zdtm-image-streamer: an image streamer of our own for `zdtm run --stream`, with the command
 * line of criu-image-streamer (which Debian does not package), so that criu's --stream path is
 * tested on any machine:
 *   zdtm-image-streamer --images-dir DIR [--progress-fd N] capture  > STREAM
 *   zdtm-image-streamer --images-dir DIR [--progress-fd N] serve    < STREAM
 *   zdtm-image-streamer --images-dir DIR extract                    < STREAM
 * What criu does with --stream (facts of criu 4.2.1): it connects to DIR/streamer-capture.sock
 * (dump) or DIR/streamer-serve.sock (restore); for each image it opens it sends a request, a
 * native u32 length and a protobuf message whose field 1 is the file name; on restore the streamer
 * answers with a message whose field 1 (bool) says whether it has the file; then criu passes one
 * end of a pipe (SCM_RIGHTS, with one byte) and writes the image into it (dump) or reads it
 * (restore). criu closes the socket when it opens no more images. "socket-init" on the progress
 * fd says the socket listens.
 * Our stream: for each image, its name and its bytes (u32 name length, name, u64 size, bytes).
 * Every pipe is served by a child of its own: criu may hold several images open at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_IMAGES 4096

struct image {
	char name[256];
	int data;                /* a memfd with its bytes */
};

static struct image images[MAX_IMAGES];
static int nimages;

static int die(const char *what)
{
	fprintf(stderr, "zdtm-image-streamer: %s: %s\n", what, errno ? strerror(errno) : "bad input");
	exit(1);
}

static int full_read(int fd, void *buf, size_t len)
{
	for (size_t done = 0; done < len;) {
		ssize_t n = read(fd, (char *)buf + done, len - done);

		if (n <= 0)
			return done || n < 0 ? -1 : 1;   /* 1: end of input before anything */
		done += n;
	}
	return 0;
}

static int full_write(int fd, const void *buf, size_t len)
{
	for (size_t done = 0; done < len;) {
		ssize_t n = write(fd, (const char *)buf + done, len - done);

		if (n <= 0)
			return -1;
		done += n;
	}
	return 0;
}

/* Copies everything from in to out; -1 on an error of either. */
static int pump(int in, int out)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (full_write(out, buf, n))
			return -1;
	return n < 0 ? -1 : 0;
}

/* One request from criu: the file name (field 1, a string); 1 at the end of the connection. */
static int read_request(int sk, char *name, size_t len)
{
	unsigned char msg[512];
	uint32_t size;
	int rc = full_read(sk, &size, sizeof(size));

	if (rc)
		return rc < 0 ? die("request size") : 1;
	if (size < 2 || size > sizeof(msg) || full_read(sk, msg, size) || msg[0] != 0x0a || msg[1] & 0x80 ||
	    (size_t)msg[1] + 2 != size || msg[1] >= len)
		return die("request (a file name of at most 127 bytes)");
	memcpy(name, msg + 2, msg[1]);
	name[msg[1]] = 0;
	if (strchr(name, '/') || !name[0])
		return die("request (a plain file name)");
	return 0;
}

/* The pipe end criu passes after a request. */
static int receive_fd(int sk)
{
	char byte, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sk, &mh, MSG_CMSG_CLOEXEC) != 1 || !(c = CMSG_FIRSTHDR(&mh)) || c->cmsg_type != SCM_RIGHTS)
		return die("a pipe from criu");
	memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	return fd;
}

/* Listens on DIR/NAME, says so on the progress fd, and takes criu's one connection. */
static int criu_connection(const char *dir, const char *name, int progress)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int lsk = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), sk;

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/%s", dir, name);
	unlink(addr.sun_path);
	if (lsk < 0 || bind(lsk, (struct sockaddr *)&addr, sizeof(addr)) || listen(lsk, 1))
		return die(addr.sun_path);
	if (progress >= 0 && (full_write(progress, "socket-init\n", 12) || close(progress)))
		return die("progress fd");
	sk = accept4(lsk, NULL, NULL, SOCK_CLOEXEC);
	if (sk < 0)
		return die("accept");
	close(lsk);
	unlink(addr.sun_path);
	return sk;
}

static struct image *find(const char *name)
{
	for (int i = nimages - 1; i >= 0; i--)   /* an image written twice: the last one */
		if (!strcmp(images[i].name, name))
			return &images[i];
	return NULL;
}

/*
 * Each pipe in a child of its own; the parent waits for them all at the end. A reader may stop
 * early (criu feeds its ip/iptables images to programs that can fail halfway, which criu then
 * tolerates): on serve, a pipe closed by criu is no error.
 */
static void in_child(int from, int to)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0)
		_exit(pump(from, to) && errno != EPIPE ? 1 : 0);
}

static int children_ok(void)
{
	int status, bad = 0;

	while (wait(&status) > 0)
		bad |= !WIFEXITED(status) || WEXITSTATUS(status);
	errno = 0;
	return bad ? die("a pipe transfer failed") : 0;
}

static int capture(const char *dir, int progress)
{
	int sk = criu_connection(dir, "streamer-capture.sock", progress);

	for (;;) {
		struct image *im = &images[nimages];
		int fd;

		if (nimages == MAX_IMAGES)
			return die("too many images");
		if (read_request(sk, im->name, sizeof(im->name)))
			break;
		fd = receive_fd(sk);
		im->data = memfd_create(im->name, 0);
		if (im->data < 0)
			return die("memfd_create");
		in_child(fd, im->data);
		close(fd);
		nimages++;
	}
	children_ok();
	for (int i = 0; i < nimages; i++) {
		uint32_t nlen = strlen(images[i].name);
		uint64_t size = lseek(images[i].data, 0, SEEK_END);

		if (full_write(1, &nlen, sizeof(nlen)) || full_write(1, images[i].name, nlen) ||
		    full_write(1, &size, sizeof(size)) || lseek(images[i].data, 0, SEEK_SET) ||
		    pump(images[i].data, 1))
			return die("the stream");
	}
	return 0;
}

/* Reads our stream from stdin into memfds. */
static void load(void)
{
	uint32_t nlen;
	uint64_t size;
	int rc;

	while (!(rc = full_read(0, &nlen, sizeof(nlen)))) {
		struct image *im = &images[nimages];
		char buf[65536];

		if (nimages == MAX_IMAGES || nlen >= sizeof(im->name) || full_read(0, im->name, nlen) ||
		    full_read(0, &size, sizeof(size)))
			die("the stream");
		im->name[nlen] = 0;
		if ((im->data = memfd_create(im->name, 0)) < 0)
			die("memfd_create");
		for (uint64_t left = size; left;) {
			size_t n = left < sizeof(buf) ? left : sizeof(buf);

			if (full_read(0, buf, n) || full_write(im->data, buf, n))
				die("the stream's data");
			left -= n;
		}
		nimages++;
	}
	if (rc < 0)
		die("the stream");
}

static int serve(const char *dir, int progress)
{
	int sk;

	load();
	sk = criu_connection(dir, "streamer-serve.sock", progress);
	for (;;) {
		unsigned char reply[6] = { 2, 0, 0, 0, 0x08, 0 };
		char name[256];
		struct image *im;
		int fd;

		if (read_request(sk, name, sizeof(name)))
			break;
		im = find(name);
		reply[5] = im != NULL;
		if (full_write(sk, reply, sizeof(reply)))
			return die("reply");
		if (!im)
			continue;
		fd = receive_fd(sk);
		/* a child of its own reads from the start, whatever the other children read */
		char path[64];
		int data;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", im->data);
		if ((data = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			return die(path);
		in_child(data, fd);
		close(data);
		close(fd);
	}
	return children_ok();
}

static int extract(const char *dir)
{
	char path[4400];

	load();
	for (int i = 0; i < nimages; i++) {
		int out;

		snprintf(path, sizeof(path), "%s/%s", dir, images[i].name);
		out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (out < 0 || lseek(images[i].data, 0, SEEK_SET) || pump(images[i].data, out) || close(out))
			return die(path);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *dir = NULL, *cmd = NULL;
	int progress = -1;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--images-dir") && i + 1 < argc)
			dir = argv[++i];
		else if (!strcmp(argv[i], "--progress-fd") && i + 1 < argc)
			progress = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--version")) {
			printf("zdtm-image-streamer (the zdtm suite's own)\n");
			return 0;
		} else
			cmd = argv[i];
	if (!dir || !cmd) {
		fprintf(stderr, "usage: zdtm-image-streamer --images-dir DIR [--progress-fd N] capture|serve|extract\n");
		return 2;
	}
	errno = 0;
	signal(SIGPIPE, SIG_IGN);   /* a closed pipe is an EPIPE to look at, not our death */
	if (!strcmp(cmd, "capture"))
		return capture(dir, progress);
	if (!strcmp(cmd, "serve"))
		return serve(dir, progress);
	if (!strcmp(cmd, "extract"))
		return extract(dir);
	fprintf(stderr, "zdtm-image-streamer: unknown command '%s'\n", cmd);
	return 2;
}
