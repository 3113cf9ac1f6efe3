/* How a flavor starts a test and what criu gets for it (flavor.c). */
#ifndef ZDTM_FLAVOR_H
#define ZDTM_FLAVOR_H

#include "runner.h"

struct flavor_setup {
	char exe[4200];          /* the binary to start (host path) */
	char cwd[4200];          /* its working directory (host path) */
	char pidfile[4200];      /* host paths of the pidfile and outfile */
	char outfile[4200];
	char pidfile_arg[4200];  /* the same files as the test names them */
	char outfile_arg[4200];
	char root[4200];         /* ns, uns: the test's root directory; "" in h */
	char dev[4200];          /* ns, uns: the tmpfs that is the test's /dev */
	char *env[16];           /* NULL-terminated */
	char env_store[6][4300];   /* 4, 5: a group's (group_env) */
	const char *dump_args[8];     /* flavor's extra criu options, NULL-terminated */
	const char *restore_args[8];
	char ext_dump[64], ext_restore[4300];
	char ext_mnt_dump[64], ext_mnt_restore[4300];   /* an external mount's (extmnt.c) */
};

/* The flavor's paths, environment and criu options, without touching anything (--dry-run). */
void flavor_describe(const struct job_ctx *ctx, struct flavor_setup *fs);
/* Builds what the flavor needs under ctx->dir (root, /dev); -1 with a message in r->reason. */
int flavor_prepare(const struct job_ctx *ctx, struct flavor_setup *fs, struct result *r);

#endif
