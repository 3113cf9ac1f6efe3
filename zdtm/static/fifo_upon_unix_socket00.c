#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "zdtm.h"

/* fifo_upon_unix_socket01.c includes this file with RELATIVE_NAME and its own declaration. */
#ifndef RELATIVE_NAME
ZDTM_TEST(.doc = "a fifo made at the absolute path of a bound unix datagram socket whose name was unlinked: the socket keeps its name and queued datagram, the fifo its bytes",
	  .flavors = ZDTM_ALL_FLAVORS);
#endif

#define MSG "through the ghost socket"

int main(int argc, char **argv)
{
	static char data[1000], got[64];
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char cwd[PATH_MAX], name[128];
	struct stat st;
	int sk, cli, rd, wr;

	test_init(argc, argv);
	datagen(data, sizeof(data), 5);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
#ifdef RELATIVE_NAME
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", test_path("sk"));
#else
	if (snprintf(a.sun_path, sizeof(a.sun_path), "%s/%s", cwd, test_path("sk")) >= (int)sizeof(a.sun_path))
		return skip("the work dir's path is too long for a unix socket name");
#endif
	sk = socket(AF_UNIX, SOCK_DGRAM, 0);
	cli = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (sk < 0 || cli < 0 || bind(sk, (struct sockaddr *)&a, sizeof(a)))
		return fail_errno("bind %s", a.sun_path);
	if (sendto(cli, MSG, sizeof(MSG), 0, (struct sockaddr *)&a, sizeof(a)) != sizeof(MSG))
		return fail_errno("sendto");
	if (unlink(a.sun_path) || mkfifo(a.sun_path, 0600))
		return fail_errno("replace the socket's name by a fifo");
	rd = open(a.sun_path, O_RDONLY | O_NONBLOCK);
	wr = open(a.sun_path, O_WRONLY);
	if (rd < 0 || wr < 0 || write_all(wr, data, sizeof(data)))
		return fail_errno("open and fill the fifo");

	test_daemon();
	test_waitsig();

	if (unix_name(sk, false, name, sizeof(name)) || expect_str("socket name", name, a.sun_path))
		return 1;
	if (recv(sk, got, sizeof(got), MSG_DONTWAIT) != sizeof(MSG) || strcmp(got, MSG))
		return fail_errno("the queued datagram is gone or differs");
	if (stat(a.sun_path, &st) || !S_ISFIFO(st.st_mode))
		return fail("%s is no longer a fifo", a.sun_path);
	if (expect_queued("fifo bytes", rd, data, sizeof(data)))
		return 1;
	return pass();
}
