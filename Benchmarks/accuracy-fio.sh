#!/usr/bin/env bash
# Accuracy: does tierbench measure what fio measures? Same file, same workloads, interleaved:
#   4 KiB random read QD1, 4 KiB random read QD32, 1 MiB sequential read QD8 (SEQ_QD), one job,
#   O_DIRECT, io_uring, time-based with a ramp. Checks the medians over the rounds:
#   IOPS within ±IOPS_TOL % of fio's, clat p50 and p99 within ±LAT_TOL %. Both tools run with their
#   defaults; with QD > 1, tierbench --iodepth-batch 1 and fio --iodepth_batch_complete_max=QD run
#   too (not checked), to show whether submission batching or completion reaping explains a gap.
# The target is a 2 GiB urandom file on a real disk (BENCH_TMPDIR, default /var/tmp; never tmpfs or
# zram, where completion latency means nothing), written once and removed at exit.
# Run as root on a quiet machine. Environment:
#   TIERBENCH     tierbench binary (default: `swift build -c release --scratch-path .build-bench`
#                 here, then .build-bench/release/tierbench)
#   ROUNDS        rounds per workload (default 5; >= 5 unless ALLOW_FEWER=1, which marks a SMOKE run)
#   RUNTIME       measured seconds per run (default 5); RAMP: seconds before measuring (default 1)
#   SEQ_QD        iodepth of the 1 MiB sequential read (default 8)
#   IOPS_TOL, LAT_TOL  tolerances in percent (default 5 and 10)
#   TB_EXTRA, FIO_EXTRA  extra arguments for every tierbench / fio run (word-split)
#   RESULTS_DIR   where the report goes (default Benchmarks/results)
#   KEEP_RAW=1    also keep every run's JSON next to the report (accuracy-<UTC>-raw/)
#   BENCH_TMPDIR  directory for the target file (default /var/tmp)
# Output: Markdown on stdout and in RESULTS_DIR/accuracy-<UTC>.md (accuracy-smoke-<UTC>.md when
# ROUNDS < 5). Exit status: 0 all checked metrics within tolerance, 2 some out, 1 the run failed.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=lib/target.sh
source "$HERE/lib/target.sh"

ROUNDS=${ROUNDS:-5}
RUNTIME=${RUNTIME:-5}
RAMP=${RAMP:-1}
SEQ_QD=${SEQ_QD:-8}
IOPS_TOL=${IOPS_TOL:-5}
LAT_TOL=${LAT_TOL:-10}
RESULTS_DIR=${RESULTS_DIR:-$HERE/results}
read -r -a TB_EXTRA_ARGS <<< "${TB_EXTRA:-}"
read -r -a FIO_EXTRA_ARGS <<< "${FIO_EXTRA:-}"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || bench_die "ROUNDS must be a positive integer (got '$ROUNDS')"
[[ $RUNTIME =~ ^[1-9][0-9]*$ ]] || bench_die "RUNTIME must be a positive whole number of seconds (got '$RUNTIME')"
[[ $RAMP =~ ^[0-9]+$ ]] || bench_die "RAMP must be a whole number of seconds (got '$RAMP')"
[[ $SEQ_QD =~ ^[1-9][0-9]*$ ]] || bench_die "SEQ_QD must be a positive integer (got '$SEQ_QD')"
[[ $IOPS_TOL =~ ^[0-9]+([.][0-9]+)?$ && $LAT_TOL =~ ^[0-9]+([.][0-9]+)?$ ]] \
    || bench_die "IOPS_TOL and LAT_TOL are percentages (got '$IOPS_TOL', '$LAT_TOL')"
SMOKE=0
if (( ROUNDS < 5 )); then
    [[ ${ALLOW_FEWER:-0} == 1 ]] \
        || bench_die "ROUNDS=$ROUNDS: the check needs at least 5 rounds; set ALLOW_FEWER=1 for a smoke run"
    SMOKE=1
