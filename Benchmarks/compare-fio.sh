#!/usr/bin/env bash
# Side-by-side: tierbench vs fio (io_uring engine, default options) on a RAM-backed block device.
# Run as root. Environment:
#   TIERBENCH     tierbench binary (default: `swift build -c release` here, then .build/release/tierbench)
#   ROUNDS        rounds per workload, interleaved tierbench, fio, tierbench, fio, ... (default 5; >= 5
#                 unless ALLOW_FEWER=1)
#   RUNTIME       seconds per run, time-based (default 5)
#   KEEP_RAW=1    also keep every run's JSON, stderr and rusage in results/compare-fio-<UTC>-raw/
#   BENCH_TMPDIR  where the fallback file goes when zram is unavailable (default $TMPDIR or /var/tmp)
# Output: one Markdown table per workload on stdout and in Benchmarks/results/compare-fio-<UTC>.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/target.sh
source "$HERE/lib/target.sh"

ROUNDS=${ROUNDS:-5}
RUNTIME=${RUNTIME:-5}
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || bench_die "ROUNDS must be a positive integer (got '$ROUNDS')"
[[ $RUNTIME =~ ^[1-9][0-9]*$ ]] || bench_die "RUNTIME must be a positive whole number of seconds (got '$RUNTIME')"
if (( ROUNDS < 5 )) && [[ ${ALLOW_FEWER:-0} != 1 ]]; then
    bench_die "ROUNDS=$ROUNDS: fewer than 5 rounds make medians meaningless; set ALLOW_FEWER=1 to insist"
fi
bench_require fio python3 flock
[[ $EUID -eq 0 ]] || bench_log "warning: not root; zram cannot be set up, falling back to a file"
PY=(python3 "$HERE/lib/bench.py")

bench_resolve_tierbench

bench_lock
bench_init_cleanup
bench_setup_target

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS_DIR="$HERE/results"
mkdir -p "$RESULTS_DIR"
REPORT="$RESULTS_DIR/compare-fio-$STAMP.md"

# name | title | tierbench rw | fio rw | bs | iodepth
WORKLOADS=(
    "randread-4k-qd32|4 KiB random read, QD32, 1 job|randread|randread|4k|32"
    "seqread-128k-qd8|128 KiB sequential read, QD8, 1 job|read|read|128k|8"
)

{
    echo "# tierbench vs fio"
    echo
    echo "- date (UTC): $STAMP"
    echo "- host: $(uname -srm); $(nproc) CPUs; $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
    echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- tierbench: $TIERBENCH, version $("$TIERBENCH" --version 2>/dev/null || echo '?')"
    echo "- fio: $(fio --version)"
    echo "- target: $TARGET_DESC"
    echo "- rounds: $ROUNDS per workload, interleaved tierbench, fio, ...; runtime ${RUNTIME} s each, time-based, direct I/O"
    echo "- CPU: user+sys seconds of the whole process (wait4 rusage: all threads and reaped children, startup and exit included)"
    echo "- IOPS/CPU-s: read I/Os completed ÷ CPU seconds; ratio > 1 means tierbench is ahead"
    echo
} | tee "$REPORT"

for spec in "${WORKLOADS[@]}"; do
    IFS='|' read -r name title tb_rw fio_rw bs qd <<< "$spec"
    dir="$BENCH_TMP/$name"
    mkdir -p "$dir"
    tb_cmd=("$TIERBENCH" run --target "$TARGET" --rw "$tb_rw" --bs "$bs" --iodepth "$qd"
            --runtime "${RUNTIME}s" --time-based --output-format json)
    fio_cmd=(fio --name=bench --filename="$TARGET" --rw="$fio_rw" --bs="$bs" --iodepth="$qd"
             --ioengine=io_uring --direct=1 --runtime="$RUNTIME" --time_based --output-format=json)
    bench_log "== $title"
    for ((r = 1; r <= ROUNDS; r++)); do
        for tool in tierbench fio; do
            if [[ $tool == tierbench ]]; then cmd=("${tb_cmd[@]}"); else cmd=("${fio_cmd[@]}"); fi
            if ! "${PY[@]}" run "$dir/$r-$tool.json" "$dir/$r-$tool.err" "$dir/$r-$tool.rusage" -- "${cmd[@]}"; then
                cat "$dir/$r-$tool.err" >&2
                bench_die "$tool failed in round $r of $name: ${cmd[*]}"
            fi
            read -r iops ios < <("${PY[@]}" check "$tool" "$dir/$r-$tool.json") \
                || bench_die "bad $tool result in round $r of $name"
            [[ -n ${iops:-} ]] || bench_die "bad $tool result in round $r of $name"
            bench_log "   round $r $tool: $iops IOPS"
        done
    done
    {
        "${PY[@]}" report "$title" "$dir" "$ROUNDS"
        echo "Commands:"
        echo
        echo "    ${tb_cmd[*]}"
        echo "    ${fio_cmd[*]}"
        echo
    } | tee -a "$REPORT"
    if [[ ${KEEP_RAW:-0} == 1 ]]; then
        mkdir -p "$RESULTS_DIR/compare-fio-$STAMP-raw"
        cp -r "$dir" "$RESULTS_DIR/compare-fio-$STAMP-raw/"
    fi
done

{
    echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
} | tee -a "$REPORT"
bench_log "report written to $REPORT"
