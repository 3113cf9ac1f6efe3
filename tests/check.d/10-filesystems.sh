# shellcheck shell=bash
# runner: the state diff on btrfs names a lock by the fd that holds it (the mount's device, not stat()'s)
# On btrfs stat() gives a subvolume's device, /proc/locks the mount's: the runner must look a lock's file
# up by the device of the fd's mount (fdinfo mnt_id, then mountinfo), or it names the line by dev:inode.
tests/on-filesystem btrfs true > "$out/fs" 2>&1
if [ $? = 77 ]; then
	skipped=$((skipped + 1)); echo "ok - lock lines named by fd on btrfs # SKIP $(tail -1 "$out/fs")"
else
	expect "on btrfs the state snapshot names file_locks00's locks by the fd that holds them" 0 \
		'^lock task 3 fd 3 = FLOCK ADVISORY WRITE task 3 0 EOF$' tests/on-filesystem btrfs sh -c \
		'mkdir -m 755 "$TMPDIR/r" && "$0" run -t file_locks00 -f h --report "$TMPDIR/r" --keep-img always > /dev/null &&
		 grep "^lock" "$TMPDIR"/r/*/state.before' "$ZDTM"
fi
