/*
 * An external unix peer (the original's socket-ext): zdtm/lib/extunix.h says what the test does
 * with it. The peer lives in the job's process, outside the dumped tree, so criu must keep the
 * test's socket connected to it by name: only then do the datagrams sent after the restore reach it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "../zdtm/lib/extunix.h"
#include "extunix.h"

int extunix_start(struct extunix *e, const struct test *t, const char *cwd, char *why, size_t len)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };

	e->fd = -1;
	if (!test_has_flag(t, "extunix-peer"))
		return 0;
	snprintf(e->path, sizeof(e->path), "%s/%s", cwd, ZDTM_EXTUNIX_NAME);
	if (strlen(e->path) >= sizeof(addr.sun_path)) {
		snprintf(why, len, "external unix peer: %s is too long for a socket name", e->path);
		return -1;
	}
	strcpy(addr.sun_path, e->path);
	e->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (e->fd < 0 || bind(e->fd, (struct sockaddr *)&addr, sizeof(addr))) {
		snprintf(why, len, "external unix peer: cannot bind %s: %s", e->path, strerror(errno));
		extunix_close(e);
		return -1;
	}
	/* A test that runs as another user (--user, uns) connects too: that needs write permission. */
	if (chmod(e->path, 0666)) {
		snprintf(why, len, "external unix peer: chmod %s: %s", e->path, strerror(errno));
		extunix_close(e);
		return -1;
	}
	return 0;
}

int extunix_check(struct extunix *e, char *why, size_t len)
{
	static const char *const want[] = { ZDTM_EXTUNIX_BEFORE, ZDTM_EXTUNIX_AFTER };
	char buf[256];
	size_t i;
	ssize_t n;

	for (i = 0; i < 2; i++) {
		n = recv(e->fd, buf, sizeof(buf) - 1, 0);
		if (n < 0) {
			snprintf(why, len, "the external unix peer received %zu datagrams, expected \"%s\" next (%s)",
				 i, want[i], strerror(errno));
			return -1;
		}
		buf[n] = 0;
		if (strcmp(buf, want[i])) {
			snprintf(why, len, "the external unix peer's datagram %zu is \"%s\", expected \"%s\"", i + 1,
				 buf, want[i]);
			return -1;
		}
	}
	if ((n = recv(e->fd, buf, sizeof(buf) - 1, 0)) >= 0) {
		snprintf(why, len, "the external unix peer received a third datagram (%zd bytes)", n);
		return -1;
	}
	return 0;
}

void extunix_close(struct extunix *e)
{
	if (e->fd >= 0) {
		close(e->fd);
		unlink(e->path);
	}
	e->fd = -1;
}
