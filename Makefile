# zdtm: a checkpoint/restore test suite for criu.
#   make          build libzdtm, every test, the runner (bin/zdtm), the self-tests and the man
#                 page zdtm.1 (scripts/man-page, from `bin/zdtm --help`)
#   make deps     the programs criu runs (iptables, iproute2: system packages, when missing) and
#                 a working criu (project-local, under .deps/) unless one is there, with its libcriu
#                 (for bin/zdtm-criu-rpc, built by make when libcriu is there), and crit
#                 (Debian's python3-pycriu, under .deps/pycriu, for --crit);
#                 CRIU_SECOND=trixie also fetches Debian trixie's criu as .deps/bin/criu-trixie
#                 (a second version for --criu-bin-restore), probed with env00 (scripts/probe-pair)
#   make run      all of the above, then bin/zdtm run -a in the h flavor
#   make check    the project's own tests (what CI runs)
#   make matrix   make check with every catalog pass over the whole catalog in every flavor
#   make bench    the runner's cost next to criu's (scripts/bench)
#   make install  the runner, the built catalog, libzdtm and zdtm.1 under $(DESTDIR)$(PREFIX)
#                 (default /usr/local); make uninstall removes them
#   dpkg-buildpackage -us -uc -b   a zdtm .deb (debian/: make install with PREFIX=/usr)
all:
	$(MAKE) -C zdtm
	$(MAKE) -C runner
	$(MAKE) -C tests
	$(MAKE) -C rpc
	$(MAKE) zdtm.1

# zdtm(1) is written from the runner's usage text (scripts/man-page), so --help and the page agree.
zdtm.1: bin/zdtm scripts/man-page
	scripts/man-page bin/zdtm > $@.tmp && mv $@.tmp $@

# A second criu is probed with env00 at once (scripts/probe-pair): on some machines an old criu
# hangs in every dump, and make check then skips its cross-version pass with the reason.
deps:
	scripts/get-helpers
	scripts/get-criu
	scripts/get-criu --libcriu || echo "make deps: no libcriu, so no bin/zdtm-criu-rpc (--rpc)"
	scripts/get-criu --pycriu
	$(if $(CRIU_SECOND),scripts/get-criu --second $(CRIU_SECOND))
	$(if $(CRIU_SECOND),$(MAKE) -s all && scripts/probe-pair .deps/bin/criu-$(CRIU_SECOND) "$$(cat .deps/criu-path)" \
		|| echo "make deps: the cross-version pass of make check will be skipped")

run: all deps
	bin/zdtm run -a -f h --keep-going

check: all deps
	tests/check

matrix: all deps
	ZDTM_CHECK_MATRIX=1 tests/check

# The suite's own speed next to criu's (numbers go in the README; never asserted in check).
bench: all deps
	scripts/bench

# The runner finds its tests beside itself (the directory above its bin/), so the suite installs as one
# tree, $(PREFIX)/lib/zdtm, and $(PREFIX)/bin/zdtm is a link to its runner. Test sources go along: a
# failing test is read there. No .deps/: an installed suite uses $$CRIU, --criu-bin or criu in PATH.
# libzdtm (include/zdtm/zdtm.h, and libzdtm.a in ZDTM_LIBDIR: the suite's lib/, or for Debian the
# multiarch directory, where -lzdtm finds it) is for tests written out of this tree.
PREFIX ?= /usr/local
ZDTM_LIBDIR ?= $(PREFIX)/lib/zdtm/lib
SUITE  := $(DESTDIR)$(PREFIX)/lib/zdtm
CATALOG_DIRS := zdtm/static zdtm/transition zdtm/group   # group: the --set groups init

install: all
	install -d $(SUITE)/bin $(SUITE)/zdtm $(DESTDIR)$(PREFIX)/bin
	install -m 755 bin/zdtm $(SUITE)/bin/zdtm
	install -m 644 bin/libzdtm-fault.so $(SUITE)/bin/libzdtm-fault.so
	install -m 755 bin/zdtm-image-streamer $(SUITE)/bin/zdtm-image-streamer
	install -d $(SUITE)/scripts
	install -m 755 scripts/crit-roundtrip $(SUITE)/scripts/crit-roundtrip
	install -m 644 zdtm/known-failures $(SUITE)/zdtm/known-failures
	set -e; for d in $(CATALOG_DIRS); do \
		install -d $(SUITE)/$$d; \
		for src in $$d/*.c; do \
			install -m 644 $$src $(SUITE)/$$d/; \
			install -m 755 $${src%.c} $(SUITE)/$$d/; \
		done; \
	done
	ln -sfn ../lib/zdtm/bin/zdtm $(DESTDIR)$(PREFIX)/bin/zdtm
	install -d $(DESTDIR)$(ZDTM_LIBDIR) $(DESTDIR)$(PREFIX)/include/zdtm
	install -m 644 zdtm/lib/libzdtm.a $(DESTDIR)$(ZDTM_LIBDIR)/libzdtm.a
	install -m 644 zdtm/lib/zdtm.h $(DESTDIR)$(PREFIX)/include/zdtm/zdtm.h
	install -d $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 zdtm.1 $(DESTDIR)$(PREFIX)/share/man/man1/zdtm.1

uninstall:
	rm -rf $(SUITE) $(DESTDIR)$(PREFIX)/include/zdtm $(DESTDIR)$(ZDTM_LIBDIR)/libzdtm.a
	rm -f $(DESTDIR)$(PREFIX)/bin/zdtm $(DESTDIR)$(PREFIX)/share/man/man1/zdtm.1

clean:
	$(MAKE) -C zdtm clean
	$(MAKE) -C runner clean
	$(MAKE) -C tests clean
	$(MAKE) -C rpc clean
	rm -f zdtm.1

.PHONY: all deps run check matrix bench install uninstall clean
