#!/usr/bin/env bash
# Checks "zero allocations per I/O in steady state": the malloc count of a tierbench run must not
# grow with the run's length. Runs randread 4k QD32 time-based for SHORT and LONG seconds under an
# LD_PRELOAD shim (malloc-count.c) counting malloc, calloc, realloc, posix_memalign, aligned_alloc
# and memalign, then computes (mallocs_long - mallocs_short) / (ios_long - ios_short).
# Exits 1 when that is above LIMIT. Run as root (zram0; else a 2 GiB file fallback). Environment:
#   TIERBENCH  binary (default: `swift build -c release` here, then .build/release/tierbench)
#   SHORT, LONG  run lengths in seconds (default 2 and 8); LIMIT (default 0.001)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/target.sh
source "$HERE/lib/target.sh"

SHORT=${SHORT:-2}
LONG=${LONG:-8}
LIMIT=${LIMIT:-0.001}
[[ $SHORT =~ ^[1-9][0-9]*$ && $LONG =~ ^[1-9][0-9]*$ ]] || bench_die "SHORT and LONG must be whole seconds"
(( LONG > SHORT )) || bench_die "LONG ($LONG) must be longer than SHORT ($SHORT)"
bench_require gcc python3 flock

bench_resolve_tierbench

bench_lock
bench_init_cleanup
tmp=$BENCH_TMP
gcc -shared -fPIC -O2 -o "$tmp/malloc-count.so" "$HERE/malloc-count.c" -ldl
bench_setup_target

for secs in "$SHORT" "$LONG"; do
    : > "$tmp/count-$secs.txt"
    bench_log "tierbench randread 4k QD32, ${secs} s, under malloc-count..."
    if ! MALLOC_COUNT_FILE="$tmp/count-$secs.txt" LD_PRELOAD="$tmp/malloc-count.so" \
        "$TIERBENCH" run --target "$TARGET" --rw randread --bs 4k --iodepth 32 \
            --runtime "${secs}s" --time-based --output-format csv > "$tmp/run-$secs.csv"; then
        bench_die "tierbench failed (${secs} s run)"
    fi
done

echo "target: $TARGET_DESC"
echo "command: LD_PRELOAD=malloc-count.so $TIERBENCH run --target $TARGET --rw randread --bs 4k --iodepth 32 --runtime {${SHORT}s,${LONG}s} --time-based --output-format csv"
python3 "$HERE/lib/bench.py" allocs "$tmp/count-$SHORT.txt" "$tmp/run-$SHORT.csv" \
    "$tmp/count-$LONG.txt" "$tmp/run-$LONG.csv" "$LIMIT"