fi
bench_require fio python3 flock findmnt lsblk
[[ $EUID -eq 0 ]] || bench_log "warning: not root; the target directory must be writable and O_DIRECT-capable"
PY=(python3 "$HERE/lib/bench.py")

bench_resolve_tierbench .build-bench

bench_lock
bench_init_cleanup
bench_setup_disk_target

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RESULTS_DIR"
if (( SMOKE )); then NAME="accuracy-smoke-$STAMP"; else NAME="accuracy-$STAMP"; fi
REPORT="$RESULTS_DIR/$NAME.md"

# name | title | rw | bs | iodepth. With QD > 1 two more variants run, for the notes (not checked):
# tierbench --iodepth-batch 1 (submits one I/O per io_uring_enter, as fio does) and fio
# --iodepth_batch_complete_max=QD (takes every available completion at once, as tierbench does).
WORKLOADS=(
    "randread-4k-qd1|4 KiB random read, QD1|randread|4k|1"
    "randread-4k-qd32|4 KiB random read, QD32|randread|4k|32"
    "seqread-1m-qd$SEQ_QD|1 MiB sequential read, QD$SEQ_QD|read|1m|$SEQ_QD"
)

# fio --iomem=shmhuge needs reserved huge pages (SHM_HUGETLB): reserve 64 x 2 MiB for the run,
# give the old count back at the end.
HUGEPAGES_BEFORE=$(cat /proc/sys/vm/nr_hugepages 2>/dev/null || echo 0)
HUGEPAGES_OK=0
if (( HUGEPAGES_BEFORE < 64 )) && echo 64 > /proc/sys/vm/nr_hugepages 2>/dev/null; then
    BENCH_HUGEPAGES_RESTORE=$HUGEPAGES_BEFORE  # bench_cleanup gives them back
fi
(( $(cat /proc/sys/vm/nr_hugepages 2>/dev/null || echo 0) >= 64 )) && HUGEPAGES_OK=1

runs=0
for spec in "${WORKLOADS[@]}"; do
    IFS='|' read -r _ _ _ bs qd <<< "$spec"
    runs=$((runs + (qd > 1 ? 4 : 2) + ( bs == "1m" && HUGEPAGES_OK ? 1 : 0 )))
done
bench_log "$((runs * ROUNDS)) runs of ${RAMP}+${RUNTIME} s: about $(((runs * ROUNDS * (RAMP + RUNTIME + 1) + 59) / 60)) min"

tb_version=$("$TIERBENCH" --version 2>/dev/null || echo '?')
tb_commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')
[[ -n $(git -C "$ROOT" status --porcelain -- Sources Package.swift 2>/dev/null) ]] && tb_commit="$tb_commit + uncommitted changes"
{
    if (( SMOKE )); then
        echo "# SMOKE RUN, not an acceptance result: tierbench vs fio accuracy ($ROUNDS rounds)"
    else
        echo "# tierbench vs fio: accuracy"
    fi
    echo
    echo "- date (UTC): $STAMP"
    echo "- machine: $(uname -srvm); $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)$(lscpu 2>/dev/null | sed -n 's/^Hypervisor vendor:[[:space:]]*/, hypervisor /p'); clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null || echo ?)"
    echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- tierbench: $TIERBENCH, version $tb_version (commit $tb_commit)"
    echo "- fio: $(fio --version), engine io_uring with its default options"
    echo "- target file: $TARGET ($((BENCH_TARGET_BYTES >> 20)) MiB of urandom, written once with O_DIRECT and fsync'd, read by every run, removed afterwards)"
    echo "- file system: $TARGET_FS"
    echo "- device: $TARGET_DEVICE"
    echo "- rounds: $ROUNDS per workload; each round runs every variant once, the order rotating by one each round"
    echo "- each run: ${RAMP} s ramp (not measured), then ${RUNTIME} s measured, time-based, one job, direct I/O, reads only"
    echo "- tolerance: median IOPS within ±${IOPS_TOL}% of fio's; median clat p50 and p99 within ±${LAT_TOL}%"
    echo "- clat: submission to completion; lat: total, from when the tool prepared the I/O; slat: prepared to submitted"
    echo
} > "$BENCH_TMP/header.md"

