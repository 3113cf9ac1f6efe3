# shellcheck shell=bash
# runner: --rpc (dumps and restores through criu's RPC interface: bin/zdtm-criu-rpc with libcriu)
expect "tests/rpc-shim: the shim's own checks (every exit status, env00 over RPC)" 0 '^ok - env00: PASS after C/R over RPC$' tests/rpc-shim
dry_seq "--rpc: dump and restore through bin/zdtm-criu-rpc, the page server on criu's command line" \
	"^criu page-server .*$D/1 .*--port 27000 --status-fd 3\$" \
	"^[^ ]*/bin/zdtm-criu-rpc --criu criu dump --no-default-config $D/1 .*--page-server --address 127.0.0.1 --port 27000\$" \
	"^[^ ]*/bin/zdtm-criu-rpc --criu criu restore --no-default-config $D/1 .*--restore-detached --pidfile JOB0/img/1/restore.pid\$" \
	"^SIGTERM" -- -t env00 -f h --rpc --page-server
expect "--rpc with --lazy-pages: exit 2 (libcriu has no setter for it)" 2 "cannot carry a lazy restore" "$ZDTM" run -t env00 --rpc --lazy-pages
expect "--rpc with --criu-config: exit 2" 2 "cannot carry --criu-config" "$ZDTM" run -t env00 --rpc --criu-config
var_env00 "--rpc: env00 in h, ns and uns" "h=PASS ns=PASS uns=PASS" --rpc
expect "--rpc: a crfail test's refusal over RPC is the refusal it expects" 0 '^zdtm: 1 PASS, 0 FAIL' \
	"$ZDTM" run --keep-img never -t zombie_leader -f h --rpc
FAKE_CRIU_MODE=fail expect "--rpc: a criu swrk that dies is told apart from a refusal (the shim's exit 3)" 1 \
	'at dump: criu dump over RPC failed \(exit 3\): zdtm-criu-rpc: criu swrk crashed or closed the connection' \
	"$ZDTM" run --keep-img never -t env00 -f h --rpc --criu-bin tests/fake-criu
expect "--rpc: a test whose own option RPC cannot carry SKIPs, naming it (rpc.proto has no ghost_fiemap)" 0 \
	'^SKIP +zdtm/static/ghost_multi_hole00 +h .*RPC cannot carry --no-ghost-fiemap \(the test.s own option\)' \
	"$ZDTM" run --keep-img never -t ghost_multi_hole00 -f h --rpc
later tally_run "--rpc (sample, h ns)" -T "$SAMPLE" --rpc -f "$SAMPLE_HNS" -p 2
