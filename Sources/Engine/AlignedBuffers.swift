import Glibc

/// One preallocated, aligned buffer per slot, in one allocation (`posix_memalign`), so that
/// O_DIRECT's memory alignment holds for every slot and nothing is allocated per I/O.
public final class AlignedBuffers: @unchecked Sendable {
    public let count: Int
    /// Bytes per slot, a multiple of `alignment`.
    public let slotBytes: Int
    public let alignment: Int
    public let base: UnsafeMutableRawPointer

    /// - Throws: `Errno(ENOMEM)` when the memory cannot be had.
    public init(count: Int, bytesPerSlot: Int, alignment: Int) throws(Errno) {
        let align = max(alignment, 4096)
        self.count = count
        self.alignment = align
        self.slotBytes = (bytesPerSlot + align - 1) / align * align
        var p: UnsafeMutableRawPointer?
        let (total, overflow) = slotBytes.multipliedReportingOverflow(by: count)
        guard !overflow, posix_memalign(&p, align, total) == 0, let p else { throw Errno(ENOMEM) }
        memset(p, 0, total)
        base = p
    }

    deinit { free(base) }

    @inlinable
    public func buffer(_ slot: Int) -> UnsafeMutableRawPointer { base + slot * slotBytes }
}
