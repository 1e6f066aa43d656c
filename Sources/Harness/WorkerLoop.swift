import Engine
import Glibc
import Stats
import Workload

/// One worker's I/O loop in named pieces, and its steps: `JobWorker.loop` drives them. A new
/// kind of operation, log or stop condition is a piece here and a line in a step, not more loop.
struct WorkerLoop: ~Copyable {
    let config: WorkerConfig
    let blockBytes: Int
    private let submitBatch: Int
    /// A size-based job stops issuing once it has issued its size (times --loops), as fio (a file
    /// of several once it has issued its share on it: `rotation`).
    private let limitBytes: UInt64
    /// The size itself (times --loops), not cut to whole blocks: fio issues a due sync after the
    /// last write when the size has bytes left that no block fits in (etcd's 22m at bs=2300).
    private let syncLimitBytes: UInt64
    /// One stream per file (offsets within that file's range).
    private var streams: [IOStream]
    /// Which file the next I/O goes to (fio's `file_service_type`), and each file's share left.
    private var rotation: FileRotation
    /// Where the last write went: a due sync syncs that file, as fio's on the job's current file.
    private var lastWriteFile = 0
    private(set) var slots: SlotTable
    private var clock: WorkerClock
    private var window: MeasureWindow
    private var pacer: RatePacer
    private var think: ThinkTime
    private var intervals: IntervalSeries
    /// fio's per-I/O logs (a write_*_log without log_avg_msec), from the ramp's end (fio logs
    /// the measured span); nil: none (yet), and the completion path costs one branch.
    private var perIO: PerIOLog?
    private var backlog: VerifyBacklog
    private let stamper: WriteStamper
    private var syncs: SyncSchedule
    private var tally = CompletionTally()
    private var errors = ErrorTally()
    private var issuedBytes: UInt64 = 0
    /// Drawn from the stream but not yet queued (the engine was full, or an overlapping write in flight).
    private var carry: DrawnIO?
    private var stopIssuing = false
    private var failed = false
    private var interrupted = false
    private var cpuAtStart: CPUUsage

    /// - Throws: a message when a buffer cannot be had; nothing is left allocated then.
    init(_ c: WorkerConfig, depth: Int, allocator: BufferAllocator) throws(WorkerSetupError) {
        let spec = c.spec
        config = c
        blockBytes = Int(spec.blockSizeBytes)
        let backlogEvery = c.verify == nil ? 0 : (spec.verifyBacklog ?? 0)
        do {
            backlog = try VerifyBacklog(every: backlogEvery, depth: depth, blockBytes: blockBytes, alignment: c.alignment,
                                        mode: c.verify?.mode, allocator: allocator)
        } catch {
            throw WorkerSetupError(message: "cannot allocate the --verify-backlog buffer of \(blockBytes) bytes: \(error)")
        }
        submitBatch = max(1, min(spec.iodepthBatch, depth))
        let limits = c.limits
        limitBytes = limits.total
        let ranges = c.files.reduce(UInt64(0)) { $0 &+ $1.rangeLength }
        let (uncut, overflow) = ranges.multipliedReportingOverflow(by: UInt64(spec.loops ?? 1))
        syncLimitBytes = spec.timeBased || overflow ? .max : uncut
        let seed = spec.randseed &+ UInt64(c.clone) &* 0x9E37_79B9
        streams = c.files.enumerated().map { i, f in
            IOStream(spec, rangeStart: f.rangeStart, rangeLength: f.rangeLength, seed: seed &+ UInt64(i) &* 0xC2B2_AE3D_27D4_EB4F)
        }
        rotation = FileRotation(spec.fileSet?.service ?? FileService(), limits: limits.perFile, seed: seed)
        slots = SlotTable(depth: depth, blockBytes: blockBytes)
        stamper = WriteStamper(blockBytes: blockBytes, seed: spec.randseed, writes: spec.rw.writes,
                               fill: spec.rw.writes && spec.writeData != nil ? WriteDataFill(job: spec, capacity: blockBytes, clone: c.clone) : nil)
        syncs = SyncSchedule(spec.durability)
        think = ThinkTime(nanoseconds: spec.thinktimeNanoseconds, every: spec.thinktimeBlocks)

        let start = monotonicNanoseconds()
        clock = WorkerClock(at: start)
        window = MeasureWindow(rampNanoseconds: spec.rampTimeNanoseconds, runtimeNanoseconds: spec.runtimeNanoseconds, start: start)
        pacer = RatePacer(spec: spec, readPercent: streams[0].readPercent, start: start)
        intervals = IntervalSeries(length: c.intervalNanoseconds, reads: spec.rw.reads, writes: spec.rw.writes, live: c.live, start: start,
                                   fioBins: spec.logs?.histogram != nil)
        perIO = spec.logs?.everyIO == true && !window.inRamp ? PerIOLog(epoch: start) : nil
        cpuAtStart = CPUUsage.currentThread()
        c.live.enter(window.inRamp ? .ramp : .run, at: start)
    }

