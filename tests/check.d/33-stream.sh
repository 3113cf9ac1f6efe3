# shellcheck shell=bash
# runner: --stream (criu's images through an image streamer: ours, bin/zdtm-image-streamer, or --criu-image-streamer PATH)
dry_seq "--stream: a capturing streamer before the dump, a serving one before the restore, both calls with --stream" \
	"^/.*/zdtm-image-streamer $D/1 --progress-fd 3 capture > JOB0/img/1/img\.stream\$" \
	"^criu dump .*$D/1 .*--stream --tree PID --timeout 10\$" \
	"^/.*/zdtm-image-streamer $D/1 --progress-fd 3 serve < JOB0/img/1/img\.stream\$" \
	"^criu restore .*$D/1 .*--stream --restore-detached" "^SIGTERM" -- -t env00 -f h --stream
expect "--stream --page-server: exit 2" 2 "not with --page-server" "$ZDTM" run -t env00 --stream --page-server
expect "--criu-image-streamer without --stream: exit 2" 2 "give --stream" "$ZDTM" run -t env00 --criu-image-streamer /bin/true
expect "--stream --nocr: exit 2" 2 "need criu" "$ZDTM" run -t env00 --stream --nocr
expect "--stream with a streamer that is not there: every job SKIPs naming it" 0 \
	'SKIP .*env00 +h .*--stream: no image streamer at /nonexistent/streamer' \
	"$ZDTM" run -t env00 -f h --stream --criu-image-streamer /nonexistent/streamer
var_env00 "--stream: env00 in h, ns and uns" "h=PASS ns=PASS uns=PASS" --stream
# The restore must read the images from the streamer, not from the directory (the runner extracts
# the stream there for its page count check): a streamer that serves an empty stream fails it.
cat > "$out/empty-streamer" <<EOS
#!/bin/sh
case " \$* " in *" serve "*) exec "$PWD/bin/zdtm-image-streamer" "\$@" < /dev/null ;; esac
exec "$PWD/bin/zdtm-image-streamer" "\$@"
EOS
chmod 755 "$out/empty-streamer"
expect "--stream: a streamer that serves nothing makes the restore fail" 1 \
	'FAIL +zdtm/static/env00 +h' "$ZDTM" run --keep-img never -t env00 -f h --stream --criu-image-streamer "$out/empty-streamer"
expect "--stream: ... at restore, criu missing its images" 0 'at restore: criu restore failed' cat "$out/last"
later tally_run "--stream (sample, h ns)" -T "$SAMPLE" --stream -f "$SAMPLE_HNS" -p 2
