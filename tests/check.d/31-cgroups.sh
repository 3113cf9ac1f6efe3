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
