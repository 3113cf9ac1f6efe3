# shellcheck shell=bash
# runner: --dedup and --noauto-dedup (criu punches the pages it made redundant)
# --dedup: --auto-dedup on every dump-type call, its page server and every restore; a restore must free
# the blocks of the page images it read. --noauto-dedup: criu dedup after each dump chained to a parent.
# A chain needs --pre N or --norst --iter N, both SKIP here (no soft-dirty); --iter N restores in between.
dry_seq "--dedup --iter 2: every dump and restore with --auto-dedup" \
	"^criu dump .*$D/1 .*--timeout 10 --auto-dedup\$" "^criu restore .*$D/1 .*--restore-detached --pidfile JOB0/img/1/restore.pid --auto-dedup\$" \
	"^criu dump .*$D/2 .*--timeout 10 --auto-dedup\$" "^criu restore .*$D/2 .*--auto-dedup\$" "^SIGTERM" -- -t env00 -f h --dedup --iter 2
dry_seq "--dedup --pre 1 --page-server: the page server and the chained dump get --auto-dedup too" \
	"^criu page-server .*$D/1 .*--port 27000 --auto-dedup --status-fd 3\$" "^criu pre-dump .*$D/1 .*--port 27000 --auto-dedup\$" \
	"^criu page-server .*$D/2 .*--auto-dedup " "^criu dump .*$D/2 .*--prev-images-dir \.\./1 --track-mem --page-server .*--auto-dedup\$" \
	"^criu restore .*$D/2 .*--auto-dedup\$" "^SIGTERM" -- -t env00 -f h --dedup --pre 1 --page-server
dry_seq "--noauto-dedup --pre 1: criu dedup on the chained dump's images, after it" \
	"^criu pre-dump .*$D/1 .*--timeout 10\$" "^criu dump .*$D/2 .*--prev-images-dir \.\./1 --track-mem\$" \
	"^criu dedup --no-default-config $D/2 --log-file JOB0/img/2/dedup\.log -v4\$" "^criu restore .*$D/2 .*pid\$" "^SIGTERM" \
	-- -t env00 -f h --noauto-dedup --pre 1
dry_seq "--noauto-dedup --norst --iter 2: the first dump has no parent, the second is deduplicated" \
	"^criu dump .*$D/1 .*--leave-running\$" "^criu dump .*$D/2 .*--prev-images-dir \.\./1 --track-mem\$" \
	"^criu dedup .*$D/2 " "^SIGTERM" -- -t env00 -f h --noauto-dedup --norst --iter 2
expect "--noauto-dedup --iter 2 (a restore ends each chain): exit 2" 2 "give --pre N or --norst --iter N" "$ZDTM" run -t env00 --noauto-dedup --iter 2
expect "--dedup --norst without a chain: exit 2" 2 "--norst without --iter N or --pre N has neither" "$ZDTM" run -t env00 --dedup --norst
expect "--dedup with --noauto-dedup: exit 2" 2 "give one" "$ZDTM" run -t env00 --dedup --noauto-dedup --pre 1
expect "--dedup with --nocr: exit 2" 2 "need criu" "$ZDTM" run -t env00 --dedup --nocr
var_env00 "--dedup --iter 2: env00 in h, ns and uns" "h=PASS ns=PASS uns=PASS" --dedup --iter 2 --keep-img always --report "$out/dedup"
expect "--dedup: each restore freed every block of the page images it read" 0 '^6 restores, 6 punched to 0 blocks$' \
	sh -c 'echo "$(cat "$1"/*/job.log | grep -c "dedup: the pages-\*\.img of .* held [1-9][0-9]* blocks") restores, $(cat "$1"/*/job.log | grep -c "dedup: the pages-\*\.img of .* blocks, now 0$") punched to 0 blocks"; rm -rf "$1"' sh "$out/dedup"
TAMPER=nodedup expect "--dedup: a restore that punched nothing is a FAIL" 1 \
	'at images: after restore 1: restore --auto-dedup left ([0-9]+) of the \1 blocks of the pages-\*\.img it read' \
	"$ZDTM" run --keep-img never -t zdtm/static/env00 -f h --dedup --criu-bin tests/criu-tamper
var_env00 "--noauto-dedup --pre 1: SKIP without soft-dirty (mem_dirty_track)" "h=SKIP ns=SKIP uns=SKIP" --noauto-dedup --pre 1
expect "--noauto-dedup: the SKIP names mem_dirty_track" 0 'SKIP .*env00 +h .*missing criu feature mem_dirty_track' cat "$out/var"
later tally_run "--dedup --iter 2 (sample, h ns)" -T "$SAMPLE" --dedup --iter 2 -f "$SAMPLE_HNS" -p 2
later tally_run "--noauto-dedup --pre 1" -T "$SAMPLE" --noauto-dedup --pre 1 -p 2
