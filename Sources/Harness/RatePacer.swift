import Workload

/// `--rate` / `--rate-iops` (fio's semantics): an I/O in a direction is due once the bytes issued
/// before it, at the direction's rate, have taken their time; rate_iops counts the direction's
/// smallest block per I/O. A mixed job issues the other direction while one is ahead; when both
/// are, the worker waits until `waitUntil` (fio's `rate_ddir`).
struct RatePacer {
    let readBytesPerSecond: UInt64
    let writeBytesPerSecond: UInt64
    /// Some direction the job issues has a rate.
    let active: Bool
    private let readsUsed: Bool
    private let writesUsed: Bool
    private var start: UInt64
    private var readBytes: UInt64 = 0
    private var writeBytes: UInt64 = 0
    private var readDue: UInt64 = 0
    private var writeDue: UInt64 = 0
    /// The direction drawn but waiting for its rate: the next one issued.
    private(set) var held: Direction?
    /// Nonzero: nothing may be issued before this time.
    var waitUntil: UInt64 = 0

    init(spec: JobSpec, readPercent: Int, start: UInt64) {
        func bytesPerSecond(_ d: Direction) -> UInt64 {
            if let r = spec.rate?[d] { return r }
            if let i = spec.rateIops?[d] { return i &* spec.sizes[d].minBytes }
            return 0
        }
        readBytesPerSecond = bytesPerSecond(.read)
        writeBytesPerSecond = bytesPerSecond(.write)
        active = (spec.rw.reads && readBytesPerSecond > 0) || (spec.rw.writes && writeBytesPerSecond > 0)
        readsUsed = readPercent > 0
        writesUsed = readPercent < 100
        self.start = start
        pacesReads = spec.rw.reads && readBytesPerSecond > 0
        pacesWrites = spec.rw.writes && writeBytesPerSecond > 0
    }
    private let pacesReads: Bool
    private let pacesWrites: Bool

    /// The rate counts from here (fio resets it after the ramp).
    mutating func restart(at now: UInt64) {
        start = now; readBytes = 0; writeBytes = 0; readDue = now; writeDue = now
    }

    /// The direction to issue now, `drawn` if it is due, else the other if that is due; nil when
    /// neither is (then `waitUntil` and `held` say until when, and which goes next). Reads the
    /// clock only when `drawn` looks ahead of it.
    mutating func choose(_ drawn: Direction, clock: inout WorkerClock) -> Direction? {
        var readDue = pacesReads ? self.readDue : 0
        var writeDue = pacesWrites ? self.writeDue : 0
        if (drawn == .read ? readDue : writeDue) > clock.now { clock.read() }
        let now = clock.now
        var d = drawn
        if (d == .read ? readDue : writeDue) > now {
            let other: Direction = d == .read ? .write : .read
            let otherUsed = other == .read ? readsUsed : writesUsed
            if !otherUsed { readDue = d == .read ? readDue : .max; writeDue = d == .write ? writeDue : .max }
            if otherUsed && (other == .read ? readDue : writeDue) <= now {
                d = other
            } else {
                let (wait, next) = readDue <= writeDue ? (readDue, Direction.read) : (writeDue, Direction.write)
                held = next
                waitUntil = wait
                return nil
            }
        }
        held = nil
        return d
    }

    /// An I/O of `bytes` in `direction` was issued.
    @inline(__always) mutating func issued(_ direction: Direction, bytes: UInt64) {
        if direction == .write {
            writeBytes &+= bytes; writeDue = due(after: writeBytes, writeBytesPerSecond)
        } else {
            readBytes &+= bytes; readDue = due(after: readBytes, readBytesPerSecond)
        }
    }

    /// When `bytes` at `bps` have taken their time (0: no rate; .max: beyond the clock).
    private func due(after bytes: UInt64, _ bps: UInt64) -> UInt64 {
        guard bps > 0 else { return 0 }
        let (high, low) = bytes.multipliedFullWidth(by: 1_000_000_000)
        guard high < bps else { return .max }
        return start &+ bps.dividingFullWidth((high, low)).quotient
    }
}
