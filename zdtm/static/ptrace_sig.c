#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

/* A traced task cannot be seized by criu: the dump must be refused, "Unseizable non-zombie N found,
 * state t" (the original suite's crfail too). */
ZDTM_TEST(.doc = "a child that traces itself (PTRACE_TRACEME) sits in a signal-delivery stop of its parent, the tracer: criu must refuse it; after, the tracer resumes it",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "crfail");

#define EXIT_CODE 23

int main(int argc, char **argv)
{
	int status;
	pid_t pid;

	test_init(argc, argv);
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL))
			_exit(1);
		raise(SIGUSR1);         /* stops: the tracer decides */
		_exit(EXIT_CODE);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status) || WSTOPSIG(status) != SIGUSR1)
		return fail("the child did not stop with SIGUSR1 (status %#x)", status);

	test_daemon();
	test_waitsig();

	if (proc_state(pid) != 't')
		return fail("the traced child is in state %c, expected t (tracing stop)", proc_state(pid));
	if (ptrace(PTRACE_CONT, pid, NULL, 0))      /* suppress the signal */
		return fail_errno("PTRACE_CONT");
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != EXIT_CODE)
		return fail("the child ended with status %#x, expected exit %d", status, EXIT_CODE);
	return pass();
}
