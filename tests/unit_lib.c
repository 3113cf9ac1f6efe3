/* Unit tests of libzdtm's parts that need no C/R: CRC, data stamps, waiter, /proc readers. TAP lines. */
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
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
	static struct zdtm_vma v, three[3];
	struct stat st;
	char line[64];
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
	ok(vma_list((unsigned long)m, (unsigned long)m + 3 * 4096, three, 3, false) == 3 &&
	   three[0].end == (unsigned long)m + 4096 && three[1].start == (unsigned long)m + 4096 &&
	   !strcmp(three[1].perms, "r--p") && three[2].end == (unsigned long)m + 3 * 4096, "vma_list: a split mapping");
	ok(vma_list((unsigned long)m + 4096, (unsigned long)m + 3 * 4096, three, 1, true) == 2 &&
	   three[0].start == (unsigned long)m + 4096 && vma_has_flag(&three[0], "wf"), "vma_list: more than max");
	munmap(m, 3 * 4096);
	ok(vma_find(m, &v, false) == -1, "vma_find: no VMA there");
	ok(vma_list((unsigned long)m, (unsigned long)m + 3 * 4096, three, 3, false) == 0, "vma_list: none in a hole");
	ok(!vma_find((void *)procfs_checks, &v, false) && strstr(v.name, "unit_lib") && v.perms[2] == 'x' &&
	   !stat("/proc/self/exe", &st) && v.ino == st.st_ino, "vma_find: the code's file mapping and inode");
	ok(proc_stat_field(getpid(), 4) == getppid() && proc_stat_field(getpid(), 5) == getpgrp() &&
	   proc_stat_field(getpid(), 3) == -1, "proc_stat_field: ppid, pgrp; no field 3");
	pid = fork();
	if (pid == 0) {
		raise(SIGSTOP);
		_exit(0);
	}
	waitpid(pid, NULL, WUNTRACED);
	ok(fdinfo_lines(1, "flags:", line, sizeof(line)) == 1 && line[0] == '0' &&
	   fdinfo_lines(1, "pos:", line, sizeof(line)) == 1 && fdinfo_lines(1, "bogus:", line, sizeof(line)) == 0 &&
	   !line[0] && fdinfo_lines(-1, "pos:", line, sizeof(line)) == -1, "fdinfo_lines: one line, none, no fd");
	ok(proc_state(pid) == 'T' && proc_stat_field(pid, 4) == getpid(), "proc_state: a stopped child is T");
	kill(pid, SIGKILL);
	for (int i = 0; i < 1000 && proc_state(pid) != 'Z'; i++)
		usleep(1000);
	ok(proc_state(pid) == 'Z', "proc_state: a dead, unreaped child is Z");
	waitpid(pid, NULL, 0);
	ok(proc_state(pid) == '?', "proc_state: a reaped child is gone");
}

/* tcp_pair, tcp_state_name and unix_name (loopback, a free port, an abstract name: nothing stays behind). */
/* scm_send, scm_recv: the fd that comes out of a message is the one sent, with its bytes. */
static void scm_checks(void)
{
	int sk[2], p[2], got[2] = { -1, -1 }, n = 2;
	struct stat a, b;
	char buf[8] = "";

	ok(!socketpair(AF_UNIX, SOCK_DGRAM, 0, sk) && !pipe(p) && !scm_send(sk[0], "m", 2, &p[0], 1) &&
	   scm_recv(sk[1], buf, sizeof(buf), got, &n) == 2 && n == 1 && !strcmp(buf, "m") &&
	   !fstat(got[0], &a) && !fstat(p[0], &b) && a.st_ino == b.st_ino, "scm_send, scm_recv: a pipe end in a message");
	close(got[0]);
	close(p[0]);
	close(p[1]);
	close(sk[0]);
	close(sk[1]);
}

