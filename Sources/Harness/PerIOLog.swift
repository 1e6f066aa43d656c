/// A worker's per-I/O samples: filled on its own thread with no lock, in chunks of
/// `chunkSamples` reserved up front (one allocation per 65,536 I/Os, 2 MiB), handed over once
/// at the job's end.
struct PerIOLog: Sendable {
    static let chunkSamples = 65_536
    private(set) var chunks: [[PerIOSample]] = []
    private var current: [PerIOSample]
    /// The measured span's start (the clock the times are counted from, as fio's epoch).
    let epochNs: UInt64

    init(epoch: UInt64) {
        epochNs = epoch
        current = []
        current.reserveCapacity(Self.chunkSamples)
    }

    var count: Int { chunks.reduce(current.count) { $0 + $1.count } }

    @inline(__always) mutating func record(_ sample: PerIOSample) {
        if current.count == Self.chunkSamples { startChunk() }
        current.append(sample)
    }

    private mutating func startChunk() {
        chunks.append(current)
        current = []
        current.reserveCapacity(Self.chunkSamples)
    }

    /// Every sample, in completion order.
    func forEach(_ body: (PerIOSample) -> Void) {
        for chunk in chunks { chunk.forEach(body) }
        current.forEach(body)
    }
}
