/* Unit tests of libzdtm's parts that need no C/R: CRC, data stamps, waiter, /proc readers. TAP lines. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
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

/* vma_find and proc_state against states made here. */
static void procfs_checks(void)
{
	struct zdtm_vma v;
	char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t pid;

	mprotect(m + 4096, 4096, PROT_READ);
	madvise(m + 4096, 4096, MADV_WIPEONFORK);
	ok(!vma_find(m + 4096 + 10, &v, false) && v.start == (unsigned long)m + 4096 &&
	   v.end == (unsigned long)m + 8192 && !strcmp(v.perms, "r--p") && !v.name[0], "vma_find: range, perms");
	ok(!vma_find(m + 4096, &v, true) && vma_has_flag(&v, "wf") && !vma_has_flag(&v, "w") &&
	   !vma_has_flag(&v, "wr"), "vma_find with smaps: VmFlags");
	m[0] = 1;
	ok(!vma_find(m, &v, true) && vma_kb(&v, "Rss") == 4 && vma_kb(&v, "Bogus") == -1, "vma_kb: Rss of one page");
	munmap(m, 3 * 4096);
	ok(vma_find(m, &v, false) == -1, "vma_find: no VMA there");
	ok(!vma_find((void *)procfs_checks, &v, false) && strstr(v.name, "unit_lib") && v.perms[2] == 'x',
	   "vma_find: the code's file mapping");
	pid = fork();
	if (pid == 0) {
		raise(SIGSTOP);
		_exit(0);
	}
	waitpid(pid, NULL, WUNTRACED);
	ok(proc_state(pid) == 'T', "proc_state: a stopped child is T");
	kill(pid, SIGKILL);
	for (int i = 0; i < 1000 && proc_state(pid) != 'Z'; i++)
		usleep(1000);
	ok(proc_state(pid) == 'Z', "proc_state: a dead, unreaped child is Z");
	waitpid(pid, NULL, 0);
	ok(proc_state(pid) == '?', "proc_state: a reaped child is gone");
}

/* tcp_pair, tcp_state_name and unix_name (loopback, a free port, an abstract name: nothing stays behind). */
static void net_checks(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = "\0unit-abstract" };
	int fd[2], u;
	char name[64] = "x";

	ok(!tcp_pair(AF_INET, 0, fd) && !strcmp(tcp_state_name(fd[0]), "ESTABLISHED") &&
	   write(fd[0], "a", 1) == 1 && read(fd[1], name, 1) == 1 && name[0] == 'a', "tcp_pair: connected, data flows");
	shutdown(fd[1], SHUT_WR);
	usleep(10000);
	ok(!strcmp(tcp_state_name(fd[0]), "CLOSE_WAIT"), "tcp_state_name: CLOSE_WAIT after the peer's FIN");
	close(fd[0]);
	close(fd[1]);
	u = socket(AF_UNIX, SOCK_STREAM, 0);
	ok(!unix_name(u, false, name, sizeof(name)) && !strcmp(name, ""), "unix_name: unnamed");
	bind(u, (struct sockaddr *)&a, offsetof(struct sockaddr_un, sun_path) + 14);
	ok(!unix_name(u, false, name, sizeof(name)) && !strcmp(name, "@unit-abstract"), "unix_name: abstract");
	ok(unix_name(u, true, name, sizeof(name)) == -1, "unix_name: no peer");
	close(u);
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
	procfs_checks();
	net_checks();
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
