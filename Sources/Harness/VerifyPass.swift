import Engine
import Glibc
import Workload

/// The generation map of one verifying clone: for each block of its range, the sequence number
/// of the last write that completed there (0: not written, or its last write failed). Filled by
/// the worker thread, read by the verify pass after the worker has been joined.
final class VerifyRecorder: @unchecked Sendable {
    let mode: VerifyMode
    /// The writing run's id: wall-clock microseconds when the job started.
    let run: UInt64
    let rangeStart: UInt64
    let blockSize: UInt64
    let blocks: Int
    let last: UnsafeMutablePointer<UInt32>
    /// The last sequence number handed out (wraps at 2^32, skipping 0); the worker thread's only.
    var sequence: UInt32 = 0

    init?(mode: VerifyMode, run: UInt64, rangeStart: UInt64, blockSize: UInt64, blocks: Int) {
        // calloc: zeroed pages on demand, and a nil (not a trap) when the memory is not there.
        guard let p = calloc(max(blocks, 1), MemoryLayout<UInt32>.stride) else { return nil }
        last = p.assumingMemoryBound(to: UInt32.self)
        self.mode = mode; self.run = run; self.rangeStart = rangeStart; self.blockSize = blockSize; self.blocks = blocks
    }
    deinit { free(last) }

    @inline(__always) func nextSequence() -> UInt32 {
        sequence &+= 1
        if sequence == 0 { sequence = 1 }
        return sequence
    }

    @inline(__always) func record(offset: UInt64, sequence: UInt32) {
        last[Int((offset &- rangeStart) / blockSize)] = sequence
    }
}

/// What a verify pass found: in the JSON as a clone's `verify` object.
public struct VerifyResult: Codable, Sendable {
    public var mode: VerifyMode?
    public var blocksChecked: UInt64 = 0
    /// Of those, checked during the job by `--verify-backlog`.
    public var backlogBlocksChecked: UInt64 = 0
    public var failures: UInt64 = 0
    /// Failures per kind (no_header, corrupted, misplaced, stale, mismatch, read_error).
    public var failuresByKind: [String: UInt64] = [:]
    /// The first failures (at most `VerifyScan.reportLimit`), in offset order.
    public var firstFailures: [VerifyFailure] = []

    public init(mode: VerifyMode?) { self.mode = mode }

    mutating func add(_ f: VerifyFailure) {
        failures += 1
        failuresByKind[f.kind.rawValue, default: 0] += 1
        if firstFailures.count < VerifyScan.reportLimit { firstFailures.append(f) }
    }
}

/// Reads a range of blocks back with plain preads and checks each one (`BlockVerify.check`).
public enum VerifyScan {
    public static let reportLimit = 10
    static let chunkBytes = 1 << 20

    /// Checks blocks `0..<blocks` of `[rangeStart, rangeStart + blocks * blockSize)`.
    /// `expected(i)`: `.skip` (not checked), `.any` (self-consistency only) or the exact generation.
    /// `onIntact` sees each block that passed, with its generation.
    static func scan(fd: Int32, alignment: Int, rangeStart: UInt64, blockSize: Int, blocks: Int, mode: VerifyMode?,
                     expected: (Int) -> Expectation, onIntact: (UInt64, Generation) -> Void = { _, _ in }) throws(RunError) -> VerifyResult {
        let perChunk = max(1, chunkBytes / blockSize)
        let buffers: AlignedBuffers
        do { buffers = try AlignedBuffers(count: 1, bytesPerSlot: perChunk * blockSize, alignment: max(alignment, 4096)) } catch {
            throw .failed("cannot allocate the verify buffer: \(error)")
        }
        let buffer = buffers.buffer(0)
        var template = PatternTemplate()
        var result = VerifyResult(mode: mode)
        var first = 0
        while first < blocks {
            if RunControl.shared.stopRequested { throw .failed("interrupted while verifying") }
            let count = min(perChunk, blocks - first)
            // Skip chunks with nothing to check (a mixed job's blocks that were only read).
            if !(first..<first + count).contains(where: { if case .skip = expected($0) { false } else { true } }) {
                first += count
                continue
            }
            let chunkOffset = rangeStart + UInt64(first) * UInt64(blockSize)
            let (got, error) = preadUpTo(fd, buffer, count * blockSize, chunkOffset)
            let readError = error?.description ?? (got < count * blockSize ? "end of file or device" : nil)
            for i in 0..<count {
                let index = first + i
                let want = expected(index)
                if case .skip = want { continue }
                let offset = chunkOffset + UInt64(i * blockSize)
                result.blocksChecked += 1
                if (i + 1) * blockSize > got {
                    let what = readError ?? "short read"
                    result.add(VerifyFailure(offsetBytes: offset, kind: .readError, expected: "\(blockSize) bytes", found: what,
                                             message: "read_error at offset \(offset): \(what)"))
                    continue
                }
                let block = buffer + i * blockSize
                var exact: Generation?
                if case .exactly(let g) = want { exact = g }
                if var failure = BlockVerify.check(block, length: blockSize, offset: offset, expected: exact, template: &template) {
                    if failure.kind == .misplaced && exact != nil {
                        // A misplaced block is also a lost write to this offset; say what was expected.
                        failure.message += " (expected the write of generation \(exact!))"
                    }
                    result.add(failure)
                } else if let mode, let written = BlockVerify.mode(block), written != mode {
                    result.add(VerifyFailure(offsetBytes: offset, kind: .mismatch, expected: mode.rawValue, found: written.rawValue,
                                             message: "mismatch at offset \(offset): block written with --verify \(written.rawValue), checked with --verify \(mode.rawValue)"))
                } else {
                    onIntact(offset, BlockVerify.generation(block))
                }
            }
            first += count
        }
        return result
    }

