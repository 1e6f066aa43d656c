/// fio's latency histogram bins (stat.h: FIO_IO_U_PLAT_BITS 6, FIO_IO_U_PLAT_VAL 64,
/// FIO_IO_U_PLAT_GROUP_NR 29: 1856 bins; the HOWTO's "1216" is from an older GROUP_NR), the
/// columns of fio's histogram log (`write_hist_log`). Values in ns, as fio 3.x.
public enum FioLatencyBins {
    public static let bits = 6
    public static let binsPerGroup = 1 << bits
    public static let count = 29 * binsPerGroup

    /// fio's plat_val_to_idx: the bin of a latency.
    public static func index(_ nanoseconds: UInt64) -> Int {
        let msb = nanoseconds == 0 ? 0 : 63 - nanoseconds.leadingZeroBitCount
        if msb <= bits { return Int(nanoseconds) }
        let errorBits = msb - bits
        let base = (errorBits + 1) << bits
        let offset = Int((nanoseconds >> UInt64(errorBits)) & UInt64(binsPerGroup - 1))
        return min(base + offset, count - 1)
    }

    /// A histogram's counts in fio's bins, sparse: (bin, count) pairs, ascending.
    public static func sparse(_ histogram: LatencyHistogram) -> [[UInt64]] {
        var out: [[UInt64]] = []
        for bin in histogram.bins {
            let i = UInt64(index(bin.nanoseconds))
            if let last = out.last, last[0] == i { out[out.count - 1][1] += bin.count } else { out.append([i, bin.count]) }
        }
        return out
    }

    /// The dense columns of one log line from `sparse` pairs: `count >> coarseness` columns,
    /// each the sum of `1 << coarseness` adjacent bins (fio's hist_sum).
    public static func columns(_ sparse: [[UInt64]], coarseness: Int) -> [UInt64] {
        var out = [UInt64](repeating: 0, count: count >> coarseness)
        for pair in sparse { out[Int(pair[0]) >> coarseness] += pair[1] }
        return out
    }
}
