# Shared by compare-fio.sh, alloc-growth.sh and accuracy-fio.sh (source it; needs bash, set -euo pipefail).
#
# bench_lock: one benchmark at a time on this machine (they share zram0 and the CPUs).
# bench_setup_target: sets TARGET (path) and TARGET_DESC (one line) and registers cleanup:
#   root and zram0 usable: reset zram0, disksize 2G, fill once with urandom, reset again at exit;
#   otherwise: a 2 GiB urandom file in a temporary directory (BENCH_TMPDIR, TMPDIR or /var/tmp),
#   removed at exit (BENCH_NO_ZRAM=1 forces this). This fallback measures that file system and its disk, not only the engines.
# bench_setup_disk_target: a 2 GiB urandom file on a real disk (BENCH_TMPDIR, default /var/tmp),
#   removed at exit; refuses RAM-backed storage (tmpfs, ramfs, zram, brd), where completion latency
#   means nothing. Sets TARGET, TARGET_DESC, TARGET_FS and TARGET_DEVICE.
# Call bench_init_cleanup first; it installs the EXIT/INT/TERM traps.

BENCH_TARGET_BYTES=$((2 * 1024 * 1024 * 1024))
BENCH_ZRAM_CLAIMED=0
BENCH_TMP=""
BENCH_TARGET_DIR=""

bench_log() { printf '%s\n' "$*" >&2; }
bench_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Dies unless every named tool is on PATH.
bench_require() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || bench_die "$tool is not on PATH"
    done
}

# Sets TIERBENCH: the given binary, or a release build of this repository. With an argument (a
# scratch path relative to the repository root, e.g. .build-bench) the build is
# `swift build -c release --scratch-path ARG` and the binary ARG/release/tierbench, so it does not
# contend with other builds in .build; without one, `swift build -c release` and .build/release.
bench_resolve_tierbench() {
    local root scratch=${1:-}
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    if [[ -z ${TIERBENCH:-} ]]; then
        if [[ -n $scratch ]]; then
            bench_log "building tierbench (swift build -c release --scratch-path $scratch)..."
            (cd "$root" && swift build -c release --scratch-path "$scratch" >&2)
            TIERBENCH="$root/$scratch/release/tierbench"
        else
            bench_log "building tierbench (swift build -c release)..."
            (cd "$root" && swift build -c release >&2)
            TIERBENCH="$root/.build/release/tierbench"
        fi
    fi
    [[ -x $TIERBENCH ]] || bench_die "TIERBENCH=$TIERBENCH is not an executable"
}

bench_cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ $BENCH_ZRAM_CLAIMED == 1 ]]; then
        if echo 1 > /sys/block/zram0/reset 2>/dev/null; then
            bench_log "zram0 reset."
        else
            bench_log "warning: could not reset zram0 (still open?); reset it with: echo 1 > /sys/block/zram0/reset"
        fi
    fi
    if [[ -n $BENCH_TARGET_DIR && -d $BENCH_TARGET_DIR ]]; then rm -rf -- "$BENCH_TARGET_DIR"; fi
    if [[ -n $BENCH_TMP && -d $BENCH_TMP ]]; then rm -rf -- "$BENCH_TMP"; fi
    if [[ -n ${BENCH_HUGEPAGES_RESTORE:-} ]]; then echo "$BENCH_HUGEPAGES_RESTORE" > /proc/sys/vm/nr_hugepages 2>/dev/null || true; fi
    exit "$rc"
}