/* proc_locks_of: a flock on an unlinked temporary file, then nothing once it is unlocked. */
static void locks_checks(void)
{
	char path[] = "/tmp/unit_lib.XXXXXX", want[64], found[256] = "";
	int fd = mkstemp(path);

	unlink(path);
	snprintf(want, sizeof(want), "FLOCK ADVISORY WRITE %d 0 EOF", getpid());
	ok(fd >= 0 && !flock(fd, LOCK_EX) && proc_locks_of(fd, found, sizeof(found)) == 1 && !strcmp(found, want),
	   "proc_locks_of: a flock");
	ok(!flock(fd, LOCK_UN) && proc_locks_of(fd, found, sizeof(found)) == 0 && !found[0], "proc_locks_of: unlocked");
	ok(mountinfo_at("/proc", found, sizeof(found)) >= 1 && strstr(found, " proc proc ") &&
	   mountinfo_at("/no/such/point", found, sizeof(found)) == 0 && !found[0], "mountinfo_at: /proc, none elsewhere");
	close(fd);
}

static void net_checks(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = "\0unit-abstract" };
	struct sockaddr_storage ss;
	int fd[2], u;
	char name[64] = "x", peer[64];

	ok(!tcp_pair(AF_INET, 0, fd) && !strcmp(tcp_state_name(fd[0]), "ESTABLISHED") &&
	   write(fd[0], "a", 1) == 1 && read(fd[1], name, 1) == 1 && name[0] == 'a', "tcp_pair: connected, data flows");
	ok(expect_sockopt("SO_TYPE", fd[0], SOL_SOCKET, SO_TYPE, SOCK_STREAM) == 0, "expect_sockopt: SO_TYPE of a TCP socket");
	ok(!inet_name(fd[0], true, name, sizeof(name)) && !inet_name(fd[1], false, peer, sizeof(peer)) &&
	   !strcmp(name, peer) && !strncmp(name, "127.0.0.1:", 10) && atoi(name + 10) > 0,
	   "inet_name: the client's peer is the accepted end's own address");
	ok(loopback_addr(AF_INET6, 80, &ss) == sizeof(struct sockaddr_in6) &&
	   !strcmp(inet_str(&ss, name, sizeof(name)), "[::1]:80") &&
	   loopback_addr(AF_INET, 81, &ss) == sizeof(struct sockaddr_in) &&
	   !strcmp(inet_str(&ss, name, sizeof(name)), "127.0.0.1:81"), "loopback_addr, inet_str: ::1 and 127.0.0.1");
	shutdown(fd[1], SHUT_WR);
	usleep(10000);
	ok(!strcmp(tcp_state_name(fd[0]), "CLOSE_WAIT"), "tcp_state_name: CLOSE_WAIT after the peer's FIN");
	close(fd[0]);
	close(fd[1]);
	scm_checks();
	u = socket(AF_UNIX, SOCK_STREAM, 0);
	ok(!unix_name(u, false, name, sizeof(name)) && !strcmp(name, ""), "unix_name: unnamed");
	bind(u, (struct sockaddr *)&a, offsetof(struct sockaddr_un, sun_path) + 14);
	ok(!unix_name(u, false, name, sizeof(name)) && !strcmp(name, "@unit-abstract"), "unix_name: abstract");
	ok(unix_name(u, true, name, sizeof(name)) == -1, "unix_name: no peer");
	close(u);
}

/* The table the runner's memory digest reads (by the symbol zdtm_volatile) grows by one area. */
static void volatile_checks(void)
{
	extern struct zdtm_volatile_table zdtm_volatile;
	static char area[10];
	uint64_t before = zdtm_volatile.n;

	test_volatile(area + 2, 5);
	ok(zdtm_volatile.n == before + 1 && zdtm_volatile.area[before].addr == (uintptr_t)(area + 2) &&
	   zdtm_volatile.area[before].len == 5, "test_volatile enters its area into the volatile table");
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
	char *finding = finding_new();
	ok(finding && !finding[0], "finding_new gives an empty buffer");
	pid = fork();
	if (pid == 0)
		_exit(note(finding, "lost %d of %s", 3, "4") == 1 ? 0 : 1);
	waitpid(pid, &status, 0);
	ok(finding && WIFEXITED(status) && !WEXITSTATUS(status) && !strcmp(finding, "lost 3 of 4"),
	   "a child's note() reaches the parent through finding_new's buffer and returns 1");
	procfs_checks();
	net_checks();
	volatile_checks();
	locks_checks();
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
