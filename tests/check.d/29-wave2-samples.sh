# shellcheck shell=bash
# runner: the stable sample with wave-2 variations whose own sections check env00 and single tests
# (--criu-config in every flavor, --fault 3 in h and ns, --lazy-pages in ns beside its whole catalog in h, --stop
# in every flavor: tests holding stopped tasks are known failures there).
later tally_run "--criu-config (sample, h ns)" -T "$SAMPLE" --criu-config -f "$SAMPLE_HNS" -p 2
later tally_run "--fault 3 (sample, h ns)" -T "$SAMPLE" --fault 3 -f "$SAMPLE_HNS" -p 2
later tally_run "--lazy-pages (sample, ns)" -T "$SAMPLE" --lazy-pages -f ns -p 2
later tally_run "--stop (sample, h ns)" -T "$SAMPLE" --stop -f "$SAMPLE_HNS" -p 2