    // MARK: Issuing

    /// Queues the rest of short transfers and EAGAINs again, first, while the engine has room.
    mutating func resubmit<E: IOEngine & ~Copyable>(_ engine: inout E) {
        while let slot = slots.nextRetry {
            let io = slots[slot]
            let queued = if let sync = io.sync { engine.queueSync(slot: slot, file: Int(io.file), dataOnly: sync == .fdatasync) } else {
                engine.queue(slot: slot, file: Int(io.file), write: io.write, offset: io.offset + UInt64(io.done), length: io.length - io.done,
                             bufferOffset: io.done)
            }
            if !queued { break }
            slots.retried()
        }
    }

    /// Queues new I/Os into free slots, submitting every `iodepth_batch`, until the slots, the
    /// engine, the size, the rate, the think time or the verify backlog say stop.
    mutating func issue<E: IOEngine & ~Copyable>(_ engine: inout E) {
        pacer.waitUntil = 0
        guard !stopIssuing && !think.due && slots.retryCount == 0 && backlog.allowsIssuing else { return }
        while let slot = slots.nextFree {
            if let sync = syncs.due, issuedBytes < syncLimitBytes {
                guard engine.queueSync(slot: slot, file: lastWriteFile, dataOnly: sync == .fdatasync) else { break }
                syncs.issued()
                slots.start(write: false, file: lastWriteFile, offset: 0, length: 0, prepared: clock.now, sync: sync)
                if !submitIfBatched(&engine) { break }
                continue
            }
            guard issuedBytes < limitBytes, let next = carry ?? draw() else { break }
            let (direction, file, offset, length) = (next.direction, next.file, next.offset, next.length)
            let write = direction == .write
            let verifier = config.verify
            // Two writes to one block in flight at once land in either order, so the last one
            // recorded might not be on disk: wait for the first to complete.
            if write && verifier != nil && slots.writeInFlight(at: offset, file: file) { carry = next; break }
            if write {
                var generation = Generation(run: 0, sequence: 0)
                if let verifier {
                    let sequence = verifier.nextSequence()
                    slots[slot].sequence = sequence
                    generation = Generation(run: verifier.run, sequence: UInt64(sequence))
                }
                stamper.prepare(engine.buffers.buffer(slot), hasPattern: &slots[slot].hasPattern, offset: offset, length: length,
                                verify: verifier?.mode, generation: generation)
            } else {
                slots[slot].hasPattern = false
            }
            if !engine.queue(slot: slot, file: file, write: write, offset: offset, length: length, bufferOffset: 0) {
                carry = next
                break
            }
            carry = nil
            slots.start(write: write, file: file, offset: offset, length: length, prepared: clock.now)
            issuedBytes &+= UInt64(length)
            rotation.issued(bytes: UInt64(length))
            if write {
                syncs.wrote()
                lastWriteFile = file
            }
            if pacer.active { pacer.issued(direction, bytes: UInt64(length)) }
            think.issued()
            if !submitIfBatched(&engine) { break }
            if think.due { break }
        }
    }

