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
    /// Bytes of the clone's range.
    var rangeLength: UInt64
    /// Blocks of `spec.blockSizeBytes` in the range (the verify map's size).
    var blocks: UInt64
    var engine: EngineChoice  // .ioUring or .psync, decided by the probe
    var engineNotes: [String]
    var alignment: Int
    var digestReads: Bool
    /// Length of a time-series interval.
    var intervalNanoseconds: UInt64
    var live: WorkerLive
    /// With `--verify`: the generation map this clone's writes are recorded in.
    var verify: VerifyRecorder? = nil
}

/// What one worker did; crosses back once, at the end.
struct WorkerOutcome: Sendable {
    var engine: EngineDescription
    var read = DirectionCounters()
    var write = DirectionCounters()
    var measuredNanoseconds: UInt64 = 0
    /// When the measured span started (`monotonicNanoseconds`).
    var measureStartMonotonicNs: UInt64 = 0
    /// The interval series of the measured span (an I/O counts in the interval it completed in).
    var intervals: [IntervalSample] = []
    var cpu = CPUUsage()
    /// Clock reads in the measured span (two per batch at most; see the loop).
    var clockReads: UInt64 = 0
    /// What `--verify-backlog` checked during the job.
    var backlogVerify: VerifyResult?
    var errorCounts: [Int32: UInt64] = [:]
    var firstError: String?
    var failed = false
    var interrupted = false
    var readDigest: UInt64 = 0
}

enum JobWorker {
    /// Blocks up to this size use registered (fixed) buffers, which save pinning pages per I/O
    /// (what matters for small blocks); larger ones plain buffers, as fio's default. A registered
    /// buffer in 4 KiB pages reaches the block layer as one segment per page, so without huge
    /// pages (see `AlignedBuffers`) a 1 MiB block is 256 segments and is split in two requests on
    /// a device that takes 254 (virtio-blk). Pinning per I/O costs little next to a large transfer.
    static let largestRegisteredBlock: UInt64 = 64 << 10

    /// Runs one clone on the calling thread: builds its engine and buffers, then the I/O loop.
    static func run(_ c: WorkerConfig) -> WorkerOutcome {
        let depth = c.engine == .psync ? 1 : c.spec.iodepth
        let buffers: AlignedBuffers
        do {
            buffers = try AlignedBuffers(count: depth, bytesPerSlot: Int(c.spec.blockSizeBytes), alignment: c.alignment)
        } catch {
            c.live.enter(.done, at: monotonicNanoseconds())
            return WorkerOutcome(engine: EngineDescription(name: c.engine.rawValue), firstError: "cannot allocate \(depth) buffers of \(c.spec.blockSizeBytes) bytes: \(error)", failed: true)
        }
        switch c.engine {
        case .psync, .auto:
            var engine = PsyncEngine(fd: c.fd, buffers: buffers, notes: c.engineNotes)
            return loop(&engine, c)
        case .ioUring:
            do {
                var engine = try UringEngine(fd: c.fd, depth: depth, buffers: buffers,
                                             registerBuffers: c.spec.blockSizeBytes <= JobWorker.largestRegisteredBlock)
                return loop(&engine, c)
            } catch {
                c.live.enter(.done, at: monotonicNanoseconds())
                return WorkerOutcome(engine: EngineDescription(name: "io_uring"), firstError: error.message, failed: true)
            }
        }
    }

