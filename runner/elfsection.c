/*
 * The address of a named section in an executable (ELF64, ET_EXEC: the tests are static, not
 * position-independent binaries): how the memory digest finds libzdtm's table of volatile areas
 * in a test process. A section, not a symbol: section headers survive `strip` (a packaged suite's
 * tests are stripped by dh_strip), the symbol table does not.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memory.h"

static bool read_at(int fd, void *buf, size_t len, off_t off)
{
	return pread(fd, buf, len, off) == (ssize_t)len;
}

/* The section names (the section eh.e_shstrndx), NUL-terminated; NULL on failure. */
static char *section_names(int fd, const Elf64_Ehdr *eh, const Elf64_Shdr *sh, size_t *len)
{
	const Elf64_Shdr *s = eh->e_shstrndx < eh->e_shnum ? &sh[eh->e_shstrndx] : NULL;
	char *names = s ? malloc(s->sh_size + 1) : NULL;

	if (names && !read_at(fd, names, s->sh_size, s->sh_offset)) {
		free(names);
		return NULL;
	}
	if (names) {
		names[s->sh_size] = 0;
		*len = s->sh_size;
	}
	return names;
}

unsigned long elf_section(const char *path, const char *name)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf64_Ehdr eh;
	Elf64_Shdr *sh = NULL;
	unsigned long addr = 0;
	char *names = NULL;
	size_t len = 0;

	if (fd < 0)
		return 0;
	if (read_at(fd, &eh, sizeof(eh), 0) && !memcmp(eh.e_ident, ELFMAG, SELFMAG) &&
	    eh.e_ident[EI_CLASS] == ELFCLASS64 && eh.e_type == ET_EXEC && eh.e_shentsize == sizeof(Elf64_Shdr) &&
	    (sh = calloc(eh.e_shnum, sizeof(*sh))) && read_at(fd, sh, eh.e_shnum * sizeof(*sh), eh.e_shoff) &&
	    (names = section_names(fd, &eh, sh, &len)))
		for (int i = 0; i < eh.e_shnum && !addr; i++)
			if (sh[i].sh_name < len && !strcmp(names + sh[i].sh_name, name))
				addr = sh[i].sh_addr;
	free(names);
	free(sh);
	close(fd);
	return addr;
}
