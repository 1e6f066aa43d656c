/// A job's several files (fio's `filename=a:b`, `nrfiles`, `filename_format`, `filesize`,
/// `file_service_type`): their paths per clone and each file's share of the job's size, by
/// `FioFileSet`'s rules (tested against fio). A job on one file has none (`JobSpec.targetPath`).
public struct JobFileSet: Codable, Sendable, Equatable {
    /// The names of `filename=` (every clone uses them); nil: `count` names from `format`, per clone.
    public var names: [String]?
    /// Where relative names are (fio's `directory`); nil: the run's scratch directory for
    /// generated names, the current directory for given ones.
    public var directory: String?
    /// fio's `nrfiles` (the number of `names` when they are given).
    public var count: Int
    /// fio's `filename_format`; nil: `$jobname.$jobnum.$filenum`.
    public var format: String?
    /// fio's `filesize`: each file's size, or a range each file's size is drawn from.
    public var filesize: ClosedRange<UInt64>?
    public var service = FileService()

    /// The most files one job may have (each clone holds one descriptor per file).
    public static let maxFiles = 4096

    public init(names: [String]?, directory: String?, count: Int, format: String?, filesize: ClosedRange<UInt64>?) {
        self.names = names
        self.directory = directory
        self.count = names?.count ?? max(count, 1)
        self.format = format
        self.filesize = filesize
    }

    /// Names fio makes up (no `filename=`): tierbench removes the ones it creates after the run.
    public var generated: Bool { names == nil }

    /// The paths of clone `clone`'s files.
    public func paths(jobName: String, clone: Int) -> [String] {
        FioFileSet.paths(names: names,
                         directory: directory, nrfiles: count, format: format, jobName: jobName, jobNumber: clone)
    }

    /// Each file's bytes (fio's `io_size` per file): `filesize` (a range drawn per file and cut to
    /// whole `unit`s, as fio's get_rand_file_size), else the job's `size` split over the files;
    /// nil entries when neither is given (each file from the offset to its end).
    public func ioSizes(sizeBytes: UInt64?, unit: UInt64, seed: UInt64) -> [UInt64?] {
        if let r = filesize {
            guard r.lowerBound != r.upperBound else { return Array(repeating: r.lowerBound, count: count) }
            var rng = Xoshiro256(seed: seed ^ 0x6669_6C65_7369_7A65)
            return (0..<count).map { _ in
                let v = r.lowerBound + rng.next(below: r.upperBound - r.lowerBound)
                return max(v - v % max(unit, 1), min(unit, r.upperBound))
            }
        }
        guard let sizeBytes else { return Array(repeating: nil, count: count) }
        return FioFileSet.ioSizes(sizeBytes: sizeBytes, files: count, filesizeBytes: nil, minBlockBytes: unit)
    }
}
