import Workload

/// A job's several files from its entries: fio's `filename=a:b`, `nrfiles`, `filename_format`,
/// `filesize` and `file_service_type` (the fio layer checked their syntax).
extension JobPlan {
    /// The job gives several files, or fio's generated names for its files (`directory` without
    /// `filename`: `$jobname.$jobnum.$filenum` there, each clone its own, as fio).
    static func hasFileSet(_ job: JobEntries) -> Bool {
        if let f = job.value("filename") { return FioFileSet.splitNames(f).count > 1 }
        return job.entry("nrfiles") != nil || job.entry("filename-format") != nil || job.entry("directory") != nil
    }

    /// The job's file set; nil: one file (`jobTarget`) or the run's target.
    static func fileSet(_ job: JobEntries) throws(JobFileError) -> JobFileSet? {
        let filesize = try job.entry("filesize").map { e throws(JobFileError) in try filesizeRange(e, job) }
        guard hasFileSet(job) || filesize != nil else { return nil }
        let names = job.value("filename").map(FioFileSet.splitNames)
        var set = JobFileSet(names: names, directory: job.value("directory"), count: Int(job.value("nrfiles") ?? "1") ?? 1,
                             format: job.value("filename-format"), filesize: filesize)
        if let v = job.value("file-service-type") {
            switch FileService.parse(v) {
            case .success(let s): set.service = s
            case .failure(let e): throw locate(e, in: job)
            }
        }
        return set
    }

    /// `filesize=` as the fio layer wrote it: bytes, or `low-high` in bytes.
    static func filesizeRange(_ e: OptionEntry, _ job: JobEntries) throws(JobFileError) -> ClosedRange<UInt64> {
        let ends = e.value.split(separator: "-").compactMap { UInt64($0) }
        guard let low = ends.first, let high = ends.last, low <= high else {
            throw locate(InputError(option: "filesize", value: e.value, " is not a size or a range; give e.g. 64m or 16m-64m"), in: job)
        }
        return low...high
    }
}
