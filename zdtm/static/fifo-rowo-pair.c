#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a named fifo whose read-only fd is the test's and whose write-only fd is a child's, with bytes queued: each side keeps its end and the bytes, the child writes more after C/R",
	  .flavors = ZDTM_ALL_FLAVORS);

#define LEN 1500
#define MORE 300

int main(int argc, char **argv)
{
	static char data[LEN + MORE];
	struct zdtm_waiter *w = waiter_new();   /* 1: the child's end is open; 2: C/R over */
	int rd, status;
	pid_t pid;

	test_init(argc, argv);
	datagen(data, LEN, 51);
	datagen(data + LEN, MORE, 52);
	if (mkfifo(test_path("fifo"), 0600))
		return fail_errno("mkfifo");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		int wr = open(test_path("fifo"), O_WRONLY);     /* waits for the reader */

		if (wr < 0 || write_all(wr, data, LEN))
			_exit(1);
		waiter_post(w, 1);
		waiter_wait(w, 2);
		if ((fcntl(wr, F_GETFL) & O_ACCMODE) != O_WRONLY)
			_exit(2);
		_exit(write_all(wr, data + LEN, MORE) ? 3 : 0);
	}
	rd = open(test_path("fifo"), O_RDONLY);
	if (rd < 0)
		return fail_errno("open the read end");
	waiter_wait(w, 1);

	test_daemon();
	test_waitsig();

	if (expect_int("access mode of the read end", fcntl(rd, F_GETFL) & O_ACCMODE, O_RDONLY))
		return 1;
	waiter_post(w, 2);
	if (waitpid(pid, &status, 0) != pid || expect_int("the writer's exit status", status, 0))
		return 1;
	if (expect_queued("the fifo's bytes", rd, data, LEN + MORE))
		return 1;
	return pass();
}
