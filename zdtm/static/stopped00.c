#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a child stopped by SIGSTOP stays stopped, its stop still waitable, and continues on SIGCONT",
	  .flavors = ZDTM_ALL_FLAVORS);

#define EXIT_CODE 42     /* the child's exit after SIGCONT reached its handler */
#define EXIT_WAIT_MS 1000   /* a handled SIGCONT ends pause() at once; 1 s is far beyond any scheduling delay */

/* Shared with the parent, so it can tell "handler never ran" from "pause() never returned". */
static volatile sig_atomic_t *continued;

static void on_cont(int sig)
{
	(void)sig;
	*continued = 1;
}

static void child(struct zdtm_waiter *w)
{
	struct sigaction sa = { .sa_handler = on_cont };

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGCONT, &sa, NULL))
		_exit(1);
	waiter_post(w, 1);
	while (!*continued)
		pause();        /* a handled SIGCONT interrupts it (EINTR) */
	waiter_wait(w, 2);   /* exit only once the parent saw "continued": a zombie hides it */
	_exit(EXIT_CODE);
}

/* The child sits in pause() (its syscall number first in /proc/PID/syscall): SIGSTOP then finds it inside the syscall,
 * not between its flag check and pause(), where a handled SIGCONT would be missed. */
static int wait_in_pause(pid_t pid)
{
	char path[64], buf[256], want[16];
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	snprintf(want, sizeof(want), "%d ", SYS_pause);
	for (int ms = 0; ms < EXIT_WAIT_MS; ms++) {
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return fail_errno("open %s", path);
		n = read_all(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[n > 0 ? n : 0] = 0;
		if (!strncmp(buf, want, strlen(want)) && proc_state(pid) == 'S')
			return 0;
		usleep(1000);
	}
	return fail("child not blocked in pause() after %d ms: %s is \"%s\", expected syscall %d",
		    EXIT_WAIT_MS, path, buf, SYS_pause);
}

/* Stopped (T), and the stop is still unreported: waitid(WSTOPPED) shows it without consuming it. */
static int check_stopped(pid_t pid, const char *when)
{
	siginfo_t si = { 0 };
	char state = proc_state(pid);

	if (state != 'T')
		return fail("%s: child (pid %d) is in state %c, expected T", when, pid, state);
	if (waitid(P_PID, pid, &si, WSTOPPED | WNOHANG | WNOWAIT))
		return fail_errno("%s: waitid(WSTOPPED) on pid %d", when, pid);
	if (si.si_pid != pid || si.si_code != CLD_STOPPED || si.si_status != SIGSTOP)
		return fail("%s: waitid(WSTOPPED) gives pid %d code %d status %d, expected pid %d code %d "
			    "(CLD_STOPPED) status %d (SIGSTOP)", when, si.si_pid, si.si_code, si.si_status,
			    pid, CLD_STOPPED, SIGSTOP);
	return 0;
}

/* SIGCONT: reported as continued, the handler runs, the child exits with EXIT_CODE. */
static int check_continue(pid_t pid, struct zdtm_waiter *w)
{
	siginfo_t si = { 0 };
	int status = 0;
	pid_t got = 0;

	if (kill(pid, SIGCONT))
		return fail_errno("kill(SIGCONT)");
	if (waitid(P_PID, pid, &si, WCONTINUED))
		return fail_errno("waitid(WCONTINUED)");
	if (si.si_pid != pid || si.si_code != CLD_CONTINUED)
		return fail("waitid(WCONTINUED) gives pid %d code %d, expected pid %d code %d (CLD_CONTINUED)",
			    si.si_pid, si.si_code, pid, CLD_CONTINUED);
	waiter_post(w, 2);
	for (int ms = 0; ms < EXIT_WAIT_MS && !(got = waitpid(pid, &status, WNOHANG)); ms++)
		usleep(1000);
	if (got != pid) {
		char state = proc_state(pid);

		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return fail("child still alive %d ms after SIGCONT in state %c, SIGCONT handler %s; expected "
			    "the handler to interrupt pause() and the child to exit %d", EXIT_WAIT_MS, state,
			    *continued ? "ran" : "did not run", EXIT_CODE);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != EXIT_CODE)
		return fail("child ended with status %#x after SIGCONT, expected exit %d", status, EXIT_CODE);
	return 0;
}

int main(int argc, char **argv)
{
	struct zdtm_waiter *w;
	siginfo_t si;
	pid_t pid;
	int ret;

	test_init(argc, argv);
	w = waiter_new();
	continued = mmap(NULL, sizeof(*continued), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (continued == MAP_FAILED)
		return fail_errno("mmap");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		child(w);
	waiter_wait(w, 1);
	if ((ret = wait_in_pause(pid))) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return ret;
	}
	if (kill(pid, SIGSTOP))
		return fail_errno("kill(SIGSTOP)");
	if (waitid(P_PID, pid, &si, WSTOPPED | WNOWAIT))   /* stopped now; the report stays queued */
		return fail_errno("waitid(WSTOPPED | WNOWAIT)");
	ret = check_stopped(pid, "before C/R");

	if (!ret) {
		test_daemon();
		test_waitsig();
		ret = check_stopped(pid, "after C/R");
	}

	if (ret) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return ret;
	}
	return check_continue(pid, w) ?: pass();
}
