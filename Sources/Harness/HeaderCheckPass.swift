import Engine
import Glibc
import Workload

extension Runner {
    /// A read job with `verify`, or `verify_only`: after the job, every block of each clone's range
    /// is read back and checked against its own header (the writing job's or run's generation is
    /// not known here), as fio checks each block it reads against the header written in it.
    func headerCheckPass(_ spec: JobSpec, target t: TargetInfo, results: inout [JobResult]) throws(RunError) {
        for clone in 0..<spec.numjobs {
            if RunControl.shared.stopRequested || results[clone].interrupted || results[clone].failed {
                note("verify pass of job \(spec.name) clone \(clone) skipped: the job \(results[clone].failed ? "failed" : "was interrupted")")
                continue
            }
            let r = spec.range(clone: clone, targetSize: t.sizeBytes)
            let fd = try openTarget(t.path, write: false, direct: spec.direct)
            defer { close(fd) }
            let result = try VerifyScan.scan(
                fd: fd, alignment: t.directIOAlignmentBytes, rangeStart: r.start, blockSize: Int(spec.blockSizeBytes),
                blocks: Int(r.length / spec.blockSizeBytes), mode: spec.verify, expected: { _ in .any })
            if let missing = result.failuresByKind[VerifyFailure.Kind.noHeader.rawValue] {
                note("job \(spec.name): \(missing) of \(result.blocksChecked) blocks have no tierbench verify header: they were not written by tierbench with verify (fio's verify headers are not tierbench's); run the writing job with verify=\(spec.verify?.rawValue ?? "crc32c") first")
            }
            results[clone].verify = result
        }
    }
}