    /// The hot loop: queue into free slots, submitting every `iodepthBatch` queued I/Os, then reap
    /// (waiting only when nothing is ready) and account the completions.
    /// Allocates nothing per I/O. The clock is read once per submit ("submitted") and once per reap
    /// ("completed"); an I/O's "prepared" time is the latest read before it was drawn. fio reads
    /// the clock per batch the same way where it can.
    static func loop<E: IOEngine & ~Copyable>(_ engine: inout E, _ c: WorkerConfig) -> WorkerOutcome {
        let spec = c.spec
        let live = c.live
        let depth = min(spec.iodepth, engine.maxInFlight)
        let bs = Int(spec.blockSizeBytes)
        var outcome = WorkerOutcome(engine: engine.description)
        var stream = IOStream(spec, rangeStart: c.rangeStart, rangeLength: c.rangeLength, seed: spec.randseed &+ UInt64(c.clone) &* 0x9E37_79B9)
        let patternSeed = spec.randseed

        // Per-slot state, preallocated.
        let slotWrite = UnsafeMutableBufferPointer<Bool>.allocate(capacity: depth)
        let slotOffset = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: depth)
        let slotLength = UnsafeMutableBufferPointer<Int>.allocate(capacity: depth)
        defer { slotLength.deallocate() }
        slotLength.initialize(repeating: bs)
        let slotDone = UnsafeMutableBufferPointer<Int>.allocate(capacity: depth)
        let slotPrepared = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: depth)
        let slotIssued = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: depth)
        let slotHasPattern = UnsafeMutableBufferPointer<Bool>.allocate(capacity: depth)
        // --verify: a write's sequence number, and which slots are in flight (see below).
        let verifier = c.verify
        let slotSequence = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: depth)
        let slotBusy = UnsafeMutableBufferPointer<Bool>.allocate(capacity: depth)
        slotBusy.initialize(repeating: false)
        defer { slotSequence.deallocate(); slotBusy.deallocate() }
        // --verify-backlog N: the offsets of the last writes completed, checked every N.
        let backlog = verifier == nil ? 0 : (spec.verifyBacklog ?? 0)
        // Room for the writes still in flight when the backlog falls due.
        let backlogOffsets = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: backlog + depth)
        defer { backlogOffsets.deallocate() }
        var backlogCount = 0
        var backlogResult = VerifyResult(mode: verifier?.mode)
        var backlogTemplate = PatternTemplate()
        var backlogBuffer: AlignedBuffers?
        if backlog > 0 {
            do { backlogBuffer = try AlignedBuffers(count: 1, bytesPerSlot: bs, alignment: c.alignment) } catch {
                // Without it the backlog could never be checked and issuing would stop for good.
                outcome.firstError = "cannot allocate the --verify-backlog buffer of \(bs) bytes: \(error)"
                outcome.failed = true
                return outcome
            }
        }
        let freeSlots = UnsafeMutableBufferPointer<Int32>.allocate(capacity: depth)
        let justQueued = UnsafeMutableBufferPointer<Int32>.allocate(capacity: depth)
        let retry = UnsafeMutableBufferPointer<Int32>.allocate(capacity: depth)
        let completions = UnsafeMutableBufferPointer<Completion>.allocate(capacity: depth)
        let errorCounts = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: 4096)
        defer {
            slotWrite.deallocate(); slotOffset.deallocate(); slotDone.deallocate(); slotPrepared.deallocate()
            slotIssued.deallocate(); slotHasPattern.deallocate(); freeSlots.deallocate(); justQueued.deallocate()
            retry.deallocate(); completions.deallocate(); errorCounts.deallocate()
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

        // A size-based job stops issuing once it has issued its size (times --loops), as fio.
        let limitBytes: UInt64 = spec.timeBased ? .max : spec.sizeLimitBytes(rangeBytes: c.rangeLength)
        var issued: UInt64 = 0
        var issuedBytes: UInt64 = 0
        var carry: (Direction, UInt64, Int)?  // drawn from the stream but not yet queued (engine was full)

        // --rate / --rate-iops (fio's semantics): an I/O in a direction is due once the bytes issued
        // before it, at the direction's rate, have taken their time; rate_iops counts the
        // direction's smallest block per I/O. A mixed job issues the other direction while one is
        // ahead; when both are, it waits (a timed reap while I/Os are in flight, a sleep when none are).
        let sizes = spec.sizes
        func bytesPerSecond(_ d: Direction) -> UInt64 {
            if let r = spec.rate?[d] { return r }
            if let i = spec.rateIops?[d] { return i &* sizes[d].minBytes }
            return 0
        }
        let rateRead = bytesPerSecond(.read), rateWrite = bytesPerSecond(.write)
        let rated = (spec.rw.reads && rateRead > 0) || (spec.rw.writes && rateWrite > 0)
        var rateStart: UInt64 = 0
        var rateReadBytes: UInt64 = 0, rateWriteBytes: UInt64 = 0
        var rateReadDue: UInt64 = 0, rateWriteDue: UInt64 = 0
        var heldDirection: Direction?  // drawn, waiting for its rate
        var rateWaitUntil: UInt64 = 0  // nonzero: nothing may be issued before this time
        @inline(__always) func due(after bytes: UInt64, _ bps: UInt64) -> UInt64 {
            guard bps > 0 else { return 0 }
            let (high, low) = bytes.multipliedFullWidth(by: 1_000_000_000)
            guard high < bps else { return .max }
            return rateStart &+ bps.dividingFullWidth((high, low)).quotient
        }
        // --thinktime: after every thinkEvery I/Os issued, let what is in flight complete, then stall.
        let thinkNs = spec.thinktimeNanoseconds ?? 0
        let thinkEvery = spec.thinktimeBlocks ?? 1
        var sinceThink = 0
        var thinkDue = false
        var thinkUntil: UInt64 = 0

        let startNs = monotonicNanoseconds()
        rateStart = startNs
        var inRamp = spec.rampTimeNanoseconds > 0
        let rampEnd = startNs &+ spec.rampTimeNanoseconds
        // Measured time counts from the first reap after the ramp (where measurement starts).
        var deadline = spec.runtimeNanoseconds.map { rampEnd &+ $0 } ?? UInt64.max
        var measureStart = startNs
        var lastCompletion = startNs
        var now = startNs
        var clockReads: UInt64 = 1
        var stopIssuing = false
        var read = DirectionCounters()
        var write = DirectionCounters()
        var digest: UInt64 = 0
        var cpuAtStart = CPUUsage.currentThread()
        live.enter(inRamp ? .ramp : .run, at: startNs)

        // The interval series: completions go to the open interval; it closes at its boundary.
        let interval = max(c.intervalNanoseconds, 1_000_000)
        let submitBatch = max(1, min(spec.iodepthBatch, depth))
        var intervalIndex = 0
        var intervalStart = startNs
        var nextBoundary = startNs &+ interval
        var intervalRead = IntervalCounters()
        var intervalWrite = IntervalCounters()
        var intervals: [IntervalSample] = []
        func closeInterval(end: UInt64) {
            let record = IntervalRecord(index: intervalIndex, startNs: intervalStart &- measureStart,
                                        durationNs: end &- intervalStart, read: intervalRead, write: intervalWrite)
            intervals.append(record.sample(reads: spec.rw.reads, writes: spec.rw.writes))
            live.publish(record)
            intervalRead = IntervalCounters(); intervalWrite = IntervalCounters()
            intervalIndex += 1
            intervalStart = end
        }
        /// After a submit: one clock read, the "submitted" time of every I/O it carried.
        @inline(__always) func markSubmitted() -> UInt64 {
            let submitted = monotonicNanoseconds()
            clockReads &+= 1
            for i in 0..<queuedCount { slotIssued[Int(justQueued[i])] = submitted }
            queuedCount = 0
            return submitted
        }
        // What the ramp did, so the progress counters run on across its reset.
        var rampReadIOs: UInt64 = 0, rampReadBytes: UInt64 = 0, rampWriteIOs: UInt64 = 0, rampWriteBytes: UInt64 = 0

        @inline(__always) func recordError(_ code: Int32, slot: Int, message: String? = nil) {
            let index = Int(min(max(code, 0), 4095))
            errorCounts[index] &+= 1
            if outcome.firstError == nil {
                let what = message ?? Errno(code).description
                outcome.firstError = "\(slotWrite[slot] ? "write" : "read") of \(slotLength[slot]) bytes at offset \(slotOffset[slot]): \(what)"
            }
            // The block's content is unknown now: the verify pass skips it.
            if slotWrite[slot], let verifier { verifier.record(offset: slotOffset[slot], sequence: 0) }
            if !spec.continueOnError {
                stopIssuing = true
                outcome.failed = true
            }
        }

        /// After a clock read: the end of the ramp, the deadline and the stop request; closes the
        /// intervals that ended (the reap path closes them itself, before accounting completions).
        func afterClock(closeIntervals: Bool = true) {
            if closeIntervals {
                while !inRamp && now >= nextBoundary {
                    closeInterval(end: nextBoundary)
                    nextBoundary &+= interval
                }
            }
            if inRamp && now >= rampEnd {
                inRamp = false
                rampReadIOs = read.ios; rampReadBytes = read.bytes; rampWriteIOs = write.ios; rampWriteBytes = write.bytes
                read.reset(); write.reset(); digest = 0
                intervalRead = IntervalCounters(); intervalWrite = IntervalCounters()
                measureStart = now
                if let runtime = spec.runtimeNanoseconds { deadline = now &+ runtime }
                intervalStart = now
                nextBoundary = now &+ interval
                clockReads = 0
                cpuAtStart = CPUUsage.currentThread()
                // The rate counts from here, as fio resets it after the ramp.
                rateStart = now; rateReadBytes = 0; rateWriteBytes = 0; rateReadDue = now; rateWriteDue = now
                live.enter(.run, at: now)
            }
            if now >= deadline { stopIssuing = true }
            if RunControl.shared.stopRequested && !stopIssuing {
                stopIssuing = true
                outcome.interrupted = true
            }
        }

        while true {
            // Resubmit the rest of short I/Os and EAGAINs first, then new I/Os.
            while retryCount > 0 {
                let slot = Int(retry[retryCount - 1])
                let done = slotDone[slot]
                if !engine.queue(slot: slot, write: slotWrite[slot], offset: slotOffset[slot] + UInt64(done),
                                 length: slotLength[slot] - done, bufferOffset: done) { break }
                retryCount -= 1
            }
            rateWaitUntil = 0
            if !stopIssuing && !thinkDue && retryCount == 0 && (backlog == 0 || backlogCount < backlog) {
                while freeCount > 0 {
                    if issuedBytes >= limitBytes { break }
                    let direction: Direction, offset: UInt64, length: Int
                    if let pending = carry {
                        (direction, offset, length) = pending
                    } else {
                        var d = heldDirection ?? stream.nextDirection()
                        if rated {
                            // fio's rate_ddir: this direction if due, else the other one if it is
                            // due, else wait for the earlier of the two.
                            var readDue = spec.rw.reads && rateRead > 0 ? rateReadDue : 0
                            var writeDue = spec.rw.writes && rateWrite > 0 ? rateWriteDue : 0
                            if (d == .read ? readDue : writeDue) > now {
                                now = monotonicNanoseconds()
                                clockReads &+= 1
                            }
                            let other: Direction = d == .read ? .write : .read
                            let otherUsed = other == .read ? stream.readPercent > 0 : stream.readPercent < 100
                            if (d == .read ? readDue : writeDue) > now {
                                if !otherUsed { readDue = d == .read ? readDue : .max; writeDue = d == .write ? writeDue : .max }
                                if otherUsed && (other == .read ? readDue : writeDue) <= now {
                                    d = other
                                } else {
                                    let (wait, next) = readDue <= writeDue ? (readDue, Direction.read) : (writeDue, Direction.write)
                                    heldDirection = next
                                    rateWaitUntil = wait
                                    break
                                }
                            }
                            heldDirection = nil
                        }
                        direction = d
                        let io = stream.next(direction)
                        offset = io.offset
                        length = Int(io.length)
                    }
                    let slot = Int(freeSlots[freeCount - 1])
                    let isWrite = direction == .write
                    if isWrite && verifier != nil {
                        // Two writes to one block in flight at once land in either order, so the
                        // last one recorded might not be on disk: wait for the first to complete.
                        var overlaps = false
                        for s in 0..<depth where slotBusy[s] && slotWrite[s] && slotOffset[s] == offset { overlaps = true; break }
                        if overlaps { carry = (direction, offset, length); break }
                    }
                    if isWrite {
                        let buffer = engine.buffers.buffer(slot)
                        if !slotHasPattern[slot] {
                            buffer.copyMemory(from: template, byteCount: bs)
                            slotHasPattern[slot] = true
                        }
                        DataPattern.stamp(buffer, length: length, fileOffset: offset)
                        if let verifier {
                            let sequence = verifier.nextSequence()
                            slotSequence[slot] = sequence
                            BlockVerify.stamp(buffer, length: bs, offset: offset, mode: verifier.mode,
                                              generation: Generation(run: verifier.run, sequence: UInt64(sequence)), seed: patternSeed)
                        }
                    } else {
                        slotHasPattern[slot] = false
                    }
                    if !engine.queue(slot: slot, write: isWrite, offset: offset, length: length, bufferOffset: 0) {
                        carry = (direction, offset, length)
                        break
                    }
                    carry = nil
                    freeCount -= 1
                    slotWrite[slot] = isWrite
                    slotOffset[slot] = offset
                    slotLength[slot] = length
                    slotBusy[slot] = true
                    slotDone[slot] = 0
                    slotPrepared[slot] = now
                    justQueued[queuedCount] = Int32(slot)
                    queuedCount += 1
                    inFlight += 1
                    issued += 1
                    issuedBytes &+= UInt64(length)
                    if rated {
                        if isWrite {
                            rateWriteBytes &+= UInt64(length); rateWriteDue = due(after: rateWriteBytes, rateWrite)
                        } else {
                            rateReadBytes &+= UInt64(length); rateReadDue = due(after: rateReadBytes, rateRead)
                        }
                    }
                    if thinkNs > 0 {
                        sinceThink += 1
                        if sinceThink >= thinkEvery { thinkDue = true }
                    }
                    if queuedCount >= submitBatch || thinkDue {
                        do { try engine.submit() } catch {
                            if outcome.firstError == nil { outcome.firstError = error.message }
                            outcome.failed = true
                            stopIssuing = true
                            break
                        }
                        now = markSubmitted()
                    }
                    if thinkDue { break }
                }
            }
            // The backlog is due and nothing is in flight: read those blocks back and check them.
            if backlog > 0 && backlogCount >= backlog && inFlight == 0, let verifier, let buffer = backlogBuffer?.buffer(0) {
                for i in 0..<backlogCount {
                    let offset = backlogOffsets[i]
                    let sequence = verifier.last[Int((offset &- verifier.rangeStart) / verifier.blockSize)]
                    if sequence == 0 { continue }
                    backlogResult.blocksChecked += 1
                    backlogResult.backlogBlocksChecked += 1
                    let (got, error) = preadUpTo(c.fd, buffer, bs, offset)
                    if got < bs {
                        let what = error?.description ?? "end of file or device"
                        backlogResult.add(VerifyFailure(offsetBytes: offset, kind: .readError, expected: "\(bs) bytes", found: what,
                                                        message: "read_error at offset \(offset): \(what)"))
                    } else if let failure = BlockVerify.check(buffer, length: bs, offset: offset,
                                                              expected: Generation(run: verifier.run, sequence: UInt64(sequence)),
                                                              template: &backlogTemplate) {
                        backlogResult.add(failure)
                    }
                }
                backlogCount = 0
                now = monotonicNanoseconds()
                clockReads &+= 1
                continue
            }
            // Pacing: nothing in flight and a thinktime or a rate to wait for: sleep (never spin),
            // at most 100 ms at a time, to look at the stop request and close intervals.
            if thinkDue && (stopIssuing || issuedBytes >= limitBytes) { thinkDue = false }
            if inFlight == 0 && (thinkDue || rateWaitUntil > 0) {
                if thinkDue && thinkUntil == 0 { thinkUntil = now &+ thinkNs }
                let target = thinkDue ? thinkUntil : rateWaitUntil
                sleepUntil(min(target, now &+ 100_000_000))
                now = monotonicNanoseconds()
                clockReads &+= 1
                if thinkDue && now >= thinkUntil { thinkDue = false; thinkUntil = 0; sinceThink = 0 }
                afterClock()
                continue
            }
            if inFlight == 0 { break }

            let reaped: Int
            do {
                try engine.submit()
                if queuedCount > 0 { now = markSubmitted() }
                // Waiting for a rate: reap no longer than until the next I/O is due.
                let timeout: UInt64 = rateWaitUntil > now ? min(rateWaitUntil - now, 100_000_000) : (rateWaitUntil > 0 ? 1_000 : 100_000_000)
                reaped = try engine.reap(waitFor: 1, timeoutNanoseconds: timeout, into: completions)
            } catch {
                if outcome.firstError == nil { outcome.firstError = error.message }
                outcome.failed = true
                break  // the ring is torn down with the engine; what is in flight is cancelled
            }
            now = monotonicNanoseconds()
            clockReads &+= 1
            while !inRamp && now >= nextBoundary {
                closeInterval(end: nextBoundary)
                nextBoundary &+= interval
            }

            for i in 0..<reaped {
                let slot = Int(completions[i].slot)
                let result = completions[i].result
                if result < 0 {
                    if result == -EAGAIN || result == -EINTR {
                        retry[retryCount] = Int32(slot); retryCount += 1
                        continue
                    }
                    recordError(-result, slot: slot)
                } else if result == 0 && slotDone[slot] < slotLength[slot] {
                    recordError(EIO, slot: slot, message: "the kernel returned 0 bytes (end of file or device)")
                } else {
                    let length = slotLength[slot]
                    let done = slotDone[slot] + Int(result)
                    if done < length {
                        slotDone[slot] = done
                        if slotWrite[slot] { write.shortIOs += 1 } else { read.shortIOs += 1 }
                        retry[retryCount] = Int32(slot); retryCount += 1
                        continue
                    }
                    let prepared = slotPrepared[slot]
                    let issuedAt = slotIssued[slot]  // the first submit; resubmitted rests count in clat
                    if slotWrite[slot] {
                        if let verifier {
                            verifier.record(offset: slotOffset[slot], sequence: slotSequence[slot])
                            if backlog > 0 { backlogOffsets[backlogCount] = slotOffset[slot]; backlogCount += 1 }
                        }
                        write.record(bytes: UInt64(length), prepared: prepared, issued: issuedAt, completed: now)
                        intervalWrite.ios &+= 1; intervalWrite.bytes &+= UInt64(length)
                        intervalWrite.lat.record(now &- prepared)
                    } else {
                        read.record(bytes: UInt64(length), prepared: prepared, issued: issuedAt, completed: now)
                        intervalRead.ios &+= 1; intervalRead.bytes &+= UInt64(length)
                        intervalRead.lat.record(now &- prepared)
                        if c.digestReads {
                            digest &+= ReadDigest.hash(offset: slotOffset[slot], engine.buffers.buffer(slot), length: length)
                        }
                    }
                }
                freeSlots[freeCount] = Int32(slot)
                slotBusy[slot] = false
                freeCount += 1
                inFlight -= 1
            }
            if reaped > 0 {
                lastCompletion = now
                live.readIOs.store(rampReadIOs &+ read.ios, ordering: .relaxed)
                live.readBytes.store(rampReadBytes &+ read.bytes, ordering: .relaxed)
                live.writeIOs.store(rampWriteIOs &+ write.ios, ordering: .relaxed)
                live.writeBytes.store(rampWriteBytes &+ write.bytes, ordering: .relaxed)
                live.issued.store(issuedBytes, ordering: .relaxed)
            }

            afterClock(closeIntervals: false)
        }

        // The rest after the last boundary (I/Os reaped exactly on a boundary belong to it too).
        if !inRamp && (lastCompletion > intervalStart || intervalRead.ios + intervalWrite.ios > 0) {
            closeInterval(end: max(lastCompletion, intervalStart &+ 1))
        }
        outcome.read = read
        outcome.write = write
        outcome.readDigest = digest
        outcome.intervals = intervals
        if backlog > 0 { outcome.backlogVerify = backlogResult }
        outcome.clockReads = clockReads
        outcome.cpu = CPUUsage.currentThread().since(cpuAtStart)
        outcome.measureStartMonotonicNs = measureStart
        outcome.measuredNanoseconds = inRamp ? 0 : (lastCompletion > measureStart ? lastCompletion - measureStart : 0)
        for code in 0..<4096 where errorCounts[code] > 0 { outcome.errorCounts[Int32(code)] = errorCounts[code] }
        live.enter(.done, at: now)
        return outcome
    }
}
