#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "zdtm.h"

/* sk-unix-listen04.c includes this file with DATA_LEN and its own declaration. */
/* criu refuses both: "sk-unix.c: unix: Found a closed in-flight socket" (the original suite's crfail too). */
#ifndef DATA_LEN
#define DATA_LEN 0
ZDTM_TEST(.doc = "a listening unix socket holds a connection whose client has already closed, not yet accepted: criu must refuse it; accepted, it reads the end at once",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "crfail");
#endif

int main(int argc, char **argv)
{
	static char data[DATA_LEN + 4], buf[DATA_LEN + 1];   /* + 4: datagen's stamp */
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	socklen_t len = sizeof(a);
	int srv, cli, acc;

	test_init(argc, argv);
	datagen(data, sizeof(data), 43);
	srv = socket(AF_UNIX, SOCK_STREAM, 0);
	if (srv < 0 || bind(srv, (struct sockaddr *)&a, sizeof(sa_family_t)) || listen(srv, 4) ||
	    getsockname(srv, (struct sockaddr *)&a, &len))
		return fail_errno("listen on an autobound abstract name");
	cli = socket(AF_UNIX, SOCK_STREAM, 0);
	if (cli < 0 || connect(cli, (struct sockaddr *)&a, len))
		return fail_errno("connect");
	if (write_all(cli, data, DATA_LEN) || close(cli))
		return fail_errno("the client writes %d bytes and closes", DATA_LEN);

	test_daemon();
	test_waitsig();

	if (set_nonblock(srv, true))
		return fail_errno("O_NONBLOCK on the listener");
	acc = accept(srv, NULL, NULL);
	if (acc < 0)
		return fail_errno("accept the closed client's connection after C/R");
	if (expect_int("bytes before the end", read_all(acc, buf, sizeof(buf)), DATA_LEN) ||
	    expect_bytes("the closed client's data", buf, data, DATA_LEN))
		return 1;
	if (accept(srv, NULL, NULL) >= 0 || errno != EAGAIN)
		return fail_errno("a second connection: expected EAGAIN");
	return pass();
}
