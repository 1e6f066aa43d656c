/// What a job with `verify` checks when it is not the usual write-then-check (fio's `do_verify=0`,
/// `verify_only`, or a read job with `verify`).
public enum VerifyCheck: String, Codable, Sendable {
    /// fio's `do_verify=0`: the writes carry verify headers; nothing is checked.
    case none
    /// A read job with `verify`: after its reads, every block of its range is checked against its
    /// own header (written by an earlier job or run with the same `verify`).
    case headers
    /// fio's `verify_only`: the workload's writes are not done; the range is read once and every
    /// block checked against its own header.
    case only
}

extension RawJobOptions {
    /// `do-verify` and `verify-only` (set only from fio's `do_verify` and `verify_only`).
    func resolveVerifyCheck(_ job: inout JobSpec) throws(InputError) {
        let doVerify = try doVerify.map { v throws(InputError) in
            guard let b = BooleanValue.parse(v) else { throw InputError(option: "do-verify", value: v, " is not a boolean; give 1 or 0") }
            return b
        } ?? true
        if verifyOnly {
            guard doVerify else {
                throw InputError(option: "verify-only", value: nil, " only checks, and \(InputError.mention("do-verify", "0")) checks nothing; drop one of them")
            }
            Self.readOnce(&job)
            job.verifyCheck = .only
        } else if !job.rw.writes {
            job.verifyCheck = doVerify ? .headers : VerifyCheck.none
        } else if !doVerify {
            job.verifyCheck = VerifyCheck.none
        }
        if job.verifyCheck == VerifyCheck.none && !job.rw.writes {
            throw InputError(option: "do-verify", value: "0", " writes verify headers without checking them, and \(InputError.mention("rw", rw ?? "")) only reads; drop \(InputError.mention("do-verify", "0")) to check the blocks it reads")
        }
    }

    /// verify_only: nothing is written; the range is read once, sequentially.
    static func readOnce(_ job: inout JobSpec) {
        job.rw = .read
        job.timeBased = false
        job.ioSizeBytes = nil
        job.loops = nil
        job.sequentialHoleBytes = nil
        job.randomEvery = nil
        job.percentageRandom = nil
        job.randomDistribution = nil
        job.randomMap = true
    }
}
