# shellcheck shell=bash
# runner: --mntns-compat-mode (restores with criu's old mount engine; ns and uns, h jobs SKIP)
dry_seq "--mntns-compat-mode -f ns: the restore with --mntns-compat-mode, the dump as ever" \
	"^criu dump .*$D/1 .*--timeout 10 --root JOB0/root --external mnt\[/dev\]:zdtm_dev\$" \
	"^criu restore .*restore\.pid --mntns-compat-mode --root JOB0/root --external mnt\[zdtm_dev\]:JOB0/dev\$" "^SIGTERM" \
	-- -t env00 -f ns --mntns-compat-mode
expect "--mntns-compat-mode -f h: exit 2" 2 "-f h has none of its own" "$ZDTM" run -t env00 -f h --mntns-compat-mode
expect "--mntns-compat-mode --norst: exit 2" 2 "a way to restore; --norst does not restore" "$ZDTM" run -t env00 --mntns-compat-mode --norst
var_env00 "--mntns-compat-mode: env00 in ns and uns; h SKIPs" "h=SKIP ns=PASS uns=PASS" --mntns-compat-mode
expect "--mntns-compat-mode: h SKIPs with the reason" 0 'SKIP .*env00 +h .*in h the test has none of its own' cat "$out/var"
# criu 4.2.1's new mount engine logs "mnt-v2:" lines as it restores a mount namespace; the old one none.
expect "--mntns-compat-mode: criu restored the mounts with the old engine (no mnt-v2 line in its restore log, some without the option)" 0 '^compat 0, default [1-9][0-9]*$' \
	sh -c '"$0" run -t bind_mount00 -f ns --mntns-compat-mode --keep-img always --report "$1/m1" > /dev/null &&
	"$0" run -t bind_mount00 -f ns --keep-img always --report "$1/m2" > /dev/null &&
	echo "compat $(cat "$1"/m1/*/img/1/restore.log | grep -c "mnt-v2:"), default $(cat "$1"/m2/*/img/1/restore.log | grep -c "mnt-v2:")"; rm -rf "$1/m1" "$1/m2"' "$ZDTM" "$out"
later tally_run "--mntns-compat-mode" -T "$SAMPLE" --mntns-compat-mode -f ns,uns -p 2
