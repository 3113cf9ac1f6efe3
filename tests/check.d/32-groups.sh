# shellcheck shell=bash
# runner: test groups (zdtm group, run --set groups: tests that share a tree, dumped and restored as one)
expect "zdtm group: tests packed in catalog order, up to -m in a group" 0 \
	'^zdtm/group/01 \(h\): zdtm/static/env00 zdtm/static/pipe00 zdtm/static/write_read00$' \
	"$ZDTM" group -m 3 -f h -t env00 -t pipe00 -t write_read00 -t maps00
expect "zdtm group: the fourth test opens a second group" 0 '^zdtm/group/02 \(h\): zdtm/static/maps00$' cat "$out/last"
expect "zdtm group: a test with flags of its own is in none" 0 '^zdtm: 0 jobs in groups of up to 10; 1 not' \
	"$ZDTM" group -f h -t cgroup04
expect "-m without --set groups: exit 2" 2 'give --set groups' "$ZDTM" run -t env00 -m 3
expect "--set groups --user: exit 2" 2 "criu cannot dump" "$ZDTM" run -t env00 --set groups --user
expect "--set of an unknown set: exit 2" 2 "one set, groups" "$ZDTM" run -t env00 --set bogus
expect "--set groups: a test that cannot join a group SKIPs, saying why" 0 \
	'SKIP .*cgroup04 +h .*not in a group \(--set groups\): flags of its own' "$ZDTM" run -t cgroup04 -f h --set groups
# One member fails, one skips, one passes: each keeps its own verdict (from the group init's lines).
expect "--set groups: a failing member is a FAIL with its message" 1 \
	'^FAIL +tests/selftest/fail +h' selftest --set groups -t pass -t fail -t skip -f h
expect "--set groups: the passing member beside it is a PASS" 0 '^PASS +tests/selftest/pass +h' cat "$out/last"
expect "--set groups: the skipping member is a SKIP with its reason" 0 \
	'^SKIP +tests/selftest/skip +h .*selftest needs nothing it has' cat "$out/last"
expect "--set groups: the failure names the member's own check" 0 'selftest answer: found 41, expected 42' cat "$out/last"
# One tree: the group's dump log has the namespace init, the group's init and every member.
"$ZDTM" run --set groups -t env00 -t pipe00 -t write_read00 -f ns --keep-img always --report "$out/grp" > "$out/grp.log" 2>&1
tasks=$(grep -ah 'Dumping task (pid' "$out"/grp/*/img/1/dump.log 2>/dev/null | sed 's/.*comm: //; s/)$//' | sort | paste -sd' ')
[ "$tasks" = "01 01 env00 pipe00 write_read00" ] && ok "--set groups: one dump takes the group's members as one tree (ns)" ||
	not_ok "--set groups: one dump takes the group's members as one tree (ns): tasks '$tasks'" "$out/grp.log"
rm -rf "$out/grp"
later tally_run "--set groups (the whole catalog's groupable tests)" --set groups -p 2
