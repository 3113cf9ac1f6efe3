/*
 * zdtm.h - the whole API a zdtm test sees.
 *
 * A test: declare itself with ZDTM_TEST(), call test_init(), build one state,
 * call test_daemon() ("ready: checkpoint me"), test_waitsig() (C/R is over),
 * verify, and return exactly one verdict: pass(), fail(...) or skip(...).
 */
#ifndef ZDTM_H
#define ZDTM_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* ---- the test's declaration, printed by `TEST --describe` ---- */

enum {
	ZDTM_FLAVOR_H = 1,      /* host: beside criu */
	ZDTM_FLAVOR_NS = 2,     /* own pid/mnt/net/ipc/uts namespaces */
	ZDTM_FLAVOR_UNS = 4,    /* ns plus a user namespace */
};
#define ZDTM_ALL_FLAVORS (ZDTM_FLAVOR_H | ZDTM_FLAVOR_NS | ZDTM_FLAVOR_UNS)
#define ZDTM_NS_FLAVORS (ZDTM_FLAVOR_NS | ZDTM_FLAVOR_UNS)

struct zdtm_desc {
	const char *doc;        /* one line: the state this test keeps */
	unsigned flavors;       /* ZDTM_FLAVOR_* mask; 0 means all */
	const char *flags;      /* space separated: suid excl noauto crfail reqrst nouser transition nolazy nostop
				 * hugetlb (the runner reserves huge pages for the run: runner/hugepages.c)
	                         * samens (needs the network namespace it was dumped in: TCP connections criu
	                         * locks there, its sysctls; --join-ns skips it) noemptyns (its state is in its
	                         * network namespace, which --empty-ns restores empty) nofreezecg (its tree is in
	                         * cgroup2 cgroups of its own, or criu ignores cgroups: --freezecg, which moves the
	                         * tree into the job's cgroup2 cgroup, skips it); ns/uns external mounts
	                         * (runner/extmnt.c): extmnt extmnt-sub extmnt-auto extmnt-file-auto (a tmpfs of the
	                         * runner's, its sub, found by criu, its file, at /mnt_ext), extmnt-multiple (and its
	                         * sub at /mnt_ext2), extmnt-rootfs (a directory of the job's file system),
	                         * extmnt-master (the tmpfs shared, the test's mounts slaves of it); onerestore (it
	                         * prepares what one restore consumes: --iter N SKIPs); extunix-peer (a datagram
	                         * socket of the runner's to connect to: zdtm/lib/extunix.h); cgroup-root
	                         * (restores get --cgroup-root pids:/zdtm-NAME-INO/newroot) */
	const char *features;   /* criu features (criu check --feature X), space separated */
	const char *opts;       /* criu options for dump and restore */
	const char *dopts;      /* criu options for dump only */
	const char *ropts;      /* criu options for restore only */
	int timeout;            /* seconds for each phase; 0 means the default */
	bool outer_netns;       /* ns: test_outer_netns() holds the netns the test's were made in */
};

extern const struct zdtm_desc zdtm_desc;
#define ZDTM_TEST(...) const struct zdtm_desc zdtm_desc = { __VA_ARGS__ }

/* ---- typed --name=value options ---- */

enum zdtm_opt_type { ZDTM_OPT_BOOL, ZDTM_OPT_INT, ZDTM_OPT_UINT, ZDTM_OPT_LONG, ZDTM_OPT_STRING };

struct zdtm_option {
	const char *name;
	enum zdtm_opt_type type;
	void *value;
	const char *doc;
};

#define ZDTM_OPT_TYPE_OF(var) _Generic(&(var),          \
		bool *: ZDTM_OPT_BOOL, int *: ZDTM_OPT_INT,     \
		unsigned *: ZDTM_OPT_UINT, long *: ZDTM_OPT_LONG, \
		char **: ZDTM_OPT_STRING)

