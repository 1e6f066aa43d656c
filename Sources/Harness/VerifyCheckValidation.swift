import Engine
import Workload

extension Runner {
    /// A job that only checks headers (a read job with verify, verify_only) on a target this run
    /// creates would find none: refused unless an earlier job of the run writes with verify.
    func validateVerifyChecks(_ t: TargetInfo) throws(RunError) {
        guard t.created, let i = request.jobs.firstIndex(where: { $0.verifyCheck == .headers || $0.verifyCheck == .only }),
              !request.jobs[..<i].contains(where: { $0.verify != nil && $0.rw.writes }) else { return }
        throw .input(InputError(option: "verify", value: nil, " on a job that only reads checks blocks written earlier with \(InputError.mention("verify")), and \(t.path) is new (it would be laid out without verify headers); run a job that writes with \(InputError.mention("verify")) first, or put one before this job with a stonewall"), job: i)
    }
}
