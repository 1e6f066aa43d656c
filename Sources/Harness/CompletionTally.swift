import Stats

/// What a worker's completions add up to: per-direction counters, the read digest, and what the
/// ramp counted, so the live progress counters run on across the ramp's reset.
struct CompletionTally {
    var read = DirectionCounters()
    var write = DirectionCounters()
    var sync = SyncCounters()
    var digest: UInt64 = 0
    private var rampReadIOs: UInt64 = 0, rampReadBytes: UInt64 = 0
    private var rampWriteIOs: UInt64 = 0, rampWriteBytes: UInt64 = 0

    /// The ramp is over: its counts leave the results (not the progress counters).
    mutating func rampEnded() {
        rampReadIOs = read.ios; rampReadBytes = read.bytes; rampWriteIOs = write.ios; rampWriteBytes = write.bytes
        read.reset(); write.reset(); sync = SyncCounters(); digest = 0
    }

    /// Once per batch of completions: the counters the progress line reads.
    func publish(to live: WorkerLive, issuedBytes: UInt64) {
        live.readIOs.store(rampReadIOs &+ read.ios, ordering: .relaxed)
        live.readBytes.store(rampReadBytes &+ read.bytes, ordering: .relaxed)
        live.writeIOs.store(rampWriteIOs &+ write.ios, ordering: .relaxed)
        live.writeBytes.store(rampWriteBytes &+ write.bytes, ordering: .relaxed)
        live.issued.store(issuedBytes, ordering: .relaxed)
    }
}
