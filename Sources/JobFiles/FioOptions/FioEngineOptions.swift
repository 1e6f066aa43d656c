import Workload

extension FioOptionTable {
    /// How I/O is issued: engine, buffers, page cache, threads, clocks, CPUs.
    static let engineOptionFamily = Family(
        names: ["ioengine", "fixedbufs", "registerfiles", "thread", "gtod_reduce", "clocksource", "mem", "hipri", "hipri_percentage", "kb_base", "direct", "buffered", "cpus_allowed"],
        flags: ["buffered", "direct", "fixedbufs", "gtod_reduce", "hipri", "registerfiles", "thread"],
        map: mapEngine)

    private static func mapEngine(_ name: String, _ value: String, _ c: Context) throws(FioValues.Failure) -> Outcome? {
        switch name {
        case "cpus_allowed":
            do { return .set([("cpus-allowed", try CPUList.parse(value).map(String.init).joined(separator: ","))]) } catch { throw FioValues.Failure(error) }
        case "direct": return .set([("direct", try FioValues.bool(value) ? "1" : "0")])
        case "buffered": return .set([("direct", try FioValues.bool(value) ? "0" : "1")])
        case "ioengine":
            switch value.lowercased() {
            case "io_uring": return .set([("ioengine", "io_uring")])
            case "libaio": return .set([("ioengine", "io_uring")], note: "ioengine=libaio runs on tierbench's io_uring engine (the nearest)")
            case "aio": return .set([("ioengine", "io_uring")], note: "ioengine=aio (fio's name for libaio) runs on tierbench's io_uring engine (the nearest)")
            case "psync": return .set([("ioengine", "psync")])
            case "sync", "pvsync", "pvsync2":
                return .set([("ioengine", "psync")], note: "ioengine=\(value) runs on tierbench's psync engine (the nearest)")
            default: return .unsupported("ioengine=\(value) is valid fio but tierbench has io_uring and psync only (libaio and the sync engines run on the nearest)")
            }
        case "fixedbufs", "registerfiles":
            // tierbench always registers the file and buffers up to 64 KiB; it cannot turn that off.
            return try FioValues.bool(value) ? .set([]) : .unsupported("\(name)=0 is valid fio but tierbench always registers the file and buffers up to 64 KiB")
        case "thread":
            return try FioValues.bool(value) ? .set([])
                : .set([], note: "thread=0: tierbench runs every job as threads of one process (fio's thread=1); the I/O is the same")
        case "gtod_reduce":
            return try FioValues.bool(value)
                ? .set([], note: "gtod_reduce=1: not needed; tierbench's timing is already cheap (two clock reads per batch of I/Os) and it keeps every latency number")
                : .set([])
        case "clocksource":
            guard ["gettimeofday", "clock_gettime", "cpu"].contains(value.lowercased()) else {
                throw FioValues.Failure(value: value, " is not a clock source; fio has gettimeofday, clock_gettime and cpu")
            }
            return .set([], note: "clocksource=\(value): tierbench always times with clock_gettime(CLOCK_MONOTONIC)")
        case "mem":
            return value.lowercased() == "malloc" ? .set([]) : .unsupported("mem=\(value) is valid fio but tierbench allocates aligned buffers itself (mem=malloc)")
        case "hipri", "hipri_percentage":
            return .unsupported("\(name) (polled completions, RWF_HIPRI) is valid fio but tierbench does not poll for completions; remove it (latencies then include the completion interrupt, as in fio without it)")
        case "kb_base":
            guard value == "1000" || value == "1024" else { throw FioValues.Failure(value: value, " is not 1000 or 1024") }
            return .set([])  // applied by the parser to the section's sizes
        default: return nil
        }
    }
}
