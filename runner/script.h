/* --script PATH: every criu call runs the user's action script and our recorder, which proves criu
 * called the action stages it documents, in order (script.c). */
#ifndef ZDTM_SCRIPT_H
#define ZDTM_SCRIPT_H

#include "steps.h"

/* The runner is the recorder when criu runs it through a link of this name. */
#define SCRIPT_RECORDER "zdtm-script-record"
/* The file, in the call's images dir, where the recorder appends "ACTION INIT_PID" lines (kept after
 * the call's check as SCRIPT_RECORD.<dump|restore>). */
#define SCRIPT_RECORD "zdtm-actions"

/* The recorder of a run: RUNDIR/SCRIPT_RECORDER, a link to this runner's binary. */
void script_recorder(const char *rundir, char *buf, size_t len);
/* Makes the link; 0, or -1 after a message. */
int script_create(const char *path);
/* criu runs it at every action: one line into the images dir's record. The exit code for criu. */
int script_record(void);
/* Before a call: the record of its images dir starts empty. */
void script_reset(const char *imgdir);
/* After a successful call of step st (ns: the flavor has namespaces of its own): criu called the
 * stages it documents for the action, in order. 0, or -1 with why naming the stage. */
int script_check(const struct step *st, bool ns, const char *imgdir, char *why, size_t len);

#endif
