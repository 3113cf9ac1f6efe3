/*
 * --tls: criu secures its page-server connection with GnuTLS (--tls); both ends present a
 * certificate (--tls-cert, --tls-key) and trust only those signed by the CA they are given
 * (--tls-cacert), and the dump checks that the server's certificate names the address it connects
 * to. The run makes its own CA and one certificate for 127.0.0.1 signed by it (the page server and
 * the dump both use it), with /usr/bin/openssl and fixed arguments, in the run directory; they are
 * removed when the run ends. Short-lived EC keys: they are made in milliseconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tls.h"

#define OPENSSL "/usr/bin/openssl"

static const char *const names[TLS_NFILES] = { "tls-ca.pem", "tls-cert.pem", "tls-key.pem", "tls-ca-key.pem" };

void tls_path(const char *rundir, enum tls_file f, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", rundir, names[f]);
}

/* Runs openssl req for a certificate of subject subj, args after the common ones; its output goes to
 * log. 0, or -1 after a message. */
static int openssl_req(const char *subj, const char *const *args, int log)
{
	char *argv[32] = { OPENSSL, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
			   "-nodes", "-days", "2" };
	int n = 10, status = 0;
	char how[64];

	while (*args && n < 29)
		argv[n++] = (char *)*args++;
	argv[n++] = "-subj";
	argv[n++] = (char *)subj;
	argv[n] = NULL;
	pid_t pid = proc_spawn(argv, NULL, log, NULL);
	if (pid < 0 || proc_wait(pid, 30000, &status)) {
		if (pid > 0)
			proc_kill(pid);
		fprintf(stderr, "zdtm: --tls: cannot run %s (or it took 30 s)\n", OPENSSL);
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		proc_status_str(status, how, sizeof(how));
		fprintf(stderr, "zdtm: --tls: %s req ... -subj %s: %s%s\n", OPENSSL, subj, how,
			WIFEXITED(status) && WEXITSTATUS(status) == 127 ? " (is openssl installed?)" : "");
		return -1;
	}
	return 0;
}

int tls_create(const char *rundir, bool user)
{
	char p[TLS_NFILES][4200], log[4200];
	int fd, rc;

	for (int f = 0; f < TLS_NFILES; f++)
		tls_path(rundir, f, p[f], sizeof(p[f]));
	snprintf(log, sizeof(log), "%s/tls-openssl.log", rundir);
	if ((fd = open(log, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0) {
		fprintf(stderr, "zdtm: --tls: %s: %s\n", log, strerror(errno));
		return -1;
	}
	rc = openssl_req("/CN=zdtm run CA", (const char *const[]){ "-keyout", p[TLS_CA_KEY], "-out", p[TLS_CA],
								    NULL }, fd) ||
	     openssl_req("/CN=127.0.0.1", (const char *const[]){ "-keyout", p[TLS_KEY], "-out", p[TLS_CERT],
								  "-CA", p[TLS_CA], "-CAkey", p[TLS_CA_KEY],
								  "-addext", "subjectAltName=IP:127.0.0.1", NULL }, fd)
		     ? -1 : 0;
	if (!rc && user && chown(p[TLS_KEY], USER_UID, USER_GID)) {
		fprintf(stderr, "zdtm: --tls: chown %s to uid %d: %s\n", p[TLS_KEY], USER_UID, strerror(errno));
		rc = -1;
	}
	if (rc) {   /* what openssl said */
		char buf[4096];
		ssize_t n;

		lseek(fd, 0, SEEK_SET);
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			fwrite(buf, 1, n, stderr);
	}
	close(fd);
	unlink(log);
	if (rc)
		tls_remove(rundir);
	return rc;
}

void tls_remove(const char *rundir)
{
	char p[4200];

	for (int f = 0; f < TLS_NFILES; f++) {
		tls_path(rundir, f, p, sizeof(p));
		unlink(p);
	}
}