bench_init_cleanup() {
    BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tierbench-bench.XXXXXX")
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

bench_lock() {
    local lock=/tmp/tierbench-bench.lock
    exec 9>"$lock"
    if ! flock -n 9; then
        bench_log "waiting for another benchmark run to finish (lock $lock)..."
        flock 9
    fi
}

# Tries zram0; returns non-zero (without claiming anything) when it cannot be used.
bench_try_zram() {
    [[ ${BENCH_NO_ZRAM:-0} != 1 ]] || { bench_log "BENCH_NO_ZRAM=1: not using zram."; return 1; }
    [[ $EUID -eq 0 ]] || { bench_log "not root: zram unavailable."; return 1; }
    if [[ ! -e /sys/block/zram0 ]]; then
        modprobe zram 2>/dev/null || { bench_log "no /sys/block/zram0 and 'modprobe zram' failed."; return 1; }
        local i
        for i in 1 2 3 4 5 6 7 8 9 10; do [[ -e /sys/block/zram0 ]] && break; sleep 0.2; done
        [[ -e /sys/block/zram0 ]] || { bench_log "modprobe zram made no zram0."; return 1; }
    fi
    [[ -b /dev/zram0 ]] || { bench_log "/dev/zram0 is not a block device node."; return 1; }
    if ! echo 1 > /sys/block/zram0/reset 2>/dev/null; then
        bench_log "cannot reset zram0 (in use: mounted, swap or open?)."
        return 1
    fi
    BENCH_ZRAM_CLAIMED=1
    echo 2G > /sys/block/zram0/disksize || { bench_log "cannot set zram0 disksize 2G."; return 1; }
    bench_log "filling zram0 (2 GiB) with incompressible data..."
    dd if=/dev/urandom of=/dev/zram0 bs=1M count=2048 iflag=fullblock oflag=direct status=none \
        || { bench_log "dd to zram0 failed."; return 1; }
    local algo
    algo=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/block/zram0/comp_algorithm 2>/dev/null || true)
    TARGET=/dev/zram0
    TARGET_DESC="/dev/zram0 (RAM-backed, 2 GiB of urandom data, comp_algorithm ${algo:-?}, max_sectors_kb $(cat /sys/block/zram0/queue/max_sectors_kb 2>/dev/null || echo ?))"
}

bench_setup_target() {
    TARGET=""
    TARGET_DESC=""
    if ! bench_try_zram; then
        if [[ $BENCH_ZRAM_CLAIMED == 1 ]]; then
            echo 1 > /sys/block/zram0/reset 2>/dev/null || true
            BENCH_ZRAM_CLAIMED=0
        fi
        bench_log "FALLBACK: zram unavailable; using a 2 GiB file."
        bench_log "          Results then include that file system and disk, not only engine cost."
        bench_make_file "${BENCH_TMPDIR:-${TMPDIR:-/var/tmp}}"
        TARGET_DESC="FALLBACK file $TARGET (2 GiB urandom, $(df -PT "$BENCH_TARGET_DIR" | awk 'NR==2 {print $2 " on " $1}'); zram unavailable)"
    fi
    bench_log "target: $TARGET_DESC"
}

# Writes a BENCH_TARGET_BYTES file of urandom data into a new directory under PARENT (removed at
# exit): TARGET is the file, BENCH_TARGET_DIR its directory. Written with O_DIRECT where the file
# system allows it, then fsync'd, so every block is allocated (no holes) and none sits dirty in
# the page cache.
bench_make_file() {
    local parent=$1 mib=$((BENCH_TARGET_BYTES >> 20))
    mkdir -p "$parent"
    BENCH_TARGET_DIR=$(mktemp -d "$parent/tierbench-target.XXXXXX")
    TARGET="$BENCH_TARGET_DIR/target.bin"
    bench_log "writing $mib MiB of urandom to $TARGET..."
    if ! dd if=/dev/urandom of="$TARGET" bs=1M count="$mib" iflag=fullblock oflag=direct conv=fsync \
            status=none 2>/dev/null; then
        dd if=/dev/urandom of="$TARGET" bs=1M count="$mib" iflag=fullblock conv=fsync status=none
    fi
    local size
    size=$(stat -c %s "$TARGET")
    [[ $size == "$BENCH_TARGET_BYTES" ]] || bench_die "$TARGET is $size bytes, expected $BENCH_TARGET_BYTES"
}

