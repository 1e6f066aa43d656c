import Engine
import Workload

/// What a run refuses before it starts.
extension Runner {
    /// Refuses, before anything is written, what the jobs cannot do on this target.
    func validate(_ t: TargetInfo) throws(RunError) {
        // A verify pass checks each block's last write by this job; another job writing at the
        // same time (no stonewall between them) could overwrite those blocks.
        for set in Self.stonewallSets(request.jobs) {
            for i in set where request.jobs[i].verify != nil {
                if let other = set.first(where: { $0 != i && request.jobs[$0].rw.writes }) {
                    throw .usage("verify in job \(request.jobs[i].name) while job \(request.jobs[other].name) writes at the same time is not supported yet; put a stonewall between them")
                }
            }
        }
        try validateSteadyState()
        try validateVerifyChecks(t)
        if writes && t.kind == .blockDevice && !request.allowDeviceWrites {
            throw .usage("--target \(t.path) is a block device and a job writes to it, destroying its data; pass --allow-device-writes if that is intended")
        }
        if writes && t.kind == .blockDevice && !request.forceDestructive {
            let findings = DeviceGuard.inspect(devicePath: t.path)
            if !findings.isEmpty { throw .usage(DeviceGuard.refusalMessage(devicePath: t.path, findings: findings)) }
        }
        let what = t.kind == .blockDevice ? "the device" : "the file"
        for (index, job) in request.jobs.enumerated() {
            func mistake(_ option: String, _ value: String?, _ problem: String) -> RunError {
                .input(InputError(option: option, value: value, problem), job: index)
            }
            let direct0 = InputError.mention("direct", "0")
            if job.direct {
                let a = UInt64(t.directIOAlignmentBytes)
                let unaligned = " is not a multiple of \(t.path)'s direct-I/O block size (\(a) bytes); use a multiple of \(a)"
                if let size = job.possibleBlockSizes.first(where: { $0 % a != 0 }) {
                    let split = job.blockSizes?.read.split != nil || job.blockSizes?.write.split != nil
                    if job.blockSizes != nil && !split {
                        throw .usage("--bs/--bsrange \(Units.formatSize(size))\(unaligned), or --direct 0")
                    }
                    throw mistake(split ? "bssplit" : "bs", Units.formatSize(size), unaligned + ", or \(direct0)")
                }
                if job.offsetBytes % a != 0 { throw mistake("offset", String(job.offsetBytes), unaligned + ", or \(direct0)") }
                if job.offsetIncrementBytes % a != 0 { throw mistake("offset-increment", String(job.offsetIncrementBytes), unaligned) }
            }
            if let cpus = job.cpusAllowed, CPUAffinity.usable(cpus).isEmpty {
                throw mistake("cpus-allowed", cpus.map(String.init).joined(separator: ","), " names no CPU this process may run on; give CPUs it may use (`taskset -cp $$` lists them)")
            }
            if job.timeBased && job.runtimeNanoseconds == nil {
                throw mistake("time-based", nil, " needs \(InputError.mention("runtime")) (how long to run), e.g. \(InputError.mention("runtime", "30s"))")
            }
            for clone in 0..<job.numjobs {
                let r = job.range(clone: clone, targetSize: t.sizeBytes)
                let (end, overflow) = r.start.addingReportingOverflow(r.length)
                if overflow || end > t.sizeBytes || r.start >= t.sizeBytes {
                    let offset = InputError.mention("offset", String(job.offsetBytes))
                    let place = clone == 0 ? offset : "\(offset) + clone \(clone) x \(InputError.mention("offset-increment", String(job.offsetIncrementBytes)))"
                    throw mistake("size", job.sizeBytes.map(Units.formatSize) ?? "(to the end)",
                                  " at \(place) goes beyond the end of \(what) \(t.path) (\(t.sizeBytes) bytes); give a smaller \(InputError.mention("size")) or \(InputError.mention("offset"))")
                }
                // Every I/O must fit in the range: the largest block either direction may issue.
                if r.length < job.blockSizeBytes {
                    throw mistake("bs", Units.formatSize(job.blockSizeBytes), "\(job.blockSizes == nil ? "" : " (the largest block)") is larger than the \(r.length) bytes job \(job.name) covers on \(t.path); give a smaller \(InputError.mention("bs")) or a larger \(InputError.mention("size"))")
                }
            }
        }
    }

    /// Refuses, before any file is prepared, what a job of several files cannot do: a verify
    /// pass (its map covers one file).
    func validateFileSets() throws(RunError) {
        for (i, job) in request.jobs.enumerated() where (job.fileSet?.count ?? 1) > 1 && (job.verify != nil || job.verifyCheck != nil) {
            throw .input(InputError(option: "verify", value: job.verify?.rawValue ?? "",
                                    " with several files per job (nrfiles, filename=a:b) is not supported yet: tierbench verifies one file per job; give the job one file, or verify each file in a job of its own"), job: i)
        }
    }

    /// fio (td_steadystate_init): the jobs of one reporting group (`groupid`) have the same
    /// steady-state options, or the job is rejected.
    func validateSteadyState() throws(RunError) {
        let groups = Self.reportingGroups(request.jobs)
        for (i, job) in request.jobs.enumerated() {
            guard let first = groups.firstIndex(of: groups[i]), request.jobs[first].steadyState != job.steadyState else { continue }
            throw .input(InputError(option: "steadystate", value: job.steadyState?.fioText,
                                    " differs from job \(request.jobs[first].name)'s in the same reporting group (fio rejects it: steadystate options must be consistent within reporting groups); give both jobs the same steadystate and steadystate_duration, or put new_group or stonewall between them"), job: i)
        }
    }
}