    /// Submits once `iodepth_batch` I/Os are queued (or a think time is due). False when the
    /// engine refused: the worker stops issuing.
    private mutating func submitIfBatched<E: IOEngine & ~Copyable>(_ engine: inout E) -> Bool {
        guard slots.queuedCount >= submitBatch || think.due else { return true }
        do { try engine.submit() } catch {
            errors.note(error.message)
            failed = true
            stopIssuing = true
            return false
        }
        slots.submitted(at: clock.read())
        return true
    }

    /// The next I/O of the current file's stream, in the direction the rate allows; nil: wait for
    /// the rate, or every file has moved its share.
    private mutating func draw() -> DrawnIO? {
        guard !rotation.finished else { return nil }
        let file = rotation.current
        var direction = pacer.held ?? streams[file].nextDirection()
        if pacer.active {
            guard let due = pacer.choose(direction, clock: &clock) else { return nil }
            direction = due
        }
        let io = streams[file].next(direction)
        return DrawnIO(direction: direction, file: file, offset: io.offset, length: Int(io.length))
    }


    // MARK: Waiting

    /// The verify backlog is due and nothing is in flight: reads those blocks back and checks
    /// them. False when it is not due.
    mutating func checkBacklog() -> Bool {
        guard backlog.isDue && slots.inFlight == 0, let verifier = config.verify else { return false }
        backlog.check(fd: config.fd, verifier: verifier)
        clock.read()
        return true
    }

    /// Nothing in flight and a think time or a rate to wait for: sleeps (never spins), at most
    /// 100 ms at a time, to look at the stop request and close intervals. False when there is
    /// nothing to wait for.
    mutating func pause() -> Bool {
        if think.due && (stopIssuing || issuedBytes >= limitBytes || rotation.finished) { think.cancel() }
        guard slots.inFlight == 0 && (think.due || pacer.waitUntil > 0) else { return false }
        let now = clock.now
        let target = think.due ? think.stallEnd(now: now) : pacer.waitUntil
        sleepUntil(min(target, now &+ 100_000_000))
        think.woke(at: clock.read())
        afterClock()
        return true
    }

    // MARK: Completing

    /// Submits what is queued, reaps (waiting only when nothing is ready, and while a rate is
    /// waited for no longer than until the next I/O is due) and accounts the completions.
    /// False when the engine failed (the ring is torn down with it; what is in flight is cancelled).
    mutating func reap<E: IOEngine & ~Copyable>(_ engine: inout E) -> Bool {
        let reaped: Int
        do {
            try engine.submit()
            if slots.queuedCount > 0 { slots.submitted(at: clock.read()) }
            let now = clock.now, wait = pacer.waitUntil
            let timeout: UInt64 = wait > now ? min(wait - now, 100_000_000) : (wait > 0 ? 1_000 : 100_000_000)
            reaped = try engine.reap(waitFor: 1, timeoutNanoseconds: timeout, into: slots.completions)
        } catch {
            errors.note(error.message)
            failed = true
            return false
        }
        let now = clock.read()
        if !window.inRamp { intervals.closeEnded(at: now) }
        for i in 0..<reaped {
            let completion = slots.completions[i]
            complete(Int(completion.slot), result: completion.result, buffers: engine.buffers)
        }
        if reaped > 0 {
            window.lastCompletion = now
            tally.publish(to: config.live, issuedBytes: issuedBytes)
        }
        afterClock(closeIntervals: false)
        return true
    }