# One line about block device NAME (vda, nvme0n1, dm-0): model, driver, size, rotational,
# scheduler, queue limits.
bench_describe_disk() {
    local name=$1 q=/sys/block/$1/queue model="" driver="" size
    model=$(cat "/sys/block/$name/device/model" 2>/dev/null | sed 's/[[:space:]]*$//' || true)
    driver=$(basename "$(readlink -f "/sys/block/$name/device/driver" 2>/dev/null)" 2>/dev/null || true)
    size=$(lsblk -dno SIZE "/dev/$name" 2>/dev/null | tr -d ' ' || true)
    printf '/dev/%s (model %s, driver %s, size %s, rotational %s, scheduler %s, nr_requests %s, max_sectors_kb %s, logical block %s B)' \
        "$name" "${model:-?}" "${driver:-?}" "${size:-?}" "$(cat "$q/rotational" 2>/dev/null || echo ?)" \
        "$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$q/scheduler" 2>/dev/null || echo ?)" \
        "$(cat "$q/nr_requests" 2>/dev/null || echo ?)" "$(cat "$q/max_sectors_kb" 2>/dev/null || echo ?)" \
        "$(cat "$q/logical_block_size" 2>/dev/null || echo ?)"
}

bench_setup_disk_target() {
    local parent=${BENCH_TMPDIR:-/var/tmp} fstype source options devnum sysdev name disk
    mkdir -p "$parent"
    read -r source fstype options < <(findmnt -no SOURCE,FSTYPE,OPTIONS -T "$parent") \
        || bench_die "findmnt cannot tell which file system holds $parent"
    case $fstype in
        tmpfs|ramfs|devtmpfs|hugetlbfs)
            bench_die "$parent is on $fstype (RAM): completion latency means nothing there; set BENCH_TMPDIR to a directory on a real disk" ;;
    esac
    # The block device behind the directory, from its st_dev (partitions resolve to their disk).
    devnum=$(stat -c '%Hd:%Ld' "$parent")
    sysdev=$(readlink -f "/sys/dev/block/$devnum" 2>/dev/null || true)
    if [[ -n $sysdev && -d $sysdev ]]; then
        name=$(basename "$sysdev")
        disk=$name
        [[ -e $sysdev/partition ]] && disk=$(basename "$(dirname "$sysdev")")
    elif [[ -b $source ]]; then
        name=$(basename "$(readlink -f "$source")")
        disk=$name
    else
        name="" disk=""
    fi
    case $disk in
        zram*|ram[0-9]*|brd*)
            bench_die "$parent is on /dev/$disk (RAM-backed): completion latency means nothing there; set BENCH_TMPDIR to a directory on a real disk" ;;
    esac
    bench_make_file "$parent"
    local allocated
    allocated=$(( $(stat -c '%b * %B' "$TARGET") ))
    (( allocated >= BENCH_TARGET_BYTES )) || bench_die "$TARGET is sparse ($allocated of $BENCH_TARGET_BYTES bytes allocated)"
    TARGET_FS="$fstype ($options) on $source"
    if [[ -n $disk ]]; then
        TARGET_DEVICE=$(bench_describe_disk "$disk")
        [[ $name != "$disk" ]] && TARGET_DEVICE="partition /dev/$name of $TARGET_DEVICE"
        [[ $disk == loop* ]] && TARGET_DEVICE="$TARGET_DEVICE, backed by $(cat "/sys/block/$disk/loop/backing_file" 2>/dev/null || echo ?)"
    else
        TARGET_DEVICE="unknown (st_dev $devnum is not a block device; file system source $source)"
        bench_log "warning: cannot tell which disk holds $parent; check it is not RAM-backed"
    fi
    TARGET_DESC="file $TARGET, $((BENCH_TARGET_BYTES >> 20)) MiB of urandom, fully allocated ($allocated bytes); $TARGET_FS; device $TARGET_DEVICE"
    bench_log "target: $TARGET_DESC"
}
