# shellcheck shell=bash
# runner: --pre-dump-mode splice|read (how criu pre-dump reads the pages; every dump-type call gets it)
# It needs --pre N, which SKIPs here (no soft-dirty): what runs here is the plan and the refusals.
dry_seq "--pre-dump-mode read --pre 1: the pre-dump and the dump with --pre-dump-mode read, the restore without" \
	"^criu pre-dump .*$D/1 .*--timeout 10 --pre-dump-mode read\$" \
	"^criu dump .*$D/2 .*--prev-images-dir \.\./1 --track-mem --pre-dump-mode read\$" \
	"^criu restore .*$D/2 .*restore\.pid\$" "^SIGTERM" -- -t env00 -f h --pre 1 --pre-dump-mode read
dry_seq "--pre-dump-mode splice --pre 1 -f ns: the mode before the flavor's options" \
	"^criu pre-dump .*--pre-dump-mode splice --root JOB0/root " "^criu dump .*--pre-dump-mode splice --root JOB0/root " \
	"^criu restore " "^SIGTERM" -- -t env00 -f ns --pre 1 --pre-dump-mode splice
expect "--pre-dump-mode without --pre: exit 2" 2 "give --pre N" "$ZDTM" run -t env00 --pre-dump-mode read
expect "--pre-dump-mode with --snaps (its pre-steps are dumps): exit 2" 2 "without --snaps" "$ZDTM" run -t env00 --pre 1 --snaps --pre-dump-mode read
expect "--pre-dump-mode: a mode criu does not have, exit 2" 2 "wants splice or read, not 'vm'" "$ZDTM" run -t env00 --pre 1 --pre-dump-mode vm
var_env00 "--pre-dump-mode read --pre 1: SKIP without soft-dirty, as --pre" "h=SKIP ns=SKIP uns=SKIP" --pre 1 --pre-dump-mode read
expect "--pre-dump-mode: the SKIP names mem_dirty_track" 0 'SKIP .*env00 +uns .*missing criu feature mem_dirty_track, which --pre needs' cat "$out/var"
later tally_run "--pre 1 --pre-dump-mode read" -T "$SAMPLE" --pre 1 --pre-dump-mode read -p 2
