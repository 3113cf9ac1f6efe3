/*
 * An external unix peer, shared by the runner (runner/extunix.c) and the tests that declare
 * "extunix-peer": before the test starts, the runner binds a datagram socket at this name in the
 * test's working directory and keeps it; the test connects a datagram socket of its own to it and
 * sends BEFORE, so criu dumps a socket whose peer is outside the tree (--ext-unix-sk), and after the
 * restore it sends AFTER. When the test has ended, the runner must have received both, in order.
 */
#ifndef ZDTM_EXTUNIX_H
#define ZDTM_EXTUNIX_H

#define ZDTM_EXTUNIX_NAME "zdtm-ext-peer.sock"
#define ZDTM_EXTUNIX_BEFORE "zdtm-extunix: sent before the dump"
#define ZDTM_EXTUNIX_AFTER "zdtm-extunix: sent after the restore"

#endif
