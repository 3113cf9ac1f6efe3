# shellcheck shell=bash
# runner: a job's cgroups (zdtm-NAME-INO) are removed at its end, also when it fails
# runner/cgroups.c removes them after each dump and when the job ends, whatever its verdict.
expect "a failing test inside a cgroup of its own is a FAIL" 1 '^FAIL +tests/selftest/cgroupleak +h' selftest -t cgroupleak --nocr
left=$(ls -d /sys/fs/cgroup/*/zdtm-cgroupleak-* 2>/dev/null)
[ -z "$left" ] && ok "its cgroup is gone after the run" || not_ok "cgroups left behind: $left"
expect "cgroup04 after C/R" 0 '^PASS +zdtm/static/cgroup04 +h' "$ZDTM" run --keep-img never -t cgroup04 -f h
left=$(ls -d /sys/fs/cgroup/*/zdtm-cgroup04-* 2>/dev/null)
[ -z "$left" ] && ok "cgroup04's cgroups are gone after the run" || not_ok "cgroups left behind: $left"
