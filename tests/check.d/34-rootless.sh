# shellcheck shell=bash
# runner: --rootless (each job as uid 18943 in a user namespace it owns; criu --unprivileged with two capabilities)
dry_seq "--rootless: every dump and restore with --unprivileged" \
	"^criu dump .*-v4 --unprivileged --tree PID" "^criu restore .*-v4 --unprivileged --restore-detached" "^SIGTERM" \
	-- -t env00 -f h --rootless
expect "--rootless --user: exit 2" 2 "not with --user" "$ZDTM" run -t env00 --rootless --user
expect "--rootless -f ns: exit 2" 2 "give -f h" "$ZDTM" run -t env00 -f ns --rootless
expect "--rootless --join-ns: exit 2" 2 "not with --join-ns" "$ZDTM" run -t env00 -f h --rootless --join-ns
expect "--rootless --set groups: exit 2" 2 "not with --set groups" "$ZDTM" run -a --rootless --set groups
var_env00 "--rootless: env00 in h; ns and uns SKIP" "h=PASS ns=SKIP uns=SKIP" --rootless
expect "--rootless: ns SKIPs with the reason" 0 'SKIP .*env00 +ns .*cannot make the namespaces of ns' cat "$out/var"
expect "--rootless: a suid test SKIPs" 0 'SKIP .*zdtm/static/mlock_setuid +h .*needs real root \(suid\)' \
	"$ZDTM" run -t mlock_setuid -f h --rootless
# What the job is: the runner's state snapshot of the test (read in the job's /proc) and the job's log.
"$ZDTM" run -t env00 -f h --rootless --keep-img always --report "$out/rl" > "$out/rl.log" 2>&1
expect "--rootless: the job's log says whose user namespace it is" 0 'rootless: uid 18943 owns the job.s user namespace' \
	cat "$out"/rl/*/job.log
expect "--rootless: the test runs as uid 18943 (not switched: the job has no other uid)" 0 '^task [0-9]+ Uid = 18943	18943	18943	18943$' \
	cat "$out"/rl/*/state.before
expect "--rootless: the test holds no capability" 0 '^task [0-9]+ CapEff = 0000000000000000$' cat "$out"/rl/*/state.before
expect "--rootless: the run leaves no copy of criu behind" 0 '^none$' \
	sh -c 'ls "$0"/criu-rootless* > /dev/null 2>&1 || echo none' "$out/rl"
rm -rf "$out/rl"
# criu's capabilities show in a zombie it restores (a known failure whose entry matches them exactly).
expect "--rootless: criu runs with cap_checkpoint_restore and cap_sys_ptrace only (a restored zombie keeps 0x10000080000)" 0 \
	'^XFAIL +zdtm/static/zombie01 +h' "$ZDTM" run --keep-img never -t zombie01 -f h --rootless
# Shared anonymous memory comes back as an unnamed memfd: the state and memory checks take it as the
# same mapping under --rootless only; a named memfd that loses its name is still caught.
expect "--rootless: a shared anonymous mapping restored as a memfd passes (pstree00)" 0 '^PASS +zdtm/static/pstree00 +h' \
	"$ZDTM" run --keep-img never -t pstree00 -f h --rootless
expect "--rootless: a memfd that lost its name is still a difference (memfd_mmap, its entry)" 0 '^XFAIL +zdtm/static/memfd_mmap +h' \
	"$ZDTM" run --keep-img never -t memfd_mmap -f h --rootless
later tally_run "--rootless" --rootless -f h -p 2
