#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "MAP_HUGETLB memory of a parent and its child: a shared huge page both see each other's writes in after C/R, a private one each has its own copy of (copied on write before C/R)",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "hugetlb");

#define HPAGE (2UL << 20)

static struct zdtm_waiter *w;   /* 1: the child wrote its copy; 2: C/R over; 3: the parent wrote; 4: checked */
static char *finding;

static int child(char *shared, char *priv)
{
	memset(priv, 'c', HPAGE);            /* its own copy of the private page */
	waiter_post(w, 1);
	waiter_wait(w, 3);
	if (shared[HPAGE - 1] != 'p')
		note(finding, "the child reads '%c' at the shared page's end, expected 'p' the parent wrote", shared[HPAGE - 1]);
	if (priv[0] != 'c' || priv[HPAGE - 1] != 'c')
		note(finding, "the child's private copy holds '%c', expected 'c'", priv[0]);
	shared[0] = 'k';
	waiter_post(w, 4);
	return finding[0] ? 1 : 0;
}

int main(int argc, char **argv)
{
	char problem[ZDTM_FINDING_LEN] = "", *shared, *priv;
	int status;
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	finding = finding_new();
	shared = mmap(NULL, HPAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	priv = mmap(NULL, HPAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (shared == MAP_FAILED || priv == MAP_FAILED)
		return errno == ENOMEM ? skip("no free huge pages (vm.nr_hugepages)") : fail_errno("mmap MAP_HUGETLB");
	if (!finding)
		return fail_errno("a finding buffer");
	memset(shared, 's', HPAGE);
	memset(priv, 'p', HPAGE);
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		_exit(child(shared, priv));
	waiter_wait(w, 1);

	test_daemon();
	test_waitsig();

	shared[HPAGE - 1] = 'p';
	waiter_post(w, 3);
	waiter_wait(w, 4);
	if (shared[0] != 'k')
		note(problem, "the parent reads '%c' at the shared page's start, expected 'k' the child wrote", shared[0]);
	if (priv[0] != 'p' || priv[HPAGE - 1] != 'p')
		note(problem, "the parent's private page holds '%c', expected 'p'", priv[0]);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	return expect_clean_end(finding, problem, status) ? 1 : pass();
}
