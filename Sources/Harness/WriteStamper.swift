import Workload

/// Fills slot buffers for writes: the job's data pattern (a template filled once, copied into a
/// slot before its first write and after a read overwrote it), each block's offset stamp, and with
/// `--verify` the block's header. With fio's data options (buffer_compress_percentage,
/// dedupe_percentage, buffer_pattern, ...) their generator fills the buffer instead.
struct WriteStamper: ~Copyable {
    let blockBytes: Int
    let seed: UInt64
    private let template: UnsafeMutableRawPointer
    private let fill: WriteDataFill?

    init(blockBytes: Int, seed: UInt64, writes: Bool, fill: WriteDataFill? = nil) {
        self.blockBytes = blockBytes
        self.seed = seed
        self.fill = fill
        template = .allocate(byteCount: blockBytes, alignment: 64)
        if writes { DataPattern.fillTemplate(template, length: blockBytes, seed: seed) }
    }

    deinit { template.deallocate() }

    /// Makes `buffer` the content of a write of `length` bytes at `offset`; `hasPattern` is the
    /// slot's (the template is already there). `generation`: the verify header to stamp, if any.
    @inline(__always)
    func prepare(_ buffer: UnsafeMutableRawPointer, hasPattern: inout Bool, offset: UInt64, length: Int,
                 verify mode: VerifyMode?, generation: Generation) {
        if let fill {
            fill.prepare(buffer, length: length, offset: offset, filled: &hasPattern)
        } else {
            if !hasPattern {
                buffer.copyMemory(from: template, byteCount: blockBytes)
                hasPattern = true
            }
            DataPattern.stamp(buffer, length: length, fileOffset: offset)
        }
        if let mode {
            BlockVerify.stamp(buffer, length: blockBytes, offset: offset, mode: mode, generation: generation, seed: seed)
        }
    }
}
