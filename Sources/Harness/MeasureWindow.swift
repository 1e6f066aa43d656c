import Workload

/// When a worker measures: after the ramp, until the deadline (the runtime counts from the
/// ramp's end) or the last completion.
struct MeasureWindow {
    private(set) var inRamp: Bool
    private let rampEnd: UInt64
    private let runtime: UInt64?
    private(set) var deadline: UInt64
    /// Where measurement started (the first clock read at or past the ramp's end).
    private(set) var start: UInt64
    var lastCompletion: UInt64

    init(rampNanoseconds: UInt64, runtimeNanoseconds: UInt64?, start: UInt64) {
        inRamp = rampNanoseconds > 0
        let rampEnd = start &+ rampNanoseconds
        self.rampEnd = rampEnd
        runtime = runtimeNanoseconds
        deadline = runtimeNanoseconds.map { rampEnd &+ $0 } ?? .max
        self.start = start
        lastCompletion = start
    }

    /// Ends the ramp if `now` is past it; true when it just ended (measurement starts at `now`).
    mutating func rampEnded(at now: UInt64) -> Bool {
        guard inRamp && now >= rampEnd else { return false }
        inRamp = false
        start = now
        if let runtime { deadline = now &+ runtime }
        return true
    }

    /// Nanoseconds measured: none while still in the ramp.
    var measured: UInt64 { inRamp ? 0 : (lastCompletion > start ? lastCompletion - start : 0) }
}
