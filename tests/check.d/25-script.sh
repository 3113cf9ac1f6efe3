# shellcheck shell=bash
# runner: --script PATH (every dump and restore runs the user's action script and our recorder; criu's stages checked in order)
dry_seq "--script: the dump and the restore with --action-script PATH, then the run's recorder" \
	"^criu dump .*$D/1 .*--timeout 10 --action-script $PWD/tests/action-script --action-script RUN/zdtm-script-record --root JOB0/root " \
	"^criu restore .*restore\.pid --action-script $PWD/tests/action-script --action-script RUN/zdtm-script-record --root JOB0/root " "^SIGTERM" \
	-- -t env00 -f ns --script tests/action-script
expect "--script without an executable file: exit 2" 2 "--script wants an executable file, not 'tests/check.d': not a regular file" "$ZDTM" run -t env00 --script tests/check.d
expect "--script --nocr: exit 2" 2 "--script.* need criu; --nocr runs none" "$ZDTM" run -t env00 --nocr --script tests/action-script
var_env00 "--script: env00 in h, ns and uns" "h=PASS ns=PASS uns=PASS" --script tests/action-script --keep-img always --report "$out/sc"
expect "--script: criu ran both scripts at every stage; the recorder's stages; its link is gone" 0 \
	'^dump pre-dump,network-lock,post-dump restore pre-restore,setup-namespaces,post-setup-namespaces,post-restore,network-unlock,pre-resume,post-resume user 10 link gone$' \
	sh -c 'd=$(echo "$1"/*-uns/img/1); echo "dump $(cut -d" " -f1 "$d/zdtm-actions.dump" | paste -sd,) restore $(cut -d" " -f1 "$d/zdtm-actions.restore" | paste -sd,) user $(wc -l < "$d/user-actions") $([ -e "$1/zdtm-script-record" ] && echo link left || echo link gone)"; rm -rf "$1"' sh "$out/sc"
SCRIPT_MODE=fail expect "--script: a user script that fails makes criu abort the dump: a FAIL at dump" 1 \
	'FAIL +zdtm/static/env00 \(h\) at dump: criu dump failed \(exit 1\)' "$ZDTM" run --keep-img never -t env00 -f h --script tests/action-script
SCRIPT_MODE=drop expect "--script: a stage criu did not call is a FAIL naming it" 1 \
	'at dump: after dump 1: criu never called the pre-dump action script \(it called: post-dump\)' \
	"$ZDTM" run --keep-img never -t env00 -f h --script tests/action-script
SCRIPT_MODE=swap expect "--script: a stage out of order is a FAIL naming it" 1 \
	'at dump: after dump 1: criu called the post-dump action script out of order \(expected after network-lock; it called: post-dump,pre-dump,network-lock\)' \
	"$ZDTM" run --keep-img never -t env00 -f ns --script tests/action-script
later tally_run "--script (sample, h ns)" -T "$SAMPLE" --script tests/action-script -f "$SAMPLE_HNS" -p 2
