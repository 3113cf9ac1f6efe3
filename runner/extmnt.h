/* External mounts: a tmpfs of the job's that the test sees at /mnt_ext (extmnt.c). */
#ifndef ZDTM_EXTMNT_H
#define ZDTM_EXTMNT_H

#include "flavor.h"

/* Adds what a test flagged extmnt, extmnt-sub, extmnt-auto, extmnt-file-auto, extmnt-multiple,
 * extmnt-rootfs or extmnt-master needs to a described ns/uns flavor: ZDTM_EXTMNT (ZDTM_EXTMNT2,
 * ZDTM_EXTMNT_SLAVE) for libzdtm's namespace init, and --external mnt[/mnt_ext]:zdtm_ext on dumps and
 * mnt[zdtm_ext]:HOSTPATH on restores (or mnt[] on both; plus /mnt_ext2 as zdtm_ext2). n: the env's
 * next slot. */
void extmnt_describe(const struct job_ctx *ctx, struct flavor_setup *fs, int *n);
/* Makes the job's tmpfs (DIR/ext, with its files; shared for extmnt-master) or directory DIR/rootext
 * and the mountpoints in the test's root; 0 or -1. */
int extmnt_prepare(const struct job_ctx *ctx, const struct flavor_setup *fs);

#endif