    /// Accounts one completion: done, failed, or to be resubmitted (EAGAIN, EINTR, the rest of a
    /// short transfer).
    private mutating func complete(_ slot: Int, result: Int32, buffers: AlignedBuffers) {
        if result < 0 {
            if result == -EAGAIN || result == -EINTR { slots.retryLater(slot); return }
            fail(slot, code: -result)
        } else if let sync = slots[slot].sync {
            let now = clock.now
            tally.sync.record(dataOnly: sync == .fdatasync, issued: slots[slot].issued, completed: now)
            intervals.recordSync(issued: slots[slot].issued, completed: now)
        } else if result == 0 && slots[slot].done < slots[slot].length {
            fail(slot, code: EIO, message: "the kernel returned 0 bytes (end of file or device)")
        } else {
            let io = slots[slot]
            let done = io.done + Int(result)
            if done < io.length {
                slots[slot].done = done
                if io.write { tally.write.shortIOs += 1 } else { tally.read.shortIOs += 1 }
                slots.retryLater(slot)
                return
            }
            let now = clock.now
            if io.write {
                if let verifier = config.verify {
                    verifier.record(offset: io.offset, sequence: io.sequence)
                    backlog.add(io.offset)
                }
                tally.write.record(bytes: UInt64(io.length), prepared: io.prepared, issued: io.issued, completed: now)
            } else {
                tally.read.record(bytes: UInt64(io.length), prepared: io.prepared, issued: io.issued, completed: now)
                if config.digestReads {
                    tally.digest &+= ReadDigest.hash(offset: io.offset, buffers.buffer(slot), length: io.length)
                }
            }
            intervals.record(write: io.write, bytes: io.length, prepared: io.prepared, issued: io.issued, completed: now)
            perIO?.record(PerIOSample(offset: io.offset, length: io.length, write: io.write, prepared: io.prepared, issued: io.issued, completed: now))
        }
        slots.finish(slot)
    }

    private mutating func fail(_ slot: Int, code: Int32, message: String? = nil) {
        let io = slots[slot]
        errors.record(code, io, message: message)
        // The block's content is unknown now: the verify pass skips it.
        if io.write, let verifier = config.verify { verifier.record(offset: io.offset, sequence: 0) }
        if !config.spec.continueOnError {
            stopIssuing = true
            failed = true
        }
    }

    // MARK: Time

    /// After a clock read: the end of the ramp, the deadline and the stop request; closes the
    /// intervals that ended (the reap path closes them itself, before accounting completions).
    private mutating func afterClock(closeIntervals: Bool = true) {
        let now = clock.now
        if closeIntervals && !window.inRamp { intervals.closeEnded(at: now) }
        if window.rampEnded(at: now) {
            tally.rampEnded()
            intervals.restart(at: now)
            if config.spec.logs?.everyIO == true { perIO = PerIOLog(epoch: now) }
            clock.reads = 0
            cpuAtStart = CPUUsage.currentThread()
            pacer.restart(at: now)
            config.live.enter(.run, at: now)
        }
        if now >= window.deadline || config.live.steady.load(ordering: .relaxed) { stopIssuing = true }
        if RunControl.shared.stopRequested && !stopIssuing {
            stopIssuing = true
            interrupted = true
        }
    }

    // MARK: The end

    /// What the worker did; marks it done.
    mutating func finish(engine: EngineDescription) -> WorkerOutcome {
        // fio's end_fsync and fsync_on_close: not an operation fio counts, nor does tierbench.
        if config.spec.durability?.fsyncAtEnd == true && config.spec.rw.writes && !failed {
            for file in config.files {
                do { try syncFile(file.fd) } catch {
                    errors.note("fsync of the file at the job's end failed: \(error)")
                    failed = true
                    break
                }
            }
        }
        if !window.inRamp { intervals.finish(lastCompletion: window.lastCompletion) }
        var outcome = WorkerOutcome(engine: engine)
        outcome.read = tally.read
        outcome.write = tally.write
        outcome.sync = tally.sync
        outcome.readDigest = tally.digest
        outcome.intervals = intervals.samples
        if let perIO { config.live.handOver(perIO) }
        if backlog.every > 0 { outcome.backlogVerify = backlog.result }
        outcome.clockReads = clock.reads
        outcome.cpu = CPUUsage.currentThread().since(cpuAtStart)
        outcome.measureStartMonotonicNs = window.start
        outcome.measuredNanoseconds = window.measured
        outcome.errorCounts = errors.byCode
        outcome.firstError = errors.first
        outcome.failed = failed
        outcome.interrupted = interrupted
        config.live.enter(.done, at: clock.now)
        return outcome
    }
}

/// An I/O drawn from a file's stream, not yet queued.
struct DrawnIO {
    var direction: Direction
    var file: Int
    var offset: UInt64
    var length: Int
}

/// Why a worker could not start.
struct WorkerSetupError: Error {
    let message: String
}
