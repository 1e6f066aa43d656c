import Engine
import Glibc
import Stats
import Workload

/// Everything one worker (one clone of one job) needs; crosses to the worker thread once.
struct WorkerConfig: Sendable {
    var spec: JobSpec
    var clone: Int
    var fd: Int32
    var rangeStart: UInt64
    var blocks: UInt64
    var engine: EngineChoice  // .ioUring or .psync, decided by the probe
    var engineNotes: [String]
    var alignment: Int
    var digestReads: Bool
}

/// What one worker did; crosses back once, at the end.
struct WorkerOutcome: Sendable {
    var engine: EngineDescription
    var read = DirectionCounters()
    var write = DirectionCounters()
    var measuredNanoseconds: UInt64 = 0
    var errorCounts: [Int32: UInt64] = [:]
    var firstError: String?
    var failed = false
    var interrupted = false
    var readDigest: UInt64 = 0
}

enum JobWorker {
    /// Runs one clone on the calling thread: builds its engine and buffers, then the I/O loop.
    static func run(_ c: WorkerConfig) -> WorkerOutcome {
        let depth = c.engine == .psync ? 1 : c.spec.iodepth
        let buffers: AlignedBuffers
        do {
            buffers = try AlignedBuffers(count: depth, bytesPerSlot: Int(c.spec.blockSizeBytes), alignment: c.alignment)
        } catch {
            return WorkerOutcome(engine: EngineDescription(name: c.engine.rawValue), firstError: "cannot allocate \(depth) buffers of \(c.spec.blockSizeBytes) bytes: \(error)", failed: true)
        }
        switch c.engine {
        case .psync, .auto:
            var engine = PsyncEngine(fd: c.fd, buffers: buffers, notes: c.engineNotes)
            return loop(&engine, c)
        case .ioUring:
            do {
                var engine = try UringEngine(fd: c.fd, depth: depth, buffers: buffers)
                return loop(&engine, c)
            } catch {
                return WorkerOutcome(engine: EngineDescription(name: "io_uring"), firstError: error.message, failed: true)
            }
        }
    }

