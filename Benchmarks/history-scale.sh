#!/usr/bin/env bash
# The history at scale: a year of nightly runs over 50 targets (tier x zone), about 18,250 runs of
# five jobs each, then `tierbench gate` and `tierbench history list` timed on it (release builds).
# Also the bytes one real run adds. Usage: bash Benchmarks/history-scale.sh [ZONES] [NIGHTS]
set -euo pipefail
cd "$(dirname "$0")/.."
ZONES=${1:-50}
NIGHTS=${2:-365}
WORK=$(mktemp -d /var/tmp/tierbench-history-scale-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
swift build -c release --product tierbench >/dev/null
swift build -c release --package-path Benchmarks/HistoryScale >/dev/null
TB=.build/release/tierbench
DB="$WORK/scale.sqlite"
Benchmarks/HistoryScale/.build/release/HistoryScale "$DB" "$ZONES" "$NIGHTS"
time_it() {  # best and median of 5 runs, in seconds
  local times=()
  for _ in 1 2 3 4 5; do
    local s e; s=$(date +%s.%N); "$@" >/dev/null || [ $? -eq 3 ]; e=$(date +%s.%N)
    times+=("$(echo "$e - $s" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "best %.3f s, median %.3f s\n", a[1], a[3]}'
}
echo "runs: $($TB history list --history "$DB" | tail -1)"
echo "series: $($TB history series --history "$DB" | tail -1)"
echo "gate (default metrics):   $(time_it $TB gate --history "$DB")"
echo "gate --metric all:        $(time_it $TB gate --history "$DB" --metric all)"
echo "history list (all runs):  $(time_it $TB history list --history "$DB")"
echo "history list --since 30d --label zone=zone-3: $(time_it $TB history list --history "$DB" --since 30d --label zone=zone-3)"
$TB gate --history "$DB" --only-changes | tail -1
echo "database: $(stat -c %s "$DB") bytes"

# One real run: the bytes it adds (a 1 s random read on a 32 MiB file, and the default-length intervals).
REAL="$WORK/real.sqlite"
for i in 1 2 3 4 5 6; do
  $TB run --rw randread --bs 4k --iodepth 8 --size 32m --runtime 1s --ramp-time 0 --target "$WORK/f.dat" --progress never \
      --history "$REAL" --output-format json --output /dev/null 2>/dev/null
  [ "$i" = 1 ] && first=$(stat -c %s "$REAL")
done
last=$(stat -c %s "$REAL")
echo "real runs: 1 job, 1 s: $(( (last - first) / 5 )) bytes per run (file $first -> $last bytes over 5 runs)"