DIRS=()
for spec in "${WORKLOADS[@]}"; do
    IFS='|' read -r name title rw bs qd <<< "$spec"
    dir="$BENCH_TMP/$name"
    mkdir -p "$dir"
    DIRS+=("$dir")
    tb_cmd=("$TIERBENCH" run --target "$TARGET" --rw "$rw" --bs "$bs" --iodepth "$qd"
            --runtime "${RUNTIME}s" --ramp-time "${RAMP}s" --time-based --output-format json
            ${TB_EXTRA_ARGS[@]+"${TB_EXTRA_ARGS[@]}"})
    fio_cmd=(fio --name=accuracy --filename="$TARGET" --rw="$rw" --bs="$bs" --iodepth="$qd"
             --ioengine=io_uring --direct=1 --runtime="$RUNTIME" --ramp_time="$RAMP" --time_based
             --lat_percentiles=1 --output-format=json ${FIO_EXTRA_ARGS[@]+"${FIO_EXTRA_ARGS[@]}"})
    variants=(tierbench fio)
    (( qd > 1 )) && variants+=(tierbench-b1 fio-reapall)
    [[ $bs == 1m ]] && (( HUGEPAGES_OK )) && variants+=(fio-huge)
    {
        echo "title=$title"
        echo "iodepth=$qd"
        echo "variants=${variants[*]}"
    } > "$dir/meta"
    echo "${tb_cmd[*]}" > "$dir/tierbench.cmd"
    echo "${tb_cmd[*]} --iodepth-batch 1" > "$dir/tierbench-b1.cmd"
    echo "${fio_cmd[*]}" > "$dir/fio.cmd"
    echo "${fio_cmd[*]} --iodepth_batch_complete_max=$qd" > "$dir/fio-reapall.cmd"
    echo "${fio_cmd[*]} --iomem=shmhuge" > "$dir/fio-huge.cmd"
    bench_log "== $title"
    n=${#variants[@]}
    for ((r = 1; r <= ROUNDS; r++)); do
        order=()
        for ((i = 0; i < n; i++)); do order+=("${variants[$(((i + r - 1) % n))]}"); done
        echo "${order[*]}" > "$dir/$r.order"
        for variant in "${order[@]}"; do
            case $variant in
                tierbench) cmd=("${tb_cmd[@]}") ;;
                tierbench-b1) cmd=("${tb_cmd[@]}" --iodepth-batch 1) ;;
                fio) cmd=("${fio_cmd[@]}") ;;
                fio-reapall) cmd=("${fio_cmd[@]}" --iodepth_batch_complete_max="$qd") ;;
                fio-huge) cmd=("${fio_cmd[@]}" --iomem=shmhuge) ;;
            esac
            out="$dir/$r-$variant"
            if ! "${PY[@]}" run "$out.json" "$out.err" "$out.rusage" -- "${cmd[@]}"; then
                cat "$out.err" >&2
                bench_die "$variant failed in round $r of $name: ${cmd[*]}"
            fi
            summary=$("${PY[@]}" metrics "$variant" "$out.json") || bench_die "bad $variant result in round $r of $name"
            bench_log "   round $r $variant: $summary"
        done
    done
done

set +e
"${PY[@]}" accuracy "$ROUNDS" "$IOPS_TOL" "$LAT_TOL" "${DIRS[@]}" > "$BENCH_TMP/body.md"
verdict=$?
set -e
(( verdict == 0 || verdict == 2 )) || bench_die "the report could not be made (bench.py accuracy exited $verdict)"
{
    cat "$BENCH_TMP/header.md" "$BENCH_TMP/body.md"
    echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$REPORT"
cat "$REPORT"
if [[ ${KEEP_RAW:-0} == 1 ]]; then
    mkdir -p "$RESULTS_DIR/$NAME-raw"
    cp -r "${DIRS[@]}" "$RESULTS_DIR/$NAME-raw/"
fi
bench_log "report written to $REPORT"
exit "$verdict"
