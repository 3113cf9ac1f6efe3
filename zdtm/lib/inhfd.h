/*
 * Inherited fds, shared by the runner and the tests that declare "inhfd-pipe" or "inhfd-socket":
 * the runner hands the test one end of a pipe (the read end) or of a unix stream socketpair at
 * this fd; each restore gets a fresh pair through criu's --inherit-fd, and before SIGTERM the
 * runner writes the message into its end, which the test must read from the fd it holds.
 */
#ifndef ZDTM_INHFD_H
#define ZDTM_INHFD_H

#define ZDTM_INHFD_FD 3
#define ZDTM_INHFD_MESSAGE "zdtm-inhfd: written into the runner's end before SIGTERM\n"

#endif
