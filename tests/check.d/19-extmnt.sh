# shellcheck shell=bash
# runner: external mounts (mnt_ext_*: a tmpfs of the job's bound into the test's root at /mnt_ext)
dry_seq "external mount, named: the dump names /mnt_ext, the restore binds it from the job's tmpfs" \
	"^criu dump .*--root JOB0/root --external mnt\[/dev\]:zdtm_dev --external mnt\[/mnt_ext\]:zdtm_ext\$" \
	"^criu restore .*--root JOB0/root --external mnt\[zdtm_dev\]:JOB0/dev --external mnt\[zdtm_ext\]:JOB0/ext\$" "^SIGTERM" \
	-- -t mnt_ext_manual -f ns
dry_seq "external mount with a deeper root: bound back from the job's tmpfs's directory sub" \
	"^criu dump .*--external mnt\[/mnt_ext\]:zdtm_ext\$" "^criu restore .*--external mnt\[zdtm_ext\]:JOB0/ext/sub\$" "^SIGTERM" \
	-- -t mnt_ext_root -f uns
dry_seq "external mounts found by criu: --external mnt[] on the dump and the restore" \
	"^criu dump .*--external mnt\[/dev\]:zdtm_dev --external mnt\[\]\$" "^criu restore .*--external mnt\[\]\$" "^SIGTERM" \
	-- -t mnt_ext_file_bind_auto -f ns
TAMPER=extmnt expect "external mount: a restore that binds another directory is a FAIL (the state diff)" 1 \
	'at state: after restore 1: mount /mnt_ext: .*/other-ext .*, expected / ' \
	"$ZDTM" run --keep-img never -f ns --criu-bin tests/criu-tamper -t zdtm/static/mnt_ext_manual
TAMPER=noextauto expect "external mount found by criu: a restore without --external mnt[] fails" 1 \
	'at restore: criu restore failed .*is autodetected external mount' \
	"$ZDTM" run --keep-img never -f ns --criu-bin tests/criu-tamper -t zdtm/static/mnt_ext_auto
