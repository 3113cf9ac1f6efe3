#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a task that unmapped its vdso and vvar (a poor man's vdso=0) comes back without them and keeps running",
	  .flavors = ZDTM_ALL_FLAVORS);

#define MAX_ALL 128

/* The [vdso]/[vvar*] VMAs of this process into v; how many, or -1. */
static int vdso_vmas(struct zdtm_vma *v, int max)
{
	static struct zdtm_vma all[MAX_ALL];
	int n = vma_list(0, ~0UL, all, MAX_ALL, false), k = 0;

	if (n < 0 || n > MAX_ALL)
		return -1;
	for (int i = 0; i < n && k < max; i++)
		if (!strcmp(all[i].name, "[vdso]") || !strncmp(all[i].name, "[vvar", 5))
			v[k++] = all[i];
	return k;
}

/* The child unmaps its vdso and vvar, then calls no libc function that would jump into the vdso
 * (static glibc keeps pointers into it): time only through syscall(), reports through shared memory. */
static void child(struct zdtm_waiter *w, char *finding)
{
	struct zdtm_vma v[8];
	struct timespec ts;
	int n = vdso_vmas(v, 8);

	if (n <= 0)
		_exit(note(finding, "no vdso to unmap (%d)", n));
	for (int i = 0; i < n; i++)
		if (munmap((void *)v[i].start, v[i].end - v[i].start))
			_exit(note(finding, "munmap %s: errno %d", v[i].name, errno));
	n = vdso_vmas(v, 8);
	if (n != 0)
		_exit(note(finding, "before C/R: %d vdso/vvar VMAs left after munmap, first %s", n, v[0].name));
	waiter_post(w, 1);
	waiter_wait(w, 2);
	n = vdso_vmas(v, 8);
	if (n != 0)
		_exit(note(finding, "%s is mapped again at %lx-%lx, expected no vdso", v[0].name, v[0].start, v[0].end));
	if (syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts))
		_exit(note(finding, "clock_gettime syscall: errno %d", errno));
	_exit(0);
}

int main(int argc, char **argv)
{
	struct zdtm_waiter *w;  /* 1: the child unmapped its vdso; 2: C/R is over */
	char *finding;
	int status;
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	finding = finding_new();
	if (!finding)
		return fail_errno("finding_new");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		child(w, finding);
	waiter_wait(w, 1);

	test_daemon();
	test_waitsig();

	waiter_post(w, 2);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (expect_clean_end(finding, "", status))
		return 1;
	return pass();
}
