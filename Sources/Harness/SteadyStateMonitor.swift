import Engine
import Workload

/// fio's steady-state check (steadystate_check, once a second from its helper thread): each
/// clone on its own, or with `group_reporting` each reporting group as one, samples the IOPS and
/// bandwidth of the last second from the workers' counters; when its window attains steady
/// state, its workers stop. Runs on the watching thread (`JobWatch.untilDone`).
final class SteadyStateMonitor {
    /// What one criterion watches: a clone, or a reporting group's clones.
    struct Unit {
        var members: [(job: Int, clone: Int)]
        var lives: [WorkerLive]
        var window: SteadyStateWindow
        var ramp: UInt64
        var previous: (ios: UInt64, bytes: UInt64) = (0, 0)
        var attainedAfter: UInt64?
    }

    private var units: [Unit]
    private let start: UInt64
    private var lastCheck: UInt64

    /// The units of the jobs that run together; `reportOf`: `Runner.groupReports` of the run's jobs.
    init(_ running: [RunningJob], reportOf: [Int?], now: UInt64 = monotonicNanoseconds()) {
        var units: [Unit] = []
        var groupUnit: [Int: Int] = [:]
        for job in running {
            guard let ss = job.spec.steadyState else { continue }
            for (clone, live) in job.watch.lives.enumerated() {
                if let lead = reportOf[job.index], let u = groupUnit[lead] {
                    units[u].members.append((job.index, clone)); units[u].lives.append(live)
                    continue
                }
                if let lead = reportOf[job.index] { groupUnit[lead] = units.count }
                units.append(Unit(members: [(job.index, clone)], lives: [live], window: SteadyStateWindow(ss), ramp: ss.rampNanoseconds))
            }
        }
        self.units = units
        start = now; lastCheck = now
    }

    var isEmpty: Bool { units.isEmpty }

    /// Samples every unit once a second has passed since the last sample.
    func poll(now: UInt64 = monotonicNanoseconds()) {
        guard now &- lastCheck >= 1_000_000_000 else { return }
        let ms = max(1, (now &- lastCheck) / 1_000_000)
        lastCheck = now
        for u in units.indices where units[u].attainedAfter == nil { sample(u, ms: ms, elapsed: now &- start) }
    }

    private func sample(_ u: Int, ms: UInt64, elapsed: UInt64) {
        let lives = units[u].lives
        let ios = lives.reduce(UInt64(0)) { $0 &+ $1.readIOs.load(ordering: .relaxed) &+ $1.writeIOs.load(ordering: .relaxed) }
        let bytes = lives.reduce(UInt64(0)) { $0 &+ $1.readBytes.load(ordering: .relaxed) &+ $1.writeBytes.load(ordering: .relaxed) }
        let previous = units[u].previous
        units[u].previous = (ios, bytes)
        // fio: data counts from a second after steadystate_ramp_time, while the unit still runs.
        guard elapsed >= units[u].ramp &+ 1_000_000_000, !lives.allSatisfy({ $0.currentPhase == .done }) else { return }
        let attained = units[u].window.add(iops: 1000 * (ios &- previous.ios) / ms, bw: 1000 * (bytes &- previous.bytes) / ms)
        guard attained else { return }
        units[u].attainedAfter = elapsed
        for live in lives { live.steady.store(true, ordering: .relaxed) }
    }

    /// Each member clone's result: its unit's.
    func result(job: Int, clone: Int) -> SteadyStateResult? {
        guard let u = units.first(where: { $0.members.contains { $0.job == job && $0.clone == clone } }) else { return nil }
        return u.window.result(attainedAfterNanoseconds: u.attainedAfter)
    }
}
