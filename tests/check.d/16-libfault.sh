# shellcheck shell=bash
# runner: --preload-libfault (criu's preads over 2 KiB cut short by an LD_PRELOAD library of ours)
# With criu 4.2.1 the library is loaded in every dump and restore but finds no pread over 2 KiB to
# cut (the restorer reads the page images with raw syscalls): the runner checks that it was loaded.
dry_seq "--preload-libfault: dump and restore with LD_PRELOAD of libzdtm-fault.so, not their servers" \
	"^criu page-server .*--port 27000 --status-fd 3\$" \
	"^LD_PRELOAD=[^ ]*/bin/libzdtm-fault\.so criu dump .*--page-server" \
	"^LD_PRELOAD=[^ ]*/bin/libzdtm-fault\.so criu restore " "^SIGTERM" -- -t env00 -f h --preload-libfault --page-server
expect "--preload-libfault with --user: exit 2 (the loader ignores it for a criu with file capabilities)" 2 \
	"the loader ignores LD_PRELOAD" "$ZDTM" run -t env00 --preload-libfault --user
var_env00 "--preload-libfault: env00 in every flavor" "h=PASS ns=PASS uns=PASS" --preload-libfault
TAMPER=nolibfault expect "--preload-libfault: a criu that ran without the library is a FAIL" 1 \
	'at dump: criu dump ran without libfault' tamper -t zdtm/static/env00 --preload-libfault
later tally_run "--preload-libfault (sample, h ns)" -T "$SAMPLE" --preload-libfault -f "$SAMPLE_HNS" -p 2
