import Engine
import Glibc
import Workload

/// The targets of a run: one per path its jobs give (a job without one runs on the run's target,
/// `--target` or the scratch file; a job with several files is on each of them); jobs giving the
/// same path share one. Each target is prepared, checked, claimed, laid out and released with the
/// rules of a one-target run, by a runner that sees only the jobs on it (a job of several files
/// as it is on that file: its share of the size, one clone).
struct TargetSet {
    struct Member {
        var runner: Runner
        var target: Runner.PreparedTarget
        /// The jobs (indices in the run's request) of the scoped runner's jobs, in its order.
        var jobs: [Int]
        var claim: Int32 = -1
    }

    var members: [Member] = []
    /// The member of each path (nil: the run's target).
    var memberOfPath: [String?: Int] = [:]

    /// The run's first target (`RunResult.target`).
    var first: TargetInfo { members[0].target.info }
    func info(ofPath path: String?) -> TargetInfo { members[memberOfPath[path] ?? 0].target.info }
    var differ: Bool { members.count > 1 }

    /// Refuses what the jobs cannot do on each target and claims each written device.
    mutating func check() throws(RunError) {
        for i in members.indices {
            do throws(RunError) {
                try members[i].runner.validate(members[i].target.info)
                members[i].claim = try members[i].runner.claimDevice(members[i].target.info)
            } catch { throw members[i].runner.inJobWords(error, jobs: members[i].jobs) }
        }
    }

    /// The layout pass on each new target jobs read; the passes' bytes and times add up.
    mutating func layOut() throws(RunError) -> LayoutResult? {
        var total: LayoutResult?
        for i in members.indices {
            let laid: LayoutResult?
            do throws(RunError) { laid = try members[i].runner.layOut(&members[i].target) } catch {
                throw members[i].runner.inJobWords(error, jobs: members[i].jobs)
            }
            guard let l = laid else { continue }
            guard let t = total else { total = l; continue }
            let ns = t.nanoseconds + l.nanoseconds, bytes = t.bytes + l.bytes
            total = LayoutResult(bytes: bytes, nanoseconds: ns, bandwidthBytesPerSecond: ns > 0 ? Double(bytes) / (Double(ns) / 1e9) : 0)
        }
        return total
    }

    /// A file the run created but never measured on (refused input, failed or interrupted
    /// layout) is not left behind.
    func removeCreated() {
        for m in members where m.target.info.created && !m.target.info.scratch { try? removeFile(m.target.info.path) }
    }

    /// When the run ends: every claim closed, every target released (marked, or removed).
    func release() {
        for m in members {
            if m.claim >= 0 { closeFile(m.claim) }
            m.runner.release(m.target)
        }
    }
}

extension Runner {
    /// The path a job on one file runs on (nil: the scratch file).
    func path(ofJob job: JobSpec) -> String? { job.targetPath ?? request.targetPath }

    /// The files clone `clone` of `job` works on: the paths (nil: the run's target) and the job as
    /// it is on each.
    func files(of job: JobSpec, clone: Int) -> [(path: String?, spec: JobSpec)] {
        guard job.fileSet != nil, let files = job.files(clone: clone) else { return [(path(ofJob: job), job)] }
        return files.map { ($0.path, job.onFile($0, clone: clone)) }
    }

    /// Prepares each target in the order the jobs first give it; on a failure, what was prepared
    /// is released and what was created removed.
    func prepareTargets() throws(RunError) -> TargetSet {
        var set = TargetSet()
        var paths: [String?] = []
        var uses: [[(job: Int, spec: JobSpec)]] = []
        var generated = Set<String?>()
        var identities: [String: Int] = [:]
        for (j, job) in request.jobs.enumerated() {
            for clone in 0..<(job.fileSet == nil ? 1 : job.numjobs) {
                for (p, spec) in files(of: job, clone: clone) {
                    // Two spellings of one file (relative and absolute, a link) are one target.
                    let identity = p.flatMap(Targets.identity(of:))
                    if set.memberOfPath[p] == nil, let identity, let same = identities[identity] { set.memberOfPath[p] = same }
                    if set.memberOfPath[p] == nil {
                        set.memberOfPath[p] = paths.count
                        if let identity { identities[identity] = paths.count }
                        paths.append(p)
                        uses.append([])
                    }
                    uses[set.memberOfPath[p]!].append((j, spec))
                    if job.fileSet?.generated == true { generated.insert(p) }
                }
            }
        }
        for (i, p) in paths.enumerated() {
            let jobs = uses[i].map(\.job)
            let runner = scoped(to: uses[i].map(\.spec), path: p, removeCreated: generated.contains(p))
            do throws(RunError) { set.members.append(TargetSet.Member(runner: runner, target: try runner.prepareTarget(), jobs: jobs)) } catch {
                set.removeCreated()
                set.release()
                throw runner.inJobWords(error, jobs: jobs)
            }
        }
        return set
    }

    /// A refusal about a target a job file gave (`filename=`), said of that option at its line
    /// rather than of `--target`: the front end words it (`RunError.input`).
    func inJobWords(_ error: RunError, jobs: [Int]) -> RunError {
        // A scoped runner numbers its own jobs from 0: the mistake is the run's job `jobs[i]`.
        if case .input(let mistake, let i) = error, jobs.indices.contains(i) { return .input(mistake, job: jobs[i]) }
        let job = jobs[0]
        guard case .usage(let m) = error, let path = request.jobs.first?.targetPath else { return error }
        for head in ["--target \(path): ", "--target \(path)"] where m.hasPrefix(head) {
            let rest = String(m.dropFirst(head.count))
            return .input(InputError(option: "filename", value: path, head.hasSuffix(": ") ? ": " + rest : rest), job: job)
        }
        return error
    }

    /// This runner for `jobs` (the run's jobs as they are on `path`), on `path` alone. A file a
    /// job of several files names by fio's generated names is removed after the run if it creates it.
    func scoped(to jobs: [JobSpec], path: String?, removeCreated: Bool = false) -> Runner {
        var r = request
        r.jobs = jobs
        r.targetPath = path
        r.removeCreatedTarget = removeCreated
        return Runner(r, observer: observer)
    }
}
