# shellcheck shell=bash
# runner: a job's cgroups (zdtm-NAME-INO) are removed at its end, also when it fails
# runner/cgroups.c removes them after each dump and when the job ends, whatever its verdict.
expect "a failing test inside a cgroup of its own is a FAIL" 1 '^FAIL +tests/selftest/cgroupleak +h' selftest -t cgroupleak --nocr
left=$(ls -d /sys/fs/cgroup/*/zdtm-cgroupleak-* 2>/dev/null)
[ -z "$left" ] && ok "its cgroup is gone after the run" || not_ok "cgroups left behind: $left"
expect "cgroup04 after C/R" 0 '^PASS +zdtm/static/cgroup04 +h' "$ZDTM" run --keep-img never -t cgroup04 -f h
left=$(ls -d /sys/fs/cgroup/*/zdtm-cgroup04-* 2>/dev/null)
[ -z "$left" ] && ok "cgroup04's cgroups are gone after the run" || not_ok "cgroups left behind: $left"
dry_seq "cgroup-root (cgroup02): its restores put the tree's pids cgroup under the job's own" "^criu dump .*--manage-cgroups" \
	"^criu restore .*--cgroup-root pids:/zdtm-cgroup02-INO/newroot" "^SIGTERM" -- -t cgroup02 -f h
expect "cgroup02 after C/R with --cgroup-root" 0 '^PASS +zdtm/static/cgroup02 +h' "$ZDTM" run --keep-img never -t cgroup02 -f h
left=$(ls -d /sys/fs/cgroup/*/zdtm-cgroup02-* 2>/dev/null)
[ -z "$left" ] && ok "cgroup02's cgroups (newroot too) are gone after the run" || not_ok "cgroups left behind: $left"
# One cgroup job at a time: criu dumps every cgroup below the task's one (a hierarchy's root here),
# so a cgroup test beside another would dump the other's cgroups and make them again on restore.
# The job logs' start and end stamps of five cgroup tests at -p 2 must not overlap.
"$ZDTM" run -f h -T '^zdtm/static/cgroup0[0-4]$' -p 2 --report "$out/cgsched" > "$out/cgsched.log" 2>&1
overlaps=$(for log in "$out"/cgsched/*/job.log; do
	sed -n 's/^\[\([0-9.]*\)\] zdtm: job started.*/\1/p' "$log" | head -1
	sed -n 's/^\[\([0-9.]*\)\] zdtm: job ended.*/\1/p' "$log" | tail -1
done | paste - - | sort -n | awk 'NR > 1 && $1 < end { n++ } { if ($2 > end) end = $2 } END { print n + 0 }')
jobs=$(ls -d "$out"/cgsched/*/ 2>/dev/null | wc -l)
[ "$jobs" = 5 ] && [ "$overlaps" = 0 ] && ok "cgroup tests at -p 2 run one at a time" ||
	not_ok "cgroup tests at -p 2 run one at a time ($jobs job logs, $overlaps overlaps)" "$out/cgsched.log"
