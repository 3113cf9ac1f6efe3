/* The test tree's memory, page by page, before and after C/R (memory.c). */
#ifndef ZDTM_MEMORY_H
#define ZDTM_MEMORY_H

#include "runner.h"

/* Writes the digest of the memory of every task of the tree rooted at host pid root to path. */
int memory_digest(pid_t root, const char *path);
/* Compares two digests; on a difference fills why (task, area, first page that differs), returns 1.
 * memfd_shmem: as state_diff's (--rootless). */
int memory_diff(const char *before, const char *after, bool memfd_shmem, char *why, size_t len);

/* The address of the section name in the ELF executable at path (elfsection.c); 0 when it has none. */
unsigned long elf_section(const char *path, const char *name);

#endif
