# shellcheck shell=bash
# runner: --crit (each dump's images through crit decode and encode, and crit's ps of them)
expect "--crit with --nocr: exit 2" 2 "need criu" "$ZDTM" run -t env00 --crit --nocr
var_env00 "--crit: env00 in h, ns and uns" "h=PASS ns=PASS uns=PASS" --crit
TAMPER=critdup expect "--crit: an image that crit does not give back byte for byte is a FAIL" 1 \
	'at images: after dump 1: crit: inventory\.img: decoded and encoded again by crit it differs at byte 4' \
	tamper -t zdtm/static/env00 --crit
TAMPER=critpid expect "--crit: a tree that crit x DIR ps lists otherwise than the runner saw it is a FAIL" 1 \
	'at images: after dump 1: crit x DIR ps lists 1 tasks without task [0-9]+ of the 1 the runner saw' \
	tamper -t zdtm/static/env00 --crit
# h: the whole catalog with --page-server --tls --crit --join-ns (tests/check).
later tally_run "--crit (sample, ns)" -T "$SAMPLE" --crit -f "$NOT_H" -p 2
