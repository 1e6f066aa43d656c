import Engine
import Glibc
import Workload

/// The layout pass: a new target is written in full before jobs read it.
extension Runner {
    /// A job that writes every byte of the new file before any job reads it (fio's write-then-read
    /// pair, as fio finds the file the writer made): the layout would only be overwritten.
    func writtenBeforeRead(_ t: TargetInfo) -> String? {
        guard let first = Self.stonewallSets(request.jobs).first else { return nil }
        let jobs = first.map { request.jobs[$0] }
        guard !jobs.contains(where: { $0.rw.reads }) else { return nil }
        return jobs.first { $0.writesWhole(fileBytes: t.sizeBytes) }?.name
    }

    /// Writes a new target in full before jobs read it: reading holes measures nothing.
    func layOut(_ target: inout PreparedTarget) throws(RunError) -> LayoutResult? {
        let t = target.info
        guard t.created && reads else { return nil }
        if let writer = writtenBeforeRead(t) {
            note("\(t.path) is not laid out: job \(writer) writes all of it before any job reads it")
            return nil
        }
        let chunk = 1 << 20
        let buffers: AlignedBuffers
        do { buffers = try AlignedBuffers(count: 1, bytesPerSlot: chunk, alignment: 4096) } catch {
            throw .failed("cannot allocate the layout buffer: \(error)")
        }
        let buffer = buffers.buffer(0)
        let seed = request.jobs.first?.randseed ?? JobSpec.defaultSeed
        DataPattern.fillTemplate(buffer, length: chunk, seed: DataPattern.layoutSeed(seed))
        let useDirect = direct && t.sizeBytes % UInt64(t.directIOAlignmentBytes) == 0
        let fd = try openTarget(t.path, write: true, direct: useDirect)
        defer { closeFile(fd) }
        note("laying out \(t.path): writing \(Units.formatSize(t.sizeBytes)) before the jobs read it")
        let start = monotonicNanoseconds()
        var offset: UInt64 = 0
        var lastProgress: UInt64 = 0
        while offset < t.sizeBytes {
            if RunControl.shared.stopRequested { throw .failed("interrupted while laying out \(t.path); nothing was measured") }
            if let progress = observer.progress {
                let now = monotonicNanoseconds()
                if now &- lastProgress >= Progress.period {
                    lastProgress = now
                    let elapsed = now - start
                    let fraction = Double(offset) / Double(t.sizeBytes)
                    var p = Progress(job: "layout", jobIndex: 0, jobCount: request.jobs.count, phase: .layout, reads: false, writes: true)
                    p.fraction = fraction
                    p.elapsedNs = elapsed
                    p.etaNs = fraction > 0 ? UInt64(Double(elapsed) * (1 - fraction) / fraction) : nil
                    p.writeBytesPerSecond = elapsed > 0 ? Double(offset) / (Double(elapsed) / 1e9) : 0
                    progress(p)
                }
            }
            let n = Int(min(UInt64(chunk), t.sizeBytes - offset))
            DataPattern.stamp(buffer, length: n, fileOffset: offset)
            do { try pwriteAll(fd, buffer, n, offset) } catch {
                if error.rawValue == ENOSPC {
                    throw .usage("--target \(t.path): the file system ran out of space while laying out \(Units.formatSize(t.sizeBytes)); give a smaller --size")
                }
                throw .failed("laying out \(t.path) failed at offset \(offset): \(error)")
            }
            offset += UInt64(n)
        }
        try? syncFile(fd)
        let elapsed = monotonicNanoseconds() - start
        return LayoutResult(bytes: t.sizeBytes, nanoseconds: elapsed,
                            bandwidthBytesPerSecond: elapsed > 0 ? Double(t.sizeBytes) / (Double(elapsed) / 1e9) : 0)
    }
}
