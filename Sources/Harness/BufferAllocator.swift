import Engine

/// Where a worker gets its aligned buffers (the slots', the verify backlog's): the system's
/// memory, or, in tests, an allocator that fails on demand.
struct BufferAllocator: Sendable {
    /// What the buffers are for, as the error message names them.
    enum Use: Sendable { case slots, verifyBacklog }
    let allocate: @Sendable (_ use: Use, _ count: Int, _ bytesPerSlot: Int, _ alignment: Int) throws -> AlignedBuffers

    static let system = BufferAllocator { _, count, bytes, alignment in
        try AlignedBuffers(count: count, bytesPerSlot: bytes, alignment: alignment)
    }

    func buffers(for use: Use, count: Int, bytesPerSlot: Int, alignment: Int) throws -> AlignedBuffers {
        try allocate(use, count, bytesPerSlot, alignment)
    }
}
