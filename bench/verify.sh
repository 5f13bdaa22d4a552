#!/bin/sh
# verify.sh - how long `complaint verify` takes over a signed history of
# N commits (default 100000): bench/verify.sh [N]
#
# Builds the tool and bench/verify_gen, makes the history once under
# bench/data/verify-N (a bare repository; remade when verify_gen.c is
# newer), then times one `complaint verify` of all of it.  The run must
# find nothing: it exits 1 when verify names a commit.
set -e
cd "$(dirname "$0")/.."
N=${1:-100000}
B=${B:-build}
make -s "$B/complaint" "$B/bench/verify_gen"
repo=bench/data/verify-$N
if ! test -d "$repo" || test bench/verify_gen.c -nt "$repo"; then
	rm -rf "$repo"
	mkdir -p bench/data
	"$B/bench/verify_gen" "$repo" "$N" policy/default.yaml
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "%e s wall, %U s user, %S s system, %M KB max RSS" \
	"$B/complaint" -C "$repo" verify >bench/data/verify-$N.out
test ! -s bench/data/verify-$N.out
