import Engine
import Glibc

/// CPU time and scheduling of one thread (getrusage RUSAGE_THREAD), as a difference over a span.
public struct CPUUsage: Codable, Sendable, Equatable {
    public var userNs: UInt64 = 0
    public var systemNs: UInt64 = 0
    public var voluntaryContextSwitches: UInt64 = 0
    public var involuntaryContextSwitches: UInt64 = 0
    public var minorFaults: UInt64 = 0
    public var majorFaults: UInt64 = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case userNs = "userNs", systemNs = "systemNs"
        case voluntaryContextSwitches, involuntaryContextSwitches, minorFaults, majorFaults
    }

    /// The calling thread's usage so far.
    static func currentThread() -> CPUUsage {
        guard let u = threadResourceUsage() else { return CPUUsage() }
        func ns(_ t: timeval) -> UInt64 { UInt64(max(0, t.tv_sec)) &* 1_000_000_000 &+ UInt64(max(0, t.tv_usec)) &* 1000 }
        var c = CPUUsage()
        c.userNs = ns(u.ru_utime); c.systemNs = ns(u.ru_stime)
        c.voluntaryContextSwitches = UInt64(max(0, u.ru_nvcsw)); c.involuntaryContextSwitches = UInt64(max(0, u.ru_nivcsw))
        c.minorFaults = UInt64(max(0, u.ru_minflt)); c.majorFaults = UInt64(max(0, u.ru_majflt))
        return c
    }

    func since(_ start: CPUUsage) -> CPUUsage {
        var c = CPUUsage()
        c.userNs = userNs &- min(start.userNs, userNs); c.systemNs = systemNs &- min(start.systemNs, systemNs)
        c.voluntaryContextSwitches = voluntaryContextSwitches &- min(start.voluntaryContextSwitches, voluntaryContextSwitches)
        c.involuntaryContextSwitches = involuntaryContextSwitches &- min(start.involuntaryContextSwitches, involuntaryContextSwitches)
        c.minorFaults = minorFaults &- min(start.minorFaults, minorFaults); c.majorFaults = majorFaults &- min(start.majorFaults, majorFaults)
        return c
    }

    public mutating func add(_ o: CPUUsage) {
        userNs &+= o.userNs; systemNs &+= o.systemNs
        voluntaryContextSwitches &+= o.voluntaryContextSwitches; involuntaryContextSwitches &+= o.involuntaryContextSwitches
        minorFaults &+= o.minorFaults; majorFaults &+= o.majorFaults
    }

    public var contextSwitches: UInt64 { voluntaryContextSwitches &+ involuntaryContextSwitches }
}
