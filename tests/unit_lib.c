/* Unit tests of libzdtm's pure parts: CRC, data stamps, waiter. Prints TAP lines. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "libzdtm unit tests (not a C/R test)");

static int n, failed;

static void ok(bool cond, const char *what)
{
	printf("%sok %d - libzdtm: %s\n", cond ? "" : "not ", ++n, what);
	failed += !cond;
}

int main(void)
{
	char buf[8192];
	struct zdtm_waiter *w = waiter_new();
	int status;
	pid_t pid;

	ok(zdtm_crc32("123456789", 9) == 0xcbf43926, "crc32 of the standard check string");
	datagen(buf, sizeof(buf), 7);
	ok(datachk(buf, sizeof(buf)), "datagen output passes datachk");
	buf[100] ^= 1;
	ok(!datachk(buf, sizeof(buf)), "one flipped bit fails datachk");
	buf[100] ^= 1;
	datagen(buf + 4096, 4096, 8);
	ok(memcmp(buf, buf + 4096, 4092), "different seeds give different data");
	pid = fork();
	if (pid == 0) {
		waiter_wait(w, 1);
		waiter_post(w, 2);
		_exit(0);
	}
	waiter_post(w, 1);
	waiter_wait(w, 2);
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && !WEXITSTATUS(status), "waiter stages cross fork()");
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
