import Benchmark
import Engine
import Harness
import Stats
import Workload

// What tierbench does per I/O, without a kernel. The thresholds (Thresholds/, checked by `make
// test`) are malloc counts: zero for the per-I/O pieces, and for a whole worker over 8192 I/Os
// its set-up alone, so one allocation per I/O would add thousands and fail the check.

/// Bytes of the in-memory target of the worker benchmarks: 8192 blocks of 4 KiB.
let workerBytes = 32 << 20

let benchmarks: @Sendable () -> Void = {
    let perIO = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 1, scalingFactor: .kilo,
        maxDuration: .seconds(1), maxIterations: 1_000,
        thresholds: [.mallocCountTotal: .init(absolute: [.p90: 0])])
    // A few allocations of slack for set-up that changes with the toolchain; one per I/O is 8192.
    let worker = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 1,
        maxDuration: .seconds(1), maxIterations: 100,
        thresholds: [.mallocCountTotal: .init(absolute: [.p90: 8])])

    for rw in [ReadWrite.randread, .randwrite] {
        Benchmark("worker-loop-\(rw.rawValue)-4k-qd32-8192-ios", configuration: worker) { benchmark in
            var engine = try! MemoryEngine(depth: 32, blockBytes: 4096, capacityBytes: workerBytes)
            let spec = JobSpec(name: "bench", rw: rw, blockSizeBytes: 4096, iodepth: 32)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                let result = MemoryWorker.run(spec, on: &engine)
                precondition(result.read.ios + result.write.ios == 8192 && !result.failed, "the worker did not move its size")
                blackHole(result)
            }
        }
    }

    Benchmark("histogram-record", configuration: perIO) { benchmark in
        var histogram = LatencyHistogram()
        var value: UInt64 = 1
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            value = value &* 6_364_136_223_846_793_005 &+ 1
            histogram.record(50_000 + value % 5_000_000)
        }
        blackHole(histogram)
    }

    Benchmark("offset-generation-randread-4k", configuration: perIO) { benchmark in
        var stream = IOStream(rangeStart: 0, rangeLength: 1 << 30, sizes: BlockSizes(read: BlockSizeChoice(fixed: 4096), write: BlockSizeChoice(fixed: 4096)),
                              rw: .randread, readPercent: 100, randomMap: true, distribution: .uniform, seed: JobSpec.defaultSeed)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(stream.next(.read)) }
    }

    Benchmark("verify-stamp-4k-crc32c", configuration: perIO) { benchmark in
        let buffers = try! AlignedBuffers(count: 1, bytesPerSlot: 4096, alignment: 4096)
        let block = buffers.buffer(0)
        DataPattern.fillTemplate(block, length: 4096, seed: JobSpec.defaultSeed)
        var sequence: UInt64 = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            sequence &+= 1
            DataPattern.stamp(block, length: 4096, fileOffset: sequence << 12)
            BlockVerify.stamp(block, length: 4096, offset: sequence << 12, mode: .crc32c,
                              generation: Generation(run: 1, sequence: sequence), seed: JobSpec.defaultSeed)
        }
        blackHole(block.load(as: UInt64.self))
    }
}
