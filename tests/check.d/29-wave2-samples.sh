# shellcheck shell=bash
# runner: the stable sample with wave-2 variations whose own sections check env00 and single tests
# (--criu-config in every flavor, --fault 3 in h, --lazy-pages in ns beside its whole catalog in h).
# More of them (--stop, --dedup, --rpc, --preload-libfault in ns and uns) passed by hand on the sample
# but would take make check past 45 minutes on 2 cores (README).
later tally_run "--criu-config (sample)" -T "$SAMPLE" --criu-config -p 2
later tally_run "--fault 3 (sample, h)" -T "$SAMPLE" --fault 3 -f h -p 2
later tally_run "--lazy-pages (sample, ns)" -T "$SAMPLE" --lazy-pages -f ns -p 2