    enum Expectation {
        case skip
        case any
        case exactly(Generation)
    }
}

extension Runner {
    /// One generation map per clone of a verifying job (nil for other jobs).
    func verifyRecorders(_ spec: JobSpec, target t: TargetInfo) throws(RunError) -> [VerifyRecorder?] {
        guard let mode = spec.verify, spec.rw.writes else { return Array(repeating: nil, count: spec.numjobs) }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let run = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
        var recorders: [VerifyRecorder?] = []
        for clone in 0..<spec.numjobs {
            let r = spec.range(clone: clone, targetSize: t.sizeBytes)
            let blocks = r.length / spec.blockSizeBytes
            guard blocks <= BlockVerify.maxBlocks else {
                throw .usage("--verify keeps 4 bytes per block, and job \(spec.name) covers \(blocks) blocks of \(Units.formatSize(spec.blockSizeBytes)) (the limit is \(BlockVerify.maxBlocks)); give a smaller --size or a larger --bs")
            }
            guard let recorder = VerifyRecorder(mode: mode, run: run, rangeStart: r.start, blockSize: spec.blockSizeBytes, blocks: Int(blocks)) else {
                throw .failed("--verify: cannot allocate the generation map of \(blocks) blocks for job \(spec.name)")
            }
            recorders.append(recorder)
        }
        return recorders
    }

    /// After a verifying job: reads back every block each clone wrote and checks it against the
    /// generation of its last write. Skipped (with a note) for an interrupted or failed clone,
    /// whose in-flight writes may or may not have landed.
    func verifyPass(_ spec: JobSpec, target t: TargetInfo, recorders: [VerifyRecorder?], results: inout [JobResult]) throws(RunError) {
        guard spec.verify != nil, spec.verifyCheck != VerifyCheck.none else { return }
        request.beforeVerifyPass?(t.path)
        if spec.verifyCheck != nil { return try headerCheckPass(spec, target: t, results: &results) }
        for (clone, recorder) in recorders.enumerated() {
            guard let recorder else { continue }
            if RunControl.shared.stopRequested || results[clone].interrupted || results[clone].failed {
                note("verify pass of job \(spec.name) clone \(clone) skipped: the job \(results[clone].failed ? "failed" : "was interrupted")")
                continue
            }
            let fd = try openTarget(t.path, write: false, direct: spec.direct)
            defer { close(fd) }
            let bs = Int(spec.blockSizeBytes)
            let result = try VerifyScan.scan(
                fd: fd, alignment: t.directIOAlignmentBytes, rangeStart: recorder.rangeStart, blockSize: bs,
                blocks: recorder.blocks, mode: recorder.mode,
                expected: { i in
                    let s = recorder.last[i]
                    return s == 0 ? .skip : .exactly(Generation(run: recorder.run, sequence: UInt64(s)))
                })
            var merged = result
            if let backlog = results[clone].verify {  // what --verify-backlog found during the job
                merged.blocksChecked += backlog.blocksChecked
                merged.backlogBlocksChecked = backlog.backlogBlocksChecked
                for f in backlog.firstFailures { merged.add(f) }
                merged.failures += backlog.failures - UInt64(backlog.firstFailures.count)
                for (kind, n) in backlog.failuresByKind {
                    merged.failuresByKind[kind, default: 0] += n - UInt64(backlog.firstFailures.filter { $0.kind.rawValue == kind }.count)
                }
            }
            results[clone].verify = merged
        }
    }
}

/// `tierbench verify`: checks a range of a target written earlier with `--verify`.
public struct TargetVerifyRequest: Sendable {
    public var path: String
    public var blockSizeBytes: UInt64 = 4096
    public var offsetBytes: UInt64 = 0
    public var sizeBytes: UInt64?
    public var direct = true
    /// Only blocks written in this mode pass (nil: each header's own mode).
    public var mode: VerifyMode?
    /// Every block must come from the newest writing run found in the range: older ones are stale.
    public var requireNewestRun = false
    public init(path: String) { self.path = path }
}

