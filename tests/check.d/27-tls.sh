# shellcheck shell=bash
# runner: --tls (with --page-server: the page server and each dump with --tls and the run's CA, certificate and key)
T='--tls --tls-cacert RUN/tls-ca\.pem --tls-cert RUN/tls-cert\.pem --tls-key RUN/tls-key\.pem'
dry_seq "--tls --page-server: the page server and the dump with --tls and the run's files; the restore as ever" \
	"^criu page-server .*$D/1 .*--port 27000 $T --status-fd 3\$" \
	"^criu dump .*$D/1 .*--page-server --address 127\.0\.0\.1 --port 27000 $T\$" \
	"^criu restore .*restore\.pid\$" "^SIGTERM" -- -t env00 -f h --page-server --tls
expect "--tls without --page-server: exit 2" 2 "--tls secures the connections to a page server: give --page-server, --remote-lazy-pages or --lazy-migrate" \
	"$ZDTM" run -t env00 --tls
expect "--tls --lazy-pages without --page-server: exit 2 (the lazy restore's daemon is reached over a unix socket)" 2 \
	"or --lazy-migrate \(with --lazy-pages the restore talks to its daemon over a unix socket\)" "$ZDTM" run -t env00 --tls --lazy-pages
var_env00 "--tls --page-server --iter 2: env00 in h, ns and uns" "h=PASS ns=PASS uns=PASS" --page-server --tls --iter 2 \
	--keep-img always --report "$out/tls"
expect "--tls: both ends of every connection completed a TLS handshake; the run removed its files" 0 '^12 handshakes, 0 files left$' \
	sh -c 'echo "$(cat "$1"/*/img/*/dump.log "$1"/*/img/*/page-server.log | grep -c "tls: TLS handshake completed") handshakes, $(ls "$1" | grep -c "^tls-") files left"; rm -rf "$1"' sh "$out/tls"
TAMPER=tlsca expect "--tls: a dump with the certificate of another CA fails (neither end trusts the other)" 1 \
	'at dump: criu dump failed \(exit [0-9]+\): .*tls: (Invalid certificate|The certificate is NOT trusted)' \
	"$ZDTM" run --keep-img never -t zdtm/static/env00 -f h --page-server --tls --criu-bin tests/criu-tamper
# Ctrl-C while a job runs: the run still removes its files.
ZDTM_DIRS=tests/selftest "$ZDTM" run -t hang -f h --page-server --tls --report "$out/tlsint" > "$out/tlsint.log" 2>&1 &
runner=$!
for _ in $(seq 200); do grep -qs "test ready" "$out"/tlsint/*/job.log && break; sleep 0.05; done
in=$(find "$out/tlsint" -maxdepth 1 -name 'tls-*' | wc -l)
kill -INT "$runner"; wait "$runner"; rc=$?
if [ "$rc" = 130 ] && [ "$in" = 4 ] && [ -z "$(find "$out/tlsint" -maxdepth 1 -name 'tls-*')" ]; then
	ok "--tls: SIGINT during a job, exit 130, the CA, certificate and keys removed"
else
	echo "# exit $rc, $in files while running"; not_ok "--tls: SIGINT during a job, exit 130, the CA, certificate and keys removed" "$out/tlsint.log"
fi
rm -rf "$out/tlsint"
# h: the whole catalog with --page-server --tls --crit --join-ns (tests/check).
later tally_run "--tls --page-server (sample, ns)" -T "$SAMPLE" --tls --page-server -f "$NOT_H" -p 2
