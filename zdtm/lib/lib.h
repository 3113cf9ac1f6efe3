/* Internal to libzdtm: state shared between the library's files. */
#ifndef ZDTM_LIB_INTERNAL_H
#define ZDTM_LIB_INTERNAL_H

#include <stdbool.h>
#include <sys/types.h>

struct zdtm_args {
	const char *pidfile;
	const char *outfile;
	bool describe;
};

/* options.c: parses argv (exits 2 on bad input); prints --describe / --help. */
void zdtm_parse_args(int argc, char **argv, struct zdtm_args *args);

/* verdict.c: the process whose verdict counts, and whether it gave one. */
void zdtm_set_master(pid_t pid);
bool zdtm_is_master(void);
pid_t zdtm_master_pid(void);
/* Formats "HH:MM:SS.mmm pid: " into buf; returns its length. */
int zdtm_msg_prefix(char *buf, size_t len);

/* namespace.c: ns/uns flavors; returns only in the test process. */
void zdtm_enter_namespaces(char **argv, struct zdtm_args *args);
/* namespace.c: closes the fd test_outer_netns() gives (at "ready"). */
void zdtm_close_outer_netns(void);

/* volatile.c: enters the calling thread's rseq area and errno into the volatile table. */
void zdtm_volatile_thread(void);

#endif
