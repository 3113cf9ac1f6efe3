# shellcheck shell=bash
# runner: --join-ns (h: every restore joins a network namespace of the run, bound on RUNDIR/join-ns.net)
dry_seq "--join-ns: the restore with --join-ns net:RUN/join-ns.net, the dump as ever" \
	"^criu dump .*$D/1 .*--timeout 10\$" \
	"^criu restore .*restore\.pid --join-ns net:RUN/join-ns\.net\$" "^SIGTERM" -- -t env00 -f h --join-ns
expect "--join-ns -f ns,uns: exit 2" 2 "give -f h" "$ZDTM" run -t env00 -f ns,uns --join-ns
expect "--join-ns --norst: exit 2" 2 "a way to restore; --norst does not restore" "$ZDTM" run -t env00 --join-ns --norst
var_env00 "--join-ns --iter 2: env00 in h; ns and uns SKIP" "h=PASS ns=SKIP uns=SKIP" --join-ns --iter 2
expect "--join-ns: ns SKIPs with the reason" 0 'SKIP .*env00 +ns .*in ns criu restores the test.s own' cat "$out/var"
expect "--join-ns: a samens test SKIPs (criu's TCP lock stays in criu's namespace)" 0 'SKIP .*socket_tcp +h .*\(samens\)' \
	"$ZDTM" run -t socket_tcp -f h --join-ns
TAMPER=nojoin expect "--join-ns: a restored tree left in another network namespace is a FAIL" 1 \
	'at state: after restore 1: the restored tree.s network namespace is net:\[[0-9]+\], expected the --join-ns one, net:\[[0-9]+\]' \
	"$ZDTM" run --keep-img never -t zdtm/static/env00 -f h --join-ns --criu-bin tests/criu-tamper
expect "--join-ns: the namespace is gone after the run (its bind mount, its file)" 0 '^gone$' \
	sh -c '"$0" run -t env00 -f h --join-ns --report "$1/jn" > /dev/null; grep -q join-ns /proc/self/mountinfo || [ -e "$1/jn/join-ns.net" ] || echo gone; rm -rf "$1/jn"' "$ZDTM" "$out"
# Ctrl-C while a job runs: the run still removes it.
ZDTM_DIRS=tests/selftest "$ZDTM" run -t hang -f h --join-ns --report "$out/jn" > "$out/jn.log" 2>&1 &
runner=$!
for _ in $(seq 200); do grep -qs "test ready" "$out"/jn/*/job.log && break; sleep 0.05; done
in=$(grep -c join-ns /proc/self/mountinfo)
kill -INT "$runner"; wait "$runner"; rc=$?
if [ "$rc" = 130 ] && [ "$in" = 1 ] && ! grep -q join-ns /proc/self/mountinfo && [ ! -e "$out/jn/join-ns.net" ]; then
	ok "--join-ns: SIGINT during a job, exit 130, the namespace removed"
else
	echo "# exit $rc, $in mounts while running"; not_ok "--join-ns: SIGINT during a job, exit 130, the namespace removed" "$out/jn.log"
fi
rm -rf "$out/jn"
# The whole catalog with --page-server --tls --crit --join-ns (tests/check).
