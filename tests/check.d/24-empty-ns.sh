# shellcheck shell=bash
# runner: --empty-ns (ns, uns: criu restores an empty network namespace; our action script brings lo up in it)
dry_seq "--empty-ns -f ns: the dump and the restore with --empty-ns net, the restore with the run's action script" \
	"^criu dump .*$D/1 .*--timeout 10 --empty-ns net --root JOB0/root " \
	"^criu restore .*restore\.pid --empty-ns net --action-script RUN/zdtm-empty-ns-action --root JOB0/root " "^SIGTERM" \
	-- -t env00 -f ns --empty-ns
expect "--empty-ns -f h: exit 2" 2 "not with -f h" "$ZDTM" run -t env00 -f h --empty-ns
expect "--empty-ns --join-ns: exit 2" 2 "not with --join-ns" "$ZDTM" run -t env00 --empty-ns --join-ns
expect "--empty-ns --norst: exit 2" 2 "--norst does not restore" "$ZDTM" run -t env00 --empty-ns --norst
var_env00 "--empty-ns --iter 2: env00 in ns and uns; h SKIPs" "h=SKIP ns=PASS uns=PASS" --empty-ns --iter 2 --keep-img always --report "$out/en"
expect "--empty-ns: criu ran the action script at setup-namespaces; the run removed its link" 0 '^4 ran, link gone$' \
	sh -c 'echo "$(cat "$1"/*/img/*/restore.log | grep -A1 "Running setup-namespaces scripts" | grep -c "zdtm-empty-ns-action\]") ran, $([ -e "$1/zdtm-empty-ns-action" ] && echo link left || echo link gone)"; rm -rf "$1"' sh "$out/en"
expect "--empty-ns: a TCP connection over lo survives (socket_tcp, ns)" 0 '^PASS +zdtm/static/socket_tcp +ns' "$ZDTM" run -t socket_tcp -f ns --empty-ns --keep-img never
expect "--empty-ns: a test whose state is its network namespace SKIPs (noemptyns)" 0 'SKIP .*netns00 +ns .*\(noemptyns\)' \
	"$ZDTM" run -t netns00 -f ns --empty-ns --keep-img never
TAMPER=noaction expect "--empty-ns: a restore whose lo stayed down is a FAIL" 1 \
	'at state: after restore 1: lo is down in the restored network namespace' \
	"$ZDTM" run --keep-img never -t zdtm/static/env00 -f ns --empty-ns --criu-bin tests/criu-tamper
later ns_wide "--empty-ns" --empty-ns -p 2
