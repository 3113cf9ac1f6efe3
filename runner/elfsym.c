/*
 * The address of a symbol in an executable (ELF64, ET_EXEC: the tests are
 * static, not position-independent binaries), from its symbol table: how the
 * memory digest finds libzdtm's table of volatile areas in a test process.
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

/* The symbol in the table of section sh (names in section str); 0 when absent. */
static unsigned long find_in(int fd, const Elf64_Shdr *sh, const Elf64_Shdr *str, const char *name)
{
	size_t n = sh->sh_size / sizeof(Elf64_Sym);
	Elf64_Sym *syms = malloc(sh->sh_size);
	char *names = malloc(str->sh_size + 1);
	unsigned long addr = 0;

	if (syms && names && read_at(fd, syms, sh->sh_size, sh->sh_offset) &&
	    read_at(fd, names, str->sh_size, str->sh_offset)) {
		names[str->sh_size] = 0;
		for (size_t i = 0; i < n && !addr; i++)
			if (syms[i].st_name < str->sh_size && !strcmp(names + syms[i].st_name, name))
				addr = syms[i].st_value;
	}
	free(syms);
	free(names);
	return addr;
}

unsigned long elf_symbol(const char *path, const char *name)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf64_Ehdr eh;
	Elf64_Shdr *sh = NULL;
	unsigned long addr = 0;

	if (fd < 0)
		return 0;
	if (read_at(fd, &eh, sizeof(eh), 0) && !memcmp(eh.e_ident, ELFMAG, SELFMAG) &&
	    eh.e_ident[EI_CLASS] == ELFCLASS64 && eh.e_type == ET_EXEC && eh.e_shentsize == sizeof(Elf64_Shdr) &&
	    (sh = calloc(eh.e_shnum, sizeof(*sh))) && read_at(fd, sh, eh.e_shnum * sizeof(*sh), eh.e_shoff))
		for (int i = 0; i < eh.e_shnum && !addr; i++)
			if (sh[i].sh_type == SHT_SYMTAB && sh[i].sh_link < eh.e_shnum)
				addr = find_in(fd, &sh[i], &sh[sh[i].sh_link], name);
	free(sh);
	close(fd);
	return addr;
}