/* Declares global variable `var` (with its default already set) as option --var=... */
#define ZDTM_OPTION(var, help)                                               \
	static const struct zdtm_option zdtm_opt_##var                        \
	__attribute__((used, section("zdtm_options"), aligned(sizeof(void *)))) = \
		{ #var, ZDTM_OPT_TYPE_OF(var), &(var), help }

/* ---- lifecycle ---- */

void test_init(int argc, char **argv);   /* options, identity, output, daemonize */
/* State is built: the runner may dump now. It sends SIGUSR2 to the launcher (the process that
 * started the test), so a test that changes its uids must keep its real or effective uid equal to
 * the one it started with, or keep CAP_KILL. */
void test_daemon(void);
void test_waitsig(void);                 /* sleep until SIGTERM: C/R is over */
bool test_go(void);                      /* true until SIGTERM (transition tests) */
/* With .outer_netns, in the ns flavor: an fd of the network namespace the test's namespaces were
 * made in (the job's sandbox, which criu does not dump), for the outside end of a set-up (a veth
 * peer, a macvlan parent); test_daemon() closes it. -1 (errno ENOENT) otherwise. */
int test_outer_netns(void);
const char *test_name(void);             /* basename of the binary, e.g. "env00" */
/* "<name>.<suffix>" in the test's work directory: per-test file names. */
const char *test_path(const char *suffix);

/* Memory of this process that may change after "ready" without anything being wrong: the runner's
 * memory digest leaves [addr, addr + len) out. libzdtm enters every thread's rseq area and errno. */
void test_volatile(const void *addr, size_t len);

/* The table test_volatile() fills; the runner reads it from each process of the test at the address of
 * the binary's section .zdtm_volatile, which holds only it (runner/memory.c keeps the same layout). */
#define ZDTM_VOLATILE_MAX 64
struct zdtm_volatile_area {
	uint64_t addr, len;
};
struct zdtm_volatile_table {
	uint64_t n;
	struct zdtm_volatile_area area[ZDTM_VOLATILE_MAX];
};

/* ---- verdicts: exactly one per test, from the test's main process ---- */

int zdtm_pass(void);
int zdtm_fail(const char *file, int line, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int zdtm_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void zdtm_msg(const char *file, int line, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define pass()            zdtm_pass()                              /* returns 0 */
#define fail(...)         zdtm_fail(__FILE__, __LINE__, 0, __VA_ARGS__)     /* returns 1 */
#define fail_errno(...)   zdtm_fail(__FILE__, __LINE__, errno, __VA_ARGS__) /* returns 1 */
#define skip(...)         zdtm_skip(__VA_ARGS__)                   /* returns 77 */
#define test_msg(...)     zdtm_msg(__FILE__, __LINE__, 0, __VA_ARGS__)
#define pr_perror(...)    zdtm_msg(__FILE__, __LINE__, errno, __VA_ARGS__)

#define ZDTM_EXIT_PASS 0
#define ZDTM_EXIT_FAIL 1
#define ZDTM_EXIT_SKIP 77

/* ---- checks that report expected and found values; each returns 0 or 1 (fail) ---- */

#define expect_int(what, found, expected) \
	zdtm_expect_int(__FILE__, __LINE__, what, (long long)(found), (long long)(expected))
#define expect_str(what, found, expected) \
	zdtm_expect_str(__FILE__, __LINE__, what, found, expected)
#define expect_bytes(what, found, expected, len) \
	zdtm_expect_bytes(__FILE__, __LINE__, what, found, expected, len)
/* fd (a pipe, fifo, socket or pty) holds exactly len bytes (FIONREAD) and they are want; reads them. */
#define expect_queued(what, fd, want, len) \
	zdtm_expect_queued(__FILE__, __LINE__, what, fd, want, len)
/* The end of a test whose child writes its finding into shared memory: no finding from the child
 * (child), none from the main process (problem), and the child exited 0 (its wait status). */
#define expect_clean_end(child, problem, status) \
	zdtm_expect_clean_end(__FILE__, __LINE__, child, problem, status)
int zdtm_expect_int(const char *file, int line, const char *what, long long found, long long expected);
int zdtm_expect_str(const char *file, int line, const char *what, const char *found, const char *expected);
int zdtm_expect_bytes(const char *file, int line, const char *what,
		      const void *found, const void *expected, size_t len);
int zdtm_expect_queued(const char *file, int line, const char *what, int fd, const void *want, size_t len);
/* An int socket option (getsockopt level, opt) of fd is expected; what names it in the message. */
#define expect_sockopt(what, fd, level, opt, expected) \
	zdtm_expect_sockopt(__FILE__, __LINE__, what, fd, level, opt, expected)
int zdtm_expect_sockopt(const char *file, int line, const char *what, int fd, int level, int opt, int expected);
int zdtm_expect_clean_end(const char *file, int line, const char *child, const char *problem, int status);
/* The child's side of it: a buffer of ZDTM_FINDING_LEN bytes shared with children forked later
 * (MAP_SHARED), empty at first, NULL if it cannot be mapped; note() writes a finding (printf format)
 * into such a buffer, or into a local one of that size, and returns 1 like a failed check. */
#define ZDTM_FINDING_LEN 1024
char *finding_new(void);
int note(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- CRC-stamped data: the last 4 bytes are a CRC32 of the rest ---- */

void datagen(void *buf, size_t len, uint32_t seed);
bool datachk(const void *buf, size_t len);     /* true when the stamp matches */
uint32_t zdtm_crc32(const void *buf, size_t len);

/* ---- synchronisation between the processes of one test ---- */

/* A waiter lives in shared memory: one side posts stages, the other waits for them. */
struct zdtm_waiter;
struct zdtm_waiter *waiter_new(void);           /* before fork(); never fails (aborts) */
void waiter_post(struct zdtm_waiter *w, int stage);
void waiter_wait(struct zdtm_waiter *w, int stage);  /* until stage >= stage */

/* ---- /proc readers (procfs.c) ---- */

struct zdtm_vma {
	unsigned long start, end, offset;
	unsigned long ino;       /* the inode field: a file's inode, a SysV shm id; 0 when anonymous */
	char perms[5];           /* "rw-p" */
	char name[256];          /* the path, [heap], [stack]...; "" when anonymous */
	char flags[160];         /* smaps VmFlags, "rd wr mr mw me ac" ("" from maps) */
	char smaps[2048];        /* the smaps lines of the VMA ("" from maps) */
};

/* The VMA of this process that contains addr, from /proc/self/maps or (smaps true) /proc/self/smaps
 * with its flags and sizes. 0, or -1 when no VMA contains addr. */
int vma_find(const void *addr, struct zdtm_vma *v, bool smaps);
/* The VMAs that overlap [lo, hi), in address order, into v[0..max-1] (as vma_find fills them).
 * Returns how many overlap, which may be more than max, or -1. */
int vma_list(unsigned long lo, unsigned long hi, struct zdtm_vma *v, int max, bool smaps);
/* Whether the VMA's VmFlags hold this two-letter flag ("wf", "dc", "lo", "hg"...). */
bool vma_has_flag(const struct zdtm_vma *v, const char *flag);
/* An smaps size of the VMA in kB ("Rss", "AnonHugePages", "Locked"...), or -1. */
long vma_kb(const struct zdtm_vma *v, const char *key);
/* The state letter of /proc/PID/stat (R, S, D, T, t, Z...), or '?'. */
char proc_state(pid_t pid);
/* A numeric field of /proc/PID/stat, numbered as in proc(5) from 4 on (4 ppid, 7 tty_nr,
 * 48 arg_start...), or -1 when unreadable: for fields that are never negative. */
long proc_stat_field(pid_t pid, int field);
/* The lines of /proc/self/fdinfo/FD that start with prefix ("inotify ", "eventfd-count:"...), each
 * without the prefix and the blanks after it, joined by "; " into out. How many, or -1. */
int fdinfo_lines(int fd, const char *prefix, char *out, size_t len);
/* The device number the kernel shows for fd's file in /proc (/proc/locks, maps, mountinfo): its
 * mount's major:minor in mountinfo. Not always stat()'s st_dev: btrfs reports a subvolume's own
 * device there. (dev_t)-1 when unknown. */
dev_t proc_fd_dev(int fd);

/* /proc/locks as one consistent view (two whole reads that agree), to read like the file; NULL on
 * error (errno set). Never fopen() it directly: lines move while other processes lock. */
FILE *proc_locks_open(void);
/* The lines of /proc/locks about fd's file (found by proc_fd_dev and its inode), each as
 * "FLOCK ADVISORY WRITE <pid> 0 EOF" (a blocked waiter "-> FLOCK ..."; pids as this pid namespace
 * sees them, -1 for OFD locks), sorted, joined by "; " into out. How many, or -1. */
int proc_locks_of(int fd, char *out, size_t len);

/* The mounts at this mount point (an absolute path as mountinfo shows it), in mountinfo order (the
 * last one is on top), each as "ROOT MOUNT-OPTIONS FSTYPE SOURCE SUPER-OPTIONS", joined by "; ".
 * How many, or -1. */
int mountinfo_at(const char *point, char *out, size_t len);
/* The mounts at prefix and below it in /proc/PID/mountinfo (pid 0: self), one a line, sorted by mount
 * point (stacked mounts in mount order, the last on top), each as "POINT ROOT MOUNT-OPTIONS TAGS FSTYPE
 * SOURCE SUPER-OPTIONS", where TAGS are the optional fields with peer group numbers renumbered by first
 * use ("shared:#1 master:#2"), so that the string compares equal after C/R. How many, or -1. */
int mountinfo_tree(pid_t pid, const char *prefix, char *out, size_t len);
/* Two texts of lines (mountinfo_tree's) are equal; else a failure naming the first line that differs. */
#define expect_lines(what, found, expected) \
	zdtm_expect_lines(__FILE__, __LINE__, what, found, expected)
int zdtm_expect_lines(const char *file, int line, const char *what, const char *found, const char *expected);

/* ---- sockets (net.c) ---- */

struct sockaddr_storage;
/* 127.0.0.1 (AF_INET) or ::1 (AF_INET6) with port, in *ss; returns the address's length. */
unsigned loopback_addr(int family, int port, struct sockaddr_storage *ss);
/* An AF_INET or AF_INET6 address as "127.0.0.1:41231" or "[::1]:41231", into buf; returns buf. */
const char *inet_str(const void *sa, char *buf, size_t len);
/* The inet socket's own (peer false) or peer's address as inet_str writes it. 0, or -1 with errno. */
int inet_name(int fd, bool peer, char *buf, size_t len);
/* fd[0] connected to fd[1] over loopback (AF_INET 127.0.0.1 or AF_INET6 ::1) on port (0: any free
 * port); the listener is closed again. 0, or -1 with errno. */
int tcp_pair(int family, int port, int fd[2]);
/* As tcp_pair, but fd[0] is an IPv4 client and fd[1] the AF_INET6 end a dual-stack listener on
 * [::] (IPV6_V6ONLY 0) accepted: it sees both addresses v4-mapped ([::ffff:127.0.0.1]:port). */
int tcp_pair_4v6(int port, int fd[2]);
/* "ESTABLISHED", "CLOSE_WAIT", "LISTEN"... from TCP_INFO. */
const char *tcp_state_name(int fd);
/* The unix socket's own (peer false) or peer's name: a path, "@name" when abstract, "" unnamed. */
int unix_name(int fd, bool peer, char *buf, size_t len);

/* One message on the unix socket sk: len bytes of data and nfds fds (SCM_RIGHTS). 0, or -1 with errno. */
int scm_send(int sk, const void *data, size_t len, const int *fds, int nfds);
/* Receives one message without waiting: its bytes into buf (returned, or -1 with errno), its fds
 * into fds[0..*nfds-1] (*nfds: room on entry, how many came on return; MSG_CMSG_CLOEXEC). Control
 * data that did not fit (MSG_CTRUNC) is -1 with EMSGSIZE. */
ssize_t scm_recv(int sk, void *buf, size_t len, int *fds, int *nfds);

/* ---- cgroups (cgroup.c) ---- */

/* The test's own cgroup in hierarchy hier ("pids", "memory", "unified"...), or a cgroup sub below
 * it (sub NULL: the top one): /sys/fs/cgroup/HIER/zdtm-NAME-INO[/SUB], INO the inode of the test's
 * work directory. The runner removes every zdtm-NAME-INO after each dump and at the job's end. */
const char *cgroup_path(const char *hier, const char *sub, char *out, size_t len);
/* Writes val into (reads one line of) the cgroup file dir/file. 0, or -1 with errno. */
int cgroup_write(const char *dir, const char *file, const char *val);
int cgroup_read(const char *dir, const char *file, char *out, size_t len);
/* Thread tid's cgroup in the hierarchy of controller ("pids", "name=systemd"; "" for cgroup2) as
 * /proc/self/task/TID/cgroup shows it. 0, or -1 when there is no such line. */
int cgroup_of(pid_t tid, const char *controller, char *out, size_t len);

/* ---- network links of the caller's network namespace (link.c) ---- */

/* A link name of kind "veth" (other: the peer's name, in the same namespace), "macvlan" (other: the
 * parent link; bridge mode), "bridge" or "dummy" (other NULL). 0, or -1 with errno. */
int link_add(const char *name, const char *kind, const char *other);
/* Enslaves name to master (unless NULL), gives it ip/24 (unless NULL) and mtu (unless 0), and sets
 * it up. 0, or -1 with errno. */
int link_set(const char *name, const char *master, const char *ip, int mtu);
/* Moves name into the network namespace of netns_fd. 0, or -1 with errno. */
int link_move(const char *name, int netns_fd);
/* "NAME kind K master M mac MAC mtu N up|down [mode M] [peer-in-other-netns] addr A" ("NAME missing"). */
const char *link_desc(const char *name, char *out, size_t len);
/* The ifindex of a link's peer (a veth's other end, IFLA_LINK: an index in the peer's namespace); 0
 * when it has none, -1 when there is no such link. */
int link_peer_index(const char *name);

/* ---- nf_tables of the caller's network namespace (nft.c) ---- */

/* Table table of family (NFPROTO_IPV4, NFPROTO_INET...) with base chain chain (filter, hook input,
 * priority 0, policy accept) and one rule "[meta nfproto ipv4] ip daddr DADDR counter drop", the
 * form iptables-nft gives `-A INPUT -d DADDR/32 -j DROP`. 0, or -1 with errno. */
int nft_drop_rule(int family, const char *table, const char *chain, const char *daddr);
/* The base chain of nft_drop_rule (its table made if need be) with this policy (NF_ACCEPT, NF_DROP):
 * made, or its policy changed when it exists. 0, or -1 with errno. */
int nft_chain_policy(int family, const char *table, const char *chain, int policy);
/* Appends "ct state STATES counter accept" to that chain (made with policy accept if need be), STATES
 * a mask of NF_CT_STATE_BIT(IP_CT_ESTABLISHED)... (<linux/netfilter/nf_conntrack_common.h>), with
 * nftables' own ct expression. 0, or -1 with errno. */
int nft_ct_accept_rule(int family, const char *table, const char *chain, uint32_t states);
/* The same through the xtables match conntrack (revision 3, nft_compat): the form iptables-nft gives
 * `-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT` (family NFPROTO_IPV4 or NFPROTO_IPV6). */
int nft_xt_conntrack_rule(int family, const char *table, const char *chain, uint32_t states);
/* Every table, chain and rule as "table family 2 filter; chain family 2 filter INPUT filter hook 1
 * prio 0 policy 1; rule family 2 filter INPUT payload cmp counter:3 immediate;" (a counter with its
 * packets). How many lines, or -1 with errno. */
int nft_ruleset(char *out, size_t len);

/* 0 when a UDP datagram to ip (IPv4) port 9 is answered by ICMP port unreachable (ECONNREFUSED)
 * within 3 s: the host at ip is reachable (ARP and routes work) and its stack answers. */
int udp_refused(const char *ip);

/* ---- helpers ---- */

int write_all(int fd, const void *buf, size_t len);  /* 0 or -1 */
int read_all(int fd, void *buf, size_t len);         /* bytes read (short on EOF) or -1 */
int set_nonblock(int fd, bool on);

#endif
