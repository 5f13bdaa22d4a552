#!/bin/sh
# bench/run.sh - `make bench`: generate the stores once, time everything,
# print one table (markdown) on standard output.
#
#   BENCH_SIZES=1000,10000,100000   store sizes (the 100k rows need 100000)
#   BENCH_QUICK=1                   fewer runs (a smoke test of the harness)
#
# Stores live in bench/data/sN (gitignored), made by bench/gen through the
# library and committed once with git (gc.auto off, packed).  They are
# regenerated when bench/gen.c changes.  `new` adds cases; the stores are
# reset to the generated commit afterwards.
set -eu
cd "$(dirname "$0")/.."
TOP=$PWD
B=${B:-build}
case $B in /*) ;; *) B=$TOP/$B ;; esac
BIN=$B/complaint
GEN=$B/bench/gen
FLOOR=$B/bench/floor
WAYS=$B/bench/index_ways
DATA=$TOP/bench/data
SIZES=$(echo "${BENCH_SIZES:-1000,10000,100000}" | tr ',' ' ')
MONTH=2026-10
NOW=2026-11-01T00:00
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
RUNS=10
[ "${BENCH_QUICK:-}" ] && RUNS=3
export COMPLAINT_ACTOR=bench TZ=UTC

has() { case " $SIZES " in *" $1 "*) return 0;; esac; return 1; }

if sh -c 'sync; echo 3 > /proc/sys/vm/drop_caches' 2>/dev/null; then
	COLD=1
else
	COLD=
	echo "bench: cannot drop the page cache (not root?): cold not measurable" >&2
fi
DROP="sh $TOP/bench/drop-caches.sh"

gen_store() {
	n=$1 d=$DATA/s$1
	stamp=$(sha1sum bench/gen.c | cut -c1-12)
	if [ -f "$d/.git/bench-ok" ] && [ "$(cat "$d/.git/bench-ok")" = "$stamp" ]; then
		return
	fi
	echo "bench: generating $n cases in $d" >&2
	rm -rf "$d"
	mkdir -p "$DATA"
	"$BIN" --actor gen --now 2024-10-31T00:00 init "$d" >/dev/null
	git -C "$d" config gc.auto 0
	[ "$n" -gt 0 ] && "$GEN" "$d" "$n"
	(cd "$d" && git add -A && git commit -qm "bench: $n cases" --allow-empty && git gc -q &&
	 git tag -f bench-base >/dev/null)
	echo "$stamp" > "$d/.git/bench-ok"
}

reset_store() {
	git -C "$1" reset -q --hard bench-base
	git -C "$1" clean -qfd cases
}

# hf NAME RUNS WARMUP PREPARE CMD...: hyperfine; NAME.json keeps the result
hf() {
	name=$1 runs=$2 warm=$3 prep=$4
	shift 4
	if [ -n "$prep" ]; then
		hyperfine -N --style none --runs "$runs" --warmup "$warm" --prepare "$prep" \
			--export-json "$OUT/$name.json" "$*" >/dev/null 2>&1 ||
			hyperfine -N --style none --runs "$runs" --warmup "$warm" --prepare "$prep" \
				-i --export-json "$OUT/$name.json" "$*" >/dev/null 2>&1 || true
	else
		hyperfine -N --style none --runs "$runs" --warmup "$warm" \
			--export-json "$OUT/$name.json" "$*" >/dev/null 2>&1 ||
			hyperfine -N --style none --runs "$runs" --warmup "$warm" -i \
				--export-json "$OUT/$name.json" "$*" >/dev/null 2>&1 || true
	fi
	echo "bench: $name $(med "$name") s" >&2
}

# the median (s) and user+system (s) of a run
med() {
	python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.4f" % r["median"])' "$OUT/$1.json" 2>/dev/null || echo "-"
}
cpu() {
	python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.3f" % (r["user"]+r["system"]))' "$OUT/$1.json" 2>/dev/null || echo "-"
}

for n in 0 $SIZES; do gen_store "$n"; done

# ---- reading: report, score, list, --as-of, the peers ----
for n in $SIZES; do
	[ "$n" -ge 10000 ] || continue
	d=$DATA/s$n
	C="$BIN -C $d --now $NOW"
	# fill the cache first (its own row: the first run after a clone)
	rm -rf "$d/.git/complaint"
	hf fill$n 1 0 "" $C report --month $MONTH --format json
	hf rep_warm_cache$n $RUNS 2 "" $C report --month $MONTH --format json
	hf rep_warm_nocache$n 3 1 "" $C --no-cache report --month $MONTH --format json
	hf score_warm_cache$n $RUNS 2 "" $C score --month $MONTH --format json
	hf score_warm_nocache$n 3 1 "" $C --no-cache score --month $MONTH --format json
	hf floor_warm$n 3 1 "" "$FLOOR" "$d"
	if [ -n "$COLD" ]; then
		hf rep_cold_cache$n 3 0 "$DROP" $C report --month $MONTH --format json
		hf rep_cold_nocache$n 3 0 "$DROP" $C --no-cache report --month $MONTH --format json
		hf score_cold_cache$n 3 0 "$DROP" $C score --month $MONTH --format json
		hf score_cold_nocache$n 3 0 "$DROP" $C --no-cache score --month $MONTH --format json
		hf floor_cold$n 3 0 "$DROP" "$FLOOR" "$d"
	fi
	pr=3
	[ "$n" -ge 100000 ] && pr=2
	hf python$n $pr 1 "" python3 bench/peer_report.py "$d" $MONTH
	if [ -n "$COLD" ] && [ "$n" -ge 100000 ]; then
		hf python_cold$n 1 0 "$DROP" python3 bench/peer_report.py "$d" $MONTH
	fi
	if [ "$n" -ge 100000 ]; then
		at=$(git -C "$d" log -1 --format=%cI)
		hf list_cache$n $RUNS 2 "" $C list --overdue --format json
		hf list_nocache$n 3 1 "" $C --no-cache list --overdue --format json
		hf asof_cache$n $RUNS 2 "" $C report --month $MONTH --as-of "$at" --format json
		hf asof_nocache$n 3 1 "" $C --no-cache report --month $MONTH --as-of "$at" --format json
		$C report --month $MONTH --format json >/dev/null
		/usr/bin/time -f %M -o "$OUT/rss_cache" $C report --month $MONTH --format json >/dev/null
		/usr/bin/time -f %M -o "$OUT/rss_nocache" $C --no-cache report --month $MONTH --format json >/dev/null
		rm -rf "$d/.git/complaint"
		/usr/bin/time -f %M -o "$OUT/rss_fill" $C report --month $MONTH --format json >/dev/null
	fi
done

# ---- ways past the index (before `new` adds anything) ----
if has 100000; then
	"$WAYS" "$DATA/s100000" 15 >"$OUT/ways" 2>&1 || true
fi

# ---- writing: new, and git add && git commit ----
NEWARGS="new --customer Bench --channel phone --category service --summary bench --amount 10"
for n in 0 $SIZES; do
	d=$DATA/s$n
	hf new$n $RUNS 2 "" "$BIN" -C "$d" $NEWARGS
	if [ "$n" -ge 100000 ]; then
		hf gitcommit$n $RUNS 2 "" sh "$TOP/bench/peer_commit.sh" "$d"
	fi
	reset_store "$d"
done

# ---- the table ----
row() { printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4"; }
kb() { [ -f "$OUT/$1" ] && echo "$(( $(cat "$OUT/$1") / 1024 )) MB" || echo "-"; }
ratio() {
	python3 -c 'import sys
a, b = sys.argv[1], sys.argv[2]
print("-" if "-" in (a, b) or float(b) == 0 else "%.2f" % (float(a) / float(b)))' "$1" "$2"
}

echo
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
     "$(free -g | awk '/Mem:/ {print $2}') GB RAM, disk $(df -h "$DATA" | awk 'NR==2 {print $1}'),"\
     "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
echo
row "measurement" "cases" "median wall (s)" "user+sys (s)"
row "---" "---:" "---:" "---:"
for n in 0 $SIZES; do row "new" "$n" "$(med new$n)" "$(cpu new$n)"; done
for n in $SIZES; do
	[ "$n" -ge 100000 ] && row "git add && git commit (one case file)" "$n" "$(med gitcommit$n)" "$(cpu gitcommit$n)"
done
for n in $SIZES; do
	[ "$n" -ge 10000 ] || continue
	row "report $MONTH, first run (fills the cache)" "$n" "$(med fill$n)" "$(cpu fill$n)"
	for w in warm cold; do
		[ $w = cold ] && [ -z "$COLD" ] && { row "report/score cold" "$n" "cold not measurable" "-"; continue; }
		row "report $MONTH, $w, cache" "$n" "$(med rep_${w}_cache$n)" "$(cpu rep_${w}_cache$n)"
		row "report $MONTH, $w, --no-cache" "$n" "$(med rep_${w}_nocache$n)" "$(cpu rep_${w}_nocache$n)"
		row "score $MONTH, $w, cache" "$n" "$(med score_${w}_cache$n)" "$(cpu score_${w}_cache$n)"
		row "score $MONTH, $w, --no-cache" "$n" "$(med score_${w}_nocache$n)" "$(cpu score_${w}_nocache$n)"
		row "floor: libyaml events of every file, $w" "$n" "$(med floor_$w$n)" "$(cpu floor_$w$n)"
	done
	row "Python + PyYAML CSafeLoader, month counts, warm" "$n" "$(med python$n)" "$(cpu python$n)"
	[ -f "$OUT/python_cold$n.json" ] &&
		row "Python + PyYAML CSafeLoader, month counts, cold (1 run)" "$n" "$(med python_cold$n)" "$(cpu python_cold$n)"
	if [ "$n" -ge 100000 ]; then
		row "list --overdue, warm, cache" "$n" "$(med list_cache$n)" "$(cpu list_cache$n)"
		row "list --overdue, warm, --no-cache" "$n" "$(med list_nocache$n)" "$(cpu list_nocache$n)"
		row "report --as-of (HEAD), warm, cache" "$n" "$(med asof_cache$n)" "$(cpu asof_cache$n)"
		row "report --as-of (HEAD), warm, --no-cache" "$n" "$(med asof_nocache$n)" "$(cpu asof_nocache$n)"
		row "peak RSS of report, cache (warm / filling)" "$n" "$(kb rss_cache) / $(kb rss_fill)" "-"
		row "peak RSS of report, --no-cache" "$n" "$(kb rss_nocache)" "-"
	fi
done
if has 100000; then
	n=100000
	echo
	echo "Targets at 100k (ratios of medians):"
	echo
	echo "- new vs git add && git commit: $(ratio "$(med gitcommit$n)" "$(med new$n)")x faster (target >= 5)"
	echo "- new at 100k vs new on an empty store: $(ratio "$(med new$n)" "$(med new0)")x (goal <= 1.3)"
	if [ -n "$COLD" ]; then
		echo "- report cold --no-cache vs the floor cold: $(ratio "$(med rep_cold_nocache$n)" "$(med floor_cold$n)")x (target <= 1.2)"
		echo "- Python cold vs report cold --no-cache: $(ratio "$(med python_cold$n)" "$(med rep_cold_nocache$n)")x faster (target >= 10)"
	fi
	echo "- Python warm vs report warm --no-cache: $(ratio "$(med python$n)" "$(med rep_warm_nocache$n)")x faster (target >= 10)"
	echo "- Python warm vs report warm, cache: $(ratio "$(med python$n)" "$(med rep_warm_cache$n)")x faster (about 90 asked)"
	echo "- report warm, cache: $(med rep_warm_cache$n) s; score warm, cache: $(med score_warm_cache$n) s (target <= 0.25)"
	echo "- report --as-of vs work-tree report (cache): $(ratio "$(med asof_cache$n)" "$(med rep_warm_cache$n)")x (target <= 2)"
	echo "- peak RSS of report: $(kb rss_cache) (target <= 64 MB)"
	echo
	echo "Ways past the index (bench/index_ways, median of 15, on a copy of the 100k index):"
	echo
	echo '```'
	cat "$OUT/ways"
	echo '```'
fi