    /// The hot loop: queue into free slots, submit and reap in one call, account completions.
    /// Allocates nothing per I/O; the only syscall per batch is the engine's.
    static func loop<E: IOEngine & ~Copyable>(_ engine: inout E, _ c: WorkerConfig) -> WorkerOutcome {
        let spec = c.spec
        let depth = min(spec.iodepth, engine.maxInFlight)
        let bs = Int(spec.blockSizeBytes)
        var outcome = WorkerOutcome(engine: engine.description)
        var stream = IOStream(
            rangeStart: c.rangeStart, blockSize: spec.blockSizeBytes, blocks: c.blocks, rw: spec.rw,
            readPercent: spec.rwmixread, randomMap: spec.randomMap,
            seed: spec.randseed &+ UInt64(c.clone) &* 0x9E37_79B9)
        let patternSeed = spec.randseed

        // Per-slot state, preallocated.
        let slotWrite = UnsafeMutableBufferPointer<Bool>.allocate(capacity: depth)
        let slotOffset = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: depth)
        let slotDone = UnsafeMutableBufferPointer<Int>.allocate(capacity: depth)
        let slotStart = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: depth)
        let slotHasPattern = UnsafeMutableBufferPointer<Bool>.allocate(capacity: depth)
        let freeSlots = UnsafeMutableBufferPointer<Int32>.allocate(capacity: depth)
        let justQueued = UnsafeMutableBufferPointer<Int32>.allocate(capacity: depth)
        let retry = UnsafeMutableBufferPointer<Int32>.allocate(capacity: depth)
        let completions = UnsafeMutableBufferPointer<Completion>.allocate(capacity: depth)
        let errorCounts = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: 4096)
        defer {
            slotWrite.deallocate(); slotOffset.deallocate(); slotDone.deallocate(); slotStart.deallocate()
            slotHasPattern.deallocate(); freeSlots.deallocate(); justQueued.deallocate(); retry.deallocate()
            completions.deallocate(); errorCounts.deallocate()
        }
        errorCounts.initialize(repeating: 0)
        completions.initialize(repeating: Completion())
        for i in 0..<depth { freeSlots[i] = Int32(depth - 1 - i); slotHasPattern[i] = false }
        var freeCount = depth
        var queuedCount = 0
        var retryCount = 0
        var inFlight = 0

        // The write template, filled once; a slot's buffer gets it before its first write.
        let template = UnsafeMutableRawPointer.allocate(byteCount: bs, alignment: 64)
        defer { template.deallocate() }
        if spec.rw.writes { DataPattern.fillTemplate(template, length: bs, seed: patternSeed) }

        let totalIOs: UInt64? = spec.timeBased ? nil : c.blocks
        var issued: UInt64 = 0
        var carry: (Direction, UInt64)?  // drawn from the stream but not yet queued (engine was full)

        let startNs = monotonicNanoseconds()
        var inRamp = spec.rampTimeNanoseconds > 0
        let rampEnd = startNs &+ spec.rampTimeNanoseconds
        let deadline = spec.runtimeNanoseconds.map { rampEnd &+ $0 } ?? UInt64.max
        var measureStart = startNs
        var lastCompletion = startNs
        var stopIssuing = false
        var read = DirectionCounters()
        var write = DirectionCounters()
        var digest: UInt64 = 0

        @inline(__always) func recordError(_ code: Int32, slot: Int, message: String? = nil) {
            let index = Int(min(max(code, 0), 4095))
            errorCounts[index] &+= 1
            if outcome.firstError == nil {
                let what = message ?? Errno(code).description
                outcome.firstError = "\(slotWrite[slot] ? "write" : "read") of \(bs) bytes at offset \(slotOffset[slot]): \(what)"
            }
            if !spec.continueOnError {
                stopIssuing = true
                outcome.failed = true
            }
        }

        while true {
            // Resubmit the rest of short I/Os and EAGAINs first, then new I/Os.
            while retryCount > 0 {
                let slot = Int(retry[retryCount - 1])
                let done = slotDone[slot]
                if !engine.queue(slot: slot, write: slotWrite[slot], offset: slotOffset[slot] + UInt64(done),
                                 length: bs - done, bufferOffset: done) { break }
                retryCount -= 1
            }
            if !stopIssuing && retryCount == 0 {
                while freeCount > 0 {
                    if let total = totalIOs, issued >= total { break }
                    let (direction, offset): (Direction, UInt64)
                    if let pending = carry {
                        (direction, offset) = pending
                    } else {
                        direction = stream.nextDirection()
                        offset = stream.nextOffset(direction)
                    }
                    let slot = Int(freeSlots[freeCount - 1])
                    let isWrite = direction == .write
                    if isWrite {
                        let buffer = engine.buffers.buffer(slot)
                        if !slotHasPattern[slot] {
                            buffer.copyMemory(from: template, byteCount: bs)
                            slotHasPattern[slot] = true
                        }
                        DataPattern.stamp(buffer, length: bs, fileOffset: offset)
                    } else {
                        slotHasPattern[slot] = false
                    }
                    if !engine.queue(slot: slot, write: isWrite, offset: offset, length: bs, bufferOffset: 0) {
                        carry = (direction, offset)
                        break
                    }
                    carry = nil
                    freeCount -= 1
                    slotWrite[slot] = isWrite
                    slotOffset[slot] = offset
                    slotDone[slot] = 0
                    justQueued[queuedCount] = Int32(slot)
                    queuedCount += 1
                    inFlight += 1
                    issued += 1
                }
            }
            if inFlight == 0 { break }

            let submitNs = monotonicNanoseconds()
            for i in 0..<queuedCount { slotStart[Int(justQueued[i])] = submitNs }
            queuedCount = 0
            let reaped: Int
            do {
                reaped = try engine.submitAndReap(waitFor: 1, into: completions)
            } catch {
                if outcome.firstError == nil { outcome.firstError = error.message }
                outcome.failed = true
                break  // the ring is torn down with the engine; what is in flight is cancelled
            }
            let now = monotonicNanoseconds()

            for i in 0..<reaped {
                let slot = Int(completions[i].slot)
                let result = completions[i].result
                if result < 0 {
                    if result == -EAGAIN || result == -EINTR {
                        retry[retryCount] = Int32(slot); retryCount += 1
                        continue
                    }
                    recordError(-result, slot: slot)
                } else if result == 0 && slotDone[slot] < bs {
                    recordError(EIO, slot: slot, message: "the kernel returned 0 bytes (end of file or device)")
                } else {
                    let done = slotDone[slot] + Int(result)
                    if done < bs {
                        slotDone[slot] = done
                        if slotWrite[slot] { write.shortIOs += 1 } else { read.shortIOs += 1 }
                        retry[retryCount] = Int32(slot); retryCount += 1
                        continue
                    }
                    let latency = now &- slotStart[slot]
                    if slotWrite[slot] {
                        write.ios += 1; write.bytes += UInt64(bs); write.latency.record(latency)
                    } else {
                        read.ios += 1; read.bytes += UInt64(bs); read.latency.record(latency)
                        if c.digestReads {
                            digest &+= ReadDigest.hash(offset: slotOffset[slot], engine.buffers.buffer(slot), length: bs)
                        }
                    }
                }
                freeSlots[freeCount] = Int32(slot)
                freeCount += 1
                inFlight -= 1
            }
            if reaped > 0 { lastCompletion = now }

            if inRamp && now >= rampEnd {
                inRamp = false
                read.reset(); write.reset(); digest = 0
                measureStart = now
            }
            if now >= deadline { stopIssuing = true }
            if RunControl.shared.stopRequested && !stopIssuing {
                stopIssuing = true
                outcome.interrupted = true
            }
        }

        outcome.read = read
        outcome.write = write
        outcome.readDigest = digest
        outcome.measuredNanoseconds = inRamp ? 0 : (lastCompletion > measureStart ? lastCompletion - measureStart : 0)
        for code in 0..<4096 where errorCounts[code] > 0 { outcome.errorCounts[Int32(code)] = errorCounts[code] }
        return outcome
    }
}
