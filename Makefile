# zdtm: a checkpoint/restore test suite for criu.
#   make          build libzdtm, every test, the runner (bin/zdtm) and the self-tests
#   make deps     obtain a working criu (project-local, under .deps/) unless one is there;
#                 CRIU_SECOND=trixie also fetches Debian trixie's criu as .deps/bin/criu-trixie
#                 (a second version for --criu-bin-restore)
#   make run      all of the above, then bin/zdtm run -a in the h flavor
#   make check    the project's own tests (what CI runs)
#   make bench    the runner's cost next to criu's (scripts/bench)
all:
	$(MAKE) -C zdtm
	$(MAKE) -C runner
	$(MAKE) -C tests

deps:
	scripts/get-criu
	$(if $(CRIU_SECOND),scripts/get-criu --second $(CRIU_SECOND))

run: all deps
	bin/zdtm run -a -f h --keep-going

check: all deps
	tests/check

# The suite's own speed next to criu's (numbers go in the README; never asserted in check).
bench: all deps
	scripts/bench

clean:
	$(MAKE) -C zdtm clean
	$(MAKE) -C runner clean
	$(MAKE) -C tests clean

.PHONY: all deps run check bench clean
