# shellcheck shell=bash
# runner: inherited fds (the original's inhfd set: inhfd_pipe, inhfd_socket hold an end of the runner's pair)
dry_seq "inherited pipe: each restore gets a fresh pipe end as criu's fd 3, in place of the dumped one" \
	"^criu dump .*$D/1 .*--timeout 10\$" \
	"^criu restore .*$D/1 .*--restore-detached --pidfile JOB0/img/1/restore.pid --inherit-fd fd\[3\]:pipe:\[INO\]\$" "^SIGTERM" \
	-- -t inhfd_pipe -f h
dry_seq "inherited socket: dumps name the runner's end external, restores take a fresh pair's end" \
	"^criu dump .*$D/1 .*--timeout 10 --external unix\[INO\]\$" \
	"^criu restore .*$D/1 .*--inherit-fd fd\[3\]:socket:\[INO\]\$" "^SIGTERM" -- -t inhfd_socket -f h
TAMPER=noinherit expect "inherited pipe: a restore without --inherit-fd is a FAIL (the state diff: criu's own pipe)" 1 \
	'at state: after restore 1: task [0-9]+ fd 3 flags: 00, expected 0100000' tamper -t zdtm/static/inhfd_pipe
TAMPER=noinherit expect "inherited socket: a restore without --inherit-fd fails (criu: external socket in the image)" 1 \
	'at restore: criu restore failed .*External socket found in image' tamper -t zdtm/static/inhfd_socket
