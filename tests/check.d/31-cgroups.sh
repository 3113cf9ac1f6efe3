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
# job_spans DIR: each job's start and end stamps from its job log, a line per job, by start.
job_spans() {
	for log in "$1"/*/job.log; do
		printf '%s ' "$(basename "$(dirname "$log")")"
		sed -n 's/^\[\([0-9.]*\)\] zdtm: job started.*/\1/p' "$log" | head -1 | tr '\n' ' '
		sed -n 's/^\[\([0-9.]*\)\] zdtm: job ended.*/\1/p' "$log" | tail -1
	done | sort -k2 -n
}
# The job logs' start and end stamps of five cgroup tests at -p 2 must not overlap.
"$ZDTM" run -f h -T '^zdtm/static/cgroup0[0-4]$' -p 2 --report "$out/cgsched" > "$out/cgsched.log" 2>&1
overlaps=$(job_spans "$out/cgsched" | awk 'NR > 1 && $2 < end { n++ } { if ($3 > end) end = $3 } END { print n + 0 }')
jobs=$(ls -d "$out"/cgsched/*/ 2>/dev/null | wc -l)
[ "$jobs" = 5 ] && [ "$overlaps" = 0 ] && ok "cgroup tests at -p 2 run one at a time" ||
	not_ok "cgroup tests at -p 2 run one at a time ($jobs job logs, $overlaps overlaps)" "$out/cgsched.log"
# Under --freezecg every dump walks the v1 hierarchies from their root (the tree sits in a cgroup2
# cgroup of its own): env00's dump took cgroup00's pids cgroup along and its restore made it again
# after cgroup00's job had removed it (make check's leftover). cgroup00 runs beside none of them.
"$ZDTM" run -f h -t env00 -t cgroup00 -t pipe00 -t cwd00 --freezecg frozen -p 2 --report "$out/cgfz" > "$out/cgfz.log" 2>&1
beside=$(job_spans "$out/cgfz" | awk '$1 ~ /cgroup00/ { s = $2; e = $3 } { a[NR] = $2; b[NR] = $3; n[NR] = $1 }
	END { for (i in a) if (n[i] !~ /cgroup00/ && a[i] < e && b[i] > s) c++; print c + 0 }')
jobs=$(ls -d "$out"/cgfz/*/ 2>/dev/null | wc -l)
[ "$jobs" = 4 ] && [ "$beside" = 0 ] && grep -q '^zdtm: 4 PASS' "$out/cgfz.log" &&
	ok "--freezecg: cgroup00 runs beside no other job at -p 2 (4 PASS)" ||
	not_ok "--freezecg: cgroup00 runs beside no other job at -p 2 ($jobs job logs, $beside beside it)" "$out/cgfz.log"
left=$(ls -d /sys/fs/cgroup/*/zdtm-* 2>/dev/null)
[ -z "$left" ] && ok "--freezecg with cgroup00: no cgroup left" || not_ok "--freezecg with cgroup00: cgroups left behind: $left"
