/// One completed read or write as fio's per-I/O logs write it (log_avg_msec absent or 0).
/// 32 bytes: a job of N I/Os keeps 32 x N bytes until its logs are written after the run
/// (fio, too, keeps every sample in memory until it writes its logs, one per log).
struct PerIOSample: Sendable {
    /// The byte offset in its file.
    var offset: UInt64
    /// When it completed (the worker's clock, `monotonicNanoseconds`).
    var completedNs: UInt64
    /// Submission to completion.
    var clatNs: UInt64
    /// Preparation to submission (saturates at 2^32 - 1 ns, 4.3 s).
    var slatNs: UInt32
    /// The block size, bytes, shifted left by one; the low bit set for a write.
    private var sizeAndWrite: UInt32

    init(offset: UInt64, length: Int, write: Bool, prepared: UInt64, issued: UInt64, completed: UInt64) {
        self.offset = offset
        completedNs = completed
        clatNs = completed &- issued
        slatNs = UInt32(clamping: issued &- prepared)
        sizeAndWrite = UInt32(truncatingIfNeeded: length) << 1 | (write ? 1 : 0)
    }

    var write: Bool { sizeAndWrite & 1 == 1 }
    var length: UInt64 { UInt64(sizeAndWrite >> 1) }
    var latNs: UInt64 { UInt64(slatNs) &+ clatNs }
}
