@testable import Harness
import Testing

/// The per-I/O log's buffer: what it keeps per I/O and its chunks.
@Suite struct PerIOLogTests {
    static func sample(_ i: Int, write: Bool = false) -> PerIOSample {
        PerIOSample(offset: UInt64(i) * 4096, length: 4096, write: write, prepared: 1_000, issued: 1_500, completed: 10_000 + UInt64(i))
    }

    @Test func aSampleIs32Bytes() {
        #expect(MemoryLayout<PerIOSample>.stride == 32, "documented as 32 bytes per I/O")
        let s = PerIOSample(offset: 7, length: 1 << 20, write: true, prepared: 0, issued: 5_000_000_000, completed: 5_000_000_100)
        #expect(s.write && s.length == 1 << 20 && s.offset == 7)
        #expect(s.clatNs == 100 && s.slatNs == UInt32.max, "slat saturates at 4.3 s")
        #expect(!Self.sample(0).write && Self.sample(0).latNs == 9_000)
    }

    /// Past a chunk's end a new chunk starts; every sample stays, in order.
    @Test func chunksKeepEverySampleInOrder() {
        var log = PerIOLog(epoch: 0)
        let n = PerIOLog.chunkSamples * 2 + 3
        for i in 0..<n { log.record(Self.sample(i, write: i % 3 == 0)) }
        #expect(log.count == n && log.chunks.count == 2)
        var seen: [UInt64] = []
        var writes = 0
        log.forEach { seen.append($0.offset / 4096); writes += $0.write ? 1 : 0 }
        #expect(seen == (0..<UInt64(n)).map { $0 })
        #expect(writes == (n + 2) / 3)
    }
}
