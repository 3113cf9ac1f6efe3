#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an unlinked fifo held only by a write-only fd (its reader gone): st_nlink 0, O_WRONLY, queued bytes readable through a reopen of /proc/self/fd",
	  .flavors = ZDTM_ALL_FLAVORS);

#define LEN 777

int main(int argc, char **argv)
{
	static char data[LEN];
	struct stat st;
	char path[64];
	int rw, wr, rd;

	test_init(argc, argv);
	datagen(data, sizeof(data), 21);
	if (mkfifo(test_path("fifo"), 0600))
		return fail_errno("mkfifo");
	rw = open(test_path("fifo"), O_RDWR);   /* a reader, so the write-only open does not block */
	wr = open(test_path("fifo"), O_WRONLY);
	if (rw < 0 || wr < 0 || write_all(wr, data, sizeof(data)) || close(rw) || unlink(test_path("fifo")))
		return fail_errno("fifo with only a writer left");

	test_daemon();
	test_waitsig();

	if (fstat(wr, &st) || !S_ISFIFO(st.st_mode))
		return fail_errno("fstat: not a fifo");
	if (expect_int("st_nlink", st.st_nlink, 0) || expect_int("access mode", fcntl(wr, F_GETFL) & O_ACCMODE, O_WRONLY))
		return 1;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", wr);
	rd = open(path, O_RDONLY | O_NONBLOCK);
	if (rd < 0)
		return fail_errno("reopen %s for reading", path);
	if (expect_queued("queued bytes", rd, data, sizeof(data)))
		return 1;
	return pass();
}