public struct TargetVerifyReport: Sendable {
    public var path: String
    public var offsetBytes: UInt64
    public var lengthBytes: UInt64
    public var blockSizeBytes: UInt64
    public var result: VerifyResult
    /// The newest writing run found (wall-clock microseconds), with how many blocks it wrote.
    public var newestRun: UInt64?
    public var newestRunBlocks: UInt64 = 0
    public var runs: Int = 0
}

public enum TargetVerifier {
    public static func verify(_ r: TargetVerifyRequest) throws(RunError) -> TargetVerifyReport {
        let kind: Targets.PathKind
        do { kind = try Targets.classify(r.path) } catch { throw .usage(error.message) }
        let fd: Int32
        do {
            switch kind {
            case .regularFile, .blockDevice: fd = try Targets.open(r.path, write: false, direct: r.direct)
            case .missing: throw RunError.usage("--target \(r.path) does not exist; give a file or block device written earlier with --verify")
            default: throw RunError.usage("--target \(r.path) is neither a regular file nor a block device; give one written earlier with --verify")
            }
        } catch let e as RunError { throw e } catch let e as TargetError { throw .usage(e.message) } catch { throw .failed("\(error)") }
        defer { close(fd) }
        var size: UInt64 = 0
        var alignment = 1
        if case .regularFile(let s) = kind {
            size = s
            if r.direct { alignment = Targets.fileDirectIOAlignment(fd) ?? 512 }
        } else {
            do {
                let g = try Targets.blockDeviceGeometry(fd)
                size = g.sizeBytes
                if r.direct { alignment = g.logicalBlockBytes }
            } catch { throw .failed("--target \(r.path): cannot read the device's size: \(error)") }
        }
        let bs = r.blockSizeBytes
        if bs < UInt64(BlockVerify.headerSize) {
            throw .usage("--bs \(bs) is too small for a verify header (\(BlockVerify.headerSize) bytes); give the --bs the target was written with")
        }
        if bs % UInt64(alignment) != 0 {
            throw .usage("--bs \(Units.formatSize(bs)) is not a multiple of \(r.path)'s direct-I/O block size (\(alignment) bytes); use a multiple of \(alignment), or --direct 0")
        }
        if r.offsetBytes % UInt64(alignment) != 0 {
            throw .usage("--offset \(r.offsetBytes) is not a multiple of \(r.path)'s direct-I/O block size (\(alignment) bytes); use a multiple of \(alignment), or --direct 0")
        }
        guard r.offsetBytes < size else {
            throw .usage("--offset \(r.offsetBytes) is at or beyond the end of \(r.path) (\(size) bytes); give a smaller --offset")
        }
        let length = r.sizeBytes ?? (size - r.offsetBytes)
        let (end, overflow) = r.offsetBytes.addingReportingOverflow(length)
        if overflow || end > size {
            throw .usage("--size \(Units.formatSize(length)) at --offset \(r.offsetBytes) goes beyond the end of \(r.path) (\(size) bytes); give a smaller --size or --offset")
        }
        let blocks = length / bs
        if blocks == 0 { throw .usage("--bs \(Units.formatSize(bs)) is larger than the \(length) bytes to check; give a smaller --bs or a larger --size") }

        // Per writing run: how many intact blocks, and the first few (for stale reports).
        var runs: [UInt64: (count: UInt64, first: [(UInt64, Generation)])] = [:]
        var result = try VerifyScan.scan(
            fd: fd, alignment: alignment, rangeStart: r.offsetBytes, blockSize: Int(bs), blocks: Int(blocks), mode: r.mode,
            expected: { _ in .any },
            onIntact: { offset, g in
                var entry = runs[g.run] ?? (0, [])
                entry.count += 1
                if entry.first.count < VerifyScan.reportLimit { entry.first.append((offset, g)) }
                runs[g.run] = entry
            })
        let newest = runs.keys.max()
        if r.requireNewestRun, let newest {
            var stale: [VerifyFailure] = []
            for (run, entry) in runs where run < newest {
                result.failures += entry.count
                result.failuresByKind["stale", default: 0] += entry.count
                for (offset, g) in entry.first {
                    stale.append(VerifyFailure(offsetBytes: offset, kind: .stale, expected: "run \(newest)", found: "\(g)",
                                               message: "stale at offset \(offset): generation \(g), from a run older than the newest in the range (\(newest)): the newer write was lost"))
                }
            }
            result.firstFailures = Array((result.firstFailures + stale).sorted { $0.offsetBytes < $1.offsetBytes }.prefix(VerifyScan.reportLimit))
        }
        return TargetVerifyReport(path: r.path, offsetBytes: r.offsetBytes, lengthBytes: blocks * bs, blockSizeBytes: bs,
                                  result: result, newestRun: newest, newestRunBlocks: newest.map { runs[$0]!.count } ?? 0, runs: runs.count)
    }
}
