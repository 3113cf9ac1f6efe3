# shellcheck shell=bash
# runner: huge pages reserved for hugetlb jobs, and vm.nr_hugepages put back after the run and after Ctrl-C
# A test flagged hugetlb gets huge pages added to vm.nr_hugepages for the run (runner/hugepages.c);
# the runner takes them back at its end, also when it is interrupted.
nr_before=$(cat /proc/sys/vm/nr_hugepages)
expect "a hugetlb job gets huge pages for the run" 0 "^zdtm: vm.nr_hugepages $nr_before -> [0-9]+ for 1 hugetlb job at once" \
	"$ZDTM" run --keep-img never -t maps09 -f h
nr_after=$(cat /proc/sys/vm/nr_hugepages)
[ "$nr_after" = "$nr_before" ] && ok "vm.nr_hugepages is $nr_before again after the run" ||
	not_ok "vm.nr_hugepages is $nr_after after the run, expected $nr_before"
ZDTM_DIRS=tests/selftest "$ZDTM" run -t hugehang --nocr --report "$out/hint" > "$out/hint.log" 2>&1 &
runner=$!
for _ in $(seq 200); do grep -qs "test ready" "$out"/hint/*/job.log && break; sleep 0.05; done
nr_during=$(cat /proc/sys/vm/nr_hugepages)
kill -INT "$runner"; wait "$runner"; rc=$?
nr_after=$(cat /proc/sys/vm/nr_hugepages)
if [ "$rc" = 130 ] && [ "$nr_during" -gt "$nr_before" ] && [ "$nr_after" = "$nr_before" ]; then
	ok "SIGINT during a hugetlb job: vm.nr_hugepages $nr_before -> $nr_during -> $nr_after"
else
	not_ok "SIGINT during a hugetlb job: exit $rc, vm.nr_hugepages $nr_before -> $nr_during -> $nr_after" "$out/hint.log"
fi
