/// `--thinktime` (fio's `handle_thinktime`): after every `every` I/Os issued, the worker lets what
/// is in flight complete, then stalls for `nanoseconds`.
struct ThinkTime {
    let nanoseconds: UInt64
    let every: Int
    private var sinceStall = 0
    /// A stall is owed: issue nothing until it is over.
    private(set) var due = false
    private var until: UInt64 = 0

    init(nanoseconds: UInt64?, every: Int?) {
        self.nanoseconds = nanoseconds ?? 0
        self.every = every ?? 1
    }

    /// One I/O was issued.
    @inline(__always) mutating func issued() {
        guard nanoseconds > 0 else { return }
        sinceStall += 1
        if sinceStall >= every { due = true }
    }

    /// Nothing more will be issued: the stall would be for nothing.
    mutating func cancel() { due = false }

    /// When the owed stall ends; it starts at the first call (`now`).
    mutating func stallEnd(now: UInt64) -> UInt64 {
        if until == 0 { until = now &+ nanoseconds }
        return until
    }

    /// After a sleep: the stall is over once `now` has reached its end.
    mutating func woke(at now: UInt64) {
        if due && now >= until { due = false; until = 0; sinceStall = 0 }
    }
}
