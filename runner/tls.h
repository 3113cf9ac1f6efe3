/* --tls: the run's CA, certificate and key for criu's page-server connections (tls.c). */
#ifndef ZDTM_TLS_H
#define ZDTM_TLS_H

#include "runner.h"

enum tls_file { TLS_CA, TLS_CERT, TLS_KEY, TLS_CA_KEY, TLS_NFILES };

/* Where a file of the run is kept: RUNDIR/tls-ca.pem, tls-cert.pem, tls-key.pem, tls-ca-key.pem. */
void tls_path(const char *rundir, enum tls_file f, char *buf, size_t len);
/* Makes a CA and a certificate for 127.0.0.1 signed by it, with its key (openssl, fixed arguments);
 * user: the key becomes USER_UID's (--user dumps read it). 0, or -1 after a message. */
int tls_create(const char *rundir, bool user);
/* Removes them (nothing when they are not there). */
void tls_remove(const char *rundir);

#endif
