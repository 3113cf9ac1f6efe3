/*
 * Tests are linked with --wrap=pthread_create (zdtm/Makefile.inc): every thread a test starts
 * enters its own rseq area and errno into the volatile table (volatile.c) before it runs the
 * test's code.
 * In a file of its own, so only tests that start threads link it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "zdtm.h"
#include "lib.h"

struct start {
	void *(*fn)(void *);
	void *arg;
};

int __real_pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg);

static void *thread_start(void *p)
{
	struct start s = *(struct start *)p;

	free(p);
	zdtm_volatile_thread();
	return s.fn(s.arg);
}

int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
	struct start *s = malloc(sizeof(*s));
	int rc;

	if (!s)
		return EAGAIN;
	*s = (struct start){ fn, arg };
	rc = __real_pthread_create(t, attr, thread_start, s);
	if (rc)
		free(s);
	return rc;
}
