# shellcheck shell=bash
# runner: --freezecg frozen|thawed (the test in a cgroup v2 cgroup of its job; dumps with --freeze-cgroup it --manage-cgroups)
dry_seq "--freezecg frozen: dumps with --freeze-cgroup of the job's cgroup and --manage-cgroups, the restore with --manage-cgroups" \
	"^criu dump .*$D/1 .*--timeout 10 --freeze-cgroup CGROUP2/zdtm-freezecg-INO --manage-cgroups --root JOB0/root " \
	"^criu restore .*restore\.pid --manage-cgroups --root JOB0/root " "^SIGTERM" -- -t env00 -f ns --freezecg frozen
expect "--freezecg PATH:STATE (criu's zdtm form): exit 2" 2 "the runner makes each job's cgroup itself, no PATH" \
	"$ZDTM" run -t env00 --freezecg /sys/fs/cgroup/freezer/zdtm:frozen
expect "--freezecg bogus: exit 2" 2 "--freezecg wants frozen or thawed, not 'bogus'" "$ZDTM" run -t env00 --freezecg bogus
expect "--freezecg --user: exit 2" 2 "cannot freeze a cgroup" "$ZDTM" run -t env00 --freezecg thawed --user
var_env00 "--freezecg frozen --iter 2: env00 in h, ns and uns" "h=PASS ns=PASS uns=PASS" --freezecg frozen --iter 2 --keep-img always --report "$out/fz"
expect "--freezecg: criu froze the tree by the job's cgroup, made it again on restore; no cgroup is left" 0 '^3 froze, 3 made, 0 left$' \
	sh -c 'echo "$(grep -l "freezing cgroup /.*/zdtm-freezecg-[0-9]*:" "$1"/*/img/1/dump.log | wc -l) froze, $(grep -l "Created cgroup dir unified/zdtm-freezecg-" "$1"/*/img/1/restore.log | wc -l) made, $(ls -d /sys/fs/cgroup/unified/zdtm-freezecg-* 2> /dev/null | wc -l) left"; rm -rf "$1"' sh "$out/fz"
var_env00 "--freezecg thawed --norst: env00 in h, ns and uns (the runner thaws after a dump that leaves it running)" \
	"h=PASS ns=PASS uns=PASS" --freezecg thawed --norst
var_env00 "--freezecg frozen --stop: a tree left stopped in a frozen cgroup, thawed, is stopped" "h=PASS ns=PASS uns=PASS" --freezecg frozen --stop
TAMPER=cgfreeze expect "--freezecg: a restored tree left frozen is a FAIL" 1 \
	"at restore: after restore 1: the restored tree's cgroup /.*/zdtm-freezecg-[0-9]+ is frozen, expected thawed" \
	"$ZDTM" run --keep-img never -t zdtm/static/env00 -f ns --freezecg frozen --criu-bin tests/criu-tamper
TAMPER=cgmove expect "--freezecg: a restored task outside the job's cgroup is a FAIL" 1 \
	'at restore: after restore 1: restored task 1 is not in the freezer cgroup /.*/zdtm-freezecg-[0-9]+' \
	"$ZDTM" run --keep-img never -t zdtm/static/env00 -f uns --freezecg thawed --criu-bin tests/criu-tamper
# A refused dump (crfail) leaves the cgroup frozen as criu found it: the runner thaws it, or the test
# never takes its SIGTERM (seen: 11 crfail tests of the catalog a TIMEOUT under --freezecg frozen).
expect "--freezecg frozen: a test whose dump criu refuses (crfail) is thawed and PASSes" 0 \
	'^PASS +tests/selftest/crfail +h' selftest -t crfail --freezecg frozen --timeout-mul 0.3
expect "--freezecg: a test with cgroup2 cgroups of its own SKIPs (nofreezecg)" 0 \
	'^SKIP +zdtm/static/cgroupv2_00 +h .*--freezecg moves the tree into the job.s cgroup2 cgroup \(nofreezecg\)' \
	"$ZDTM" run -t zdtm/static/cgroupv2_00 --freezecg frozen
later tally_run "--freezecg frozen (sample, h ns)" -T "$SAMPLE" --freezecg frozen -f "$SAMPLE_HNS" -p 2
