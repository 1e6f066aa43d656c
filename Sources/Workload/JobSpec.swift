/// Which engine a job asks for. `auto` probes io_uring and falls back to psync with a note.
public enum EngineChoice: String, Codable, Sendable, CaseIterable {
    case auto
    case ioUring = "io_uring"
    case psync
}

/// One job, fully resolved: every value a worker needs, in bytes and nanoseconds.
public struct JobSpec: Codable, Sendable, Equatable {
    public var name: String
    public var rw: ReadWrite
    /// Share of reads in percent for mixed workloads (fio's `rwmixread`).
    public var rwmixread: Int
    /// The block size; with `blockSizes`, the largest block any I/O of the job uses (the buffer size).
    public var blockSizeBytes: UInt64
    /// Block sizes per direction (fio's per-direction `bs`, `bsrange`, `bssplit`); nil: every I/O
    /// is `blockSizeBytes`.
    public var blockSizes: BlockSizes?
    /// fio's `random_distribution`; nil: uniform. A skewed one implies no random map.
    public var randomDistribution: RandomDistribution?
    /// fio's `rate` (bytes per second) and `rate_iops`, per direction; nil: unlimited.
    public var rate: DirectionLimits?
    public var rateIops: DirectionLimits?
    /// fio's `thinktime`: after every `thinktimeBlocks` (nil: 1) I/Os issued, wait for what is in
    /// flight, then stall this long before issuing more.
    public var thinktimeNanoseconds: UInt64?
    public var thinktimeBlocks: Int?
    /// fio's `loops`: a size-based job moves its size this many times (nil: once); time-based jobs ignore it.
    public var loops: Int?
    /// fio's `stonewall`: this job starts once every job before it has ended (and starts a new
    /// reporting group). Jobs from the command line all have it: they run one after another.
    public var stonewall: Bool?
    /// fio's `new_group`: this job starts a new reporting group (without waiting).
    public var newGroup: Bool?
    /// fio's `group_reporting`: the jobs of this job's reporting group are reported as one.
    public var groupReporting: Bool?
    public var iodepth: Int
    /// Submit once this many I/Os are queued (fio's `iodepth_batch_submit`, default 1). Default
    /// here: 4 for random workloads (a quarter of the syscalls on fast devices, the device still
    /// fed early), 1 for sequential ones, where a batch of adjacent I/Os would be merged by the
    /// block layer into larger requests, a different workload from fio's (see docs/running.md).
    public var iodepthBatch: Int
    public var numjobs: Int
    /// Bytes of the target each clone covers; nil means from `offset` to the end of the target.
    public var sizeBytes: UInt64?
    public var offsetBytes: UInt64
    /// Clone `i` starts at `offsetBytes + i * offsetIncrementBytes` (fio's `offset_increment`).
    public var offsetIncrementBytes: UInt64
    /// Measured time limit (after ramp); nil means until `size` has been moved once.
    public var runtimeNanoseconds: UInt64?
    public var timeBased: Bool
    public var rampTimeNanoseconds: UInt64
    public var direct: Bool
    public var randseed: UInt64
    /// fio's random map: each block exactly once per pass. False is fio's `norandommap`.
    public var randomMap: Bool
    public var ioengine: EngineChoice
    public var continueOnError: Bool
    /// `--verify`: every written block carries a verify header; a verify pass reads them back after the job.
    public var verify: VerifyMode?
    /// `--verify-backlog N`: during the job, every N completed writes, those N blocks are read
    /// back and checked (with no write in flight), as fio's `verify_backlog`.
    public var verifyBacklog: Int?
    /// What a verifying job checks besides its own writes (nil: every block it wrote, against its last write).
    public var verifyCheck: VerifyCheck?
    /// fio's data options (`buffer_compress_percentage`, `dedupe_percentage`, ...); nil: `DataPattern`'s default.
    public var writeData: WriteData?
    /// fio's log files (`write_bw_log`, `write_iops_log`, `write_lat_log`, ...); nil: none.
    public var logs: FioLogs?
    /// fio's `fsync`, `fdatasync`, `end_fsync`, `fsync_on_close`; nil: no syncs.
    public var durability: Durability?
    /// fio's `rw=read:8k`: a sequential job skips this many bytes before each I/O (`ddir_seq_add`).
    public var sequentialHoleBytes: UInt64?
    /// fio's `rw=randread:8`: a random job draws a new offset every this many I/Os, sequential in
    /// between (`ddir_seq_nr`).
    public var randomEvery: Int?
    /// fio's `percentage_random` per direction: the share of a random job's offsets that are
    /// random; the rest continue sequentially. nil: all random.
    public var percentageRandom: DirectionPercent?
    /// fio's `size=N%`: the job covers this percentage of the target beyond `offset` (instead of `sizeBytes`).
    public var sizePercent: Int?
    /// fio's `io_size` / `io_limit`: a size-based clone moves this many bytes (times `loops`),
    /// wrapping over its range; nil: its range once.
    public var ioSizeBytes: UInt64?
    /// fio's `invalidate`: false keeps the page cache of the job's range; nil (fio's default,
    /// invalidate=1): it is dropped before the job (POSIX_FADV_DONTNEED), so buffered reads start cold.
    public var invalidate: Bool?
    /// fio's `cpus_allowed`: the CPUs the job's worker threads may run on; nil: any.
    public var cpusAllowed: [Int]?
    /// fio's `steadystate`, `steadystate_duration`, `steadystate_ramp_time`; nil: none.
    public var steadyState: SteadyState?
    /// The job's own file (fio's `filename`, `directory/filename`, `directory`); nil: the run's
    /// target. Jobs giving the same path share it. Not a parameter of the JSON (the job's result
    /// names its files).
    public var targetPath: String? = nil
    /// The job's several files (fio's `filename=a:b`, `nrfiles`, `filename_format`); nil: one
    /// file, `targetPath` or the run's target. Not a parameter of the JSON either.
    public var fileSet: JobFileSet? = nil

    enum CodingKeys: String, CodingKey {
        case name, rw, rwmixread, blockSizeBytes, iodepth, iodepthBatch, numjobs, sizeBytes, offsetBytes
        case offsetIncrementBytes, timeBased, direct, randseed, randomMap, ioengine, continueOnError, verify, verifyBacklog, verifyCheck
        case blockSizes, randomDistribution, rate, rateIops, thinktimeBlocks, loops, stonewall, newGroup, groupReporting
        case writeData, logs, durability
        case sequentialHoleBytes, randomEvery, percentageRandom, sizePercent, ioSizeBytes, invalidate, cpusAllowed, steadyState
        case thinktimeNanoseconds = "thinktimeNs"
        case runtimeNanoseconds = "runtimeNs", rampTimeNanoseconds = "rampTimeNs"
    }

    public static let defaultSeed: UInt64 = 0x7469_6572_6265_6E63  // "tierbenc"
    public static func defaultIodepthBatch(_ rw: ReadWrite) -> Int { rw.isRandom ? 4 : 1 }

    public init(
        name: String, rw: ReadWrite, rwmixread: Int = 50, blockSizeBytes: UInt64 = 4096, iodepth: Int = 1,
        iodepthBatch: Int? = nil, numjobs: Int = 1, sizeBytes: UInt64? = nil, offsetBytes: UInt64 = 0, offsetIncrementBytes: UInt64 = 0,
        runtimeNanoseconds: UInt64? = nil, timeBased: Bool = false, rampTimeNanoseconds: UInt64 = 0,
        direct: Bool = true, randseed: UInt64 = JobSpec.defaultSeed, randomMap: Bool = true,
        ioengine: EngineChoice = .auto, continueOnError: Bool = false, verify: VerifyMode? = nil
    ) {
        self.name = name; self.rw = rw; self.rwmixread = rwmixread; self.blockSizeBytes = blockSizeBytes
        self.iodepth = iodepth; self.iodepthBatch = iodepthBatch ?? JobSpec.defaultIodepthBatch(rw); self.numjobs = numjobs; self.sizeBytes = sizeBytes; self.offsetBytes = offsetBytes
        self.offsetIncrementBytes = offsetIncrementBytes; self.runtimeNanoseconds = runtimeNanoseconds
        self.timeBased = timeBased; self.rampTimeNanoseconds = rampTimeNanoseconds; self.direct = direct
        self.randseed = randseed; self.randomMap = randomMap; self.ioengine = ioengine
        self.continueOnError = continueOnError
        self.verify = verify
    }

    /// The block sizes of each direction (one size for both unless `blockSizes` says otherwise).
    public var sizes: BlockSizes {
        blockSizes ?? BlockSizes(read: BlockSizeChoice(fixed: blockSizeBytes), write: BlockSizeChoice(fixed: blockSizeBytes))
    }

    /// The smallest block of the directions the job issues.
    public var smallestBlockBytes: UInt64 {
        guard let b = blockSizes else { return blockSizeBytes }
        return min(rw.reads ? b.read.minBytes : .max, rw.writes ? b.write.minBytes : .max)
    }

    /// Every block size an I/O of this job can have (for alignment checks).
    public var possibleBlockSizes: [UInt64] {
        guard let b = blockSizes else { return [blockSizeBytes] }
        var all: [UInt64] = []
        for (used, c) in [(rw.reads, b.read), (rw.writes, b.write)] where used {
            all += [c.minBytes, c.maxBytes] + (c.split?.map(\.bytes) ?? [])
        }
        return all
    }

    /// Bytes a size-based clone moves over `rangeBytes` (whole smallest blocks, times `loops`):
    /// its range, or `ioSizeBytes`.
    /// With fio's `rw=read:8k` hole, a pass ends as fio's does: at the first I/O that would
    /// not fit in the range.
    public func sizeLimitBytes(rangeBytes: UInt64) -> UInt64 {
        let unit = smallestBlockBytes
        var once = (ioSizeBytes ?? rangeBytes) / unit * unit
        if let hole = sequentialHoleBytes, !rw.isRandom, ioSizeBytes == nil, rangeBytes >= unit {
            once = ((rangeBytes - unit) / (unit + hole) + 1) * unit
        }
        let (total, overflow) = once.multipliedReportingOverflow(by: UInt64(loops ?? 1))
        return overflow ? .max : total
    }

    /// What a size-based clone moves over files whose ranges are `fileRanges` bytes: each file's
    /// share (`sizeLimitBytes` of its range, or of its share of `io_size`) and the total, capped
    /// by `size` where `filesize` makes the files larger (fio's setup_files). Time-based: no limit.
    public func sizeLimits(fileRanges: [UInt64]) -> FileLimits {
        guard !timeBased else { return FileLimits(perFile: fileRanges.map { _ in .max }, total: .max) }
        guard fileRanges.count > 1 else {
            let one = sizeLimitBytes(rangeBytes: fileRanges.first ?? 0)
            return FileLimits(perFile: [one], total: one)
        }
        let unit = smallestBlockBytes, times = UInt64(loops ?? 1)
        let perFile: [UInt64] = if let io = ioSizeBytes {
            FioFileSet.ioSizes(sizeBytes: io, files: fileRanges.count, filesizeBytes: nil, minBlockBytes: unit)
                .map { ($0 / unit * unit).multipliedReportingOverflow(by: times).partialValue }
        } else {
            fileRanges.map { sizeLimitBytes(rangeBytes: $0) }
        }
        var total = perFile.reduce(0) { $0.addingReportingOverflow($1).overflow ? .max : $0 + $1 }
        if ioSizeBytes == nil, fileSet?.filesize != nil, let size = sizeBytes {
            total = min(total, (size / unit * unit).multipliedReportingOverflow(by: times).partialValue)
        }
        return FileLimits(perFile: perFile, total: total)
    }

    /// Clone `clone`'s files: each one's path and the bytes of it the clone covers (nil: the
    /// job's size rule on that file). nil: the job runs on the run's target.
    public func files(clone: Int) -> [CloneFile]? {
        guard let set = fileSet else { return targetPath.map { [CloneFile(path: $0, sizeBytes: sizeBytes)] } }
        let sizes = set.ioSizes(sizeBytes: sizeBytes, unit: smallestBlockBytes, seed: randseed &+ UInt64(clone))
        return zip(set.paths(jobName: name, clone: clone), sizes).map { CloneFile(path: $0, sizeBytes: $1) }
    }

    /// This job as it is on one of its files: that file's size, one clone at that clone's offset.
    public func onFile(_ file: CloneFile, clone: Int) -> JobSpec {
        var one = self
        one.fileSet = nil
        one.targetPath = file.path
        one.offsetBytes = range(clone: clone, targetSize: 0).start
        one.offsetIncrementBytes = 0
        one.numjobs = 1
        if let size = file.sizeBytes { one.sizeBytes = size; one.sizePercent = nil }
        return one
    }

    /// A size-based job that writes every byte of a file of `fileBytes` in each pass: from its
    /// start to its end in whole blocks of one size, sequentially or under the random map.
    public func writesWhole(fileBytes: UInt64) -> Bool {
        guard rw.writes, !rw.reads, !timeBased, blockSizes == nil, sequentialHoleBytes == nil, randomEvery == nil, percentageRandom == nil,
              blockSizeBytes > 0, fileBytes % blockSizeBytes == 0 else { return false }
        let r = range(clone: 0, targetSize: fileBytes)
        guard r.start == 0, r.length == fileBytes, (ioSizeBytes ?? fileBytes) >= fileBytes else { return false }
        return !rw.isRandom || (randomMap && randomDistribution?.isUniform ?? true)
    }

    /// The byte range clone `clone` works on, given the target's size.
    public func range(clone: Int, targetSize: UInt64) -> (start: UInt64, length: UInt64) {
        // Saturating: absurd offsets must reach validation ("beyond the end"), not trap here.
        let (step, o1) = UInt64(clone).multipliedReportingOverflow(by: offsetIncrementBytes)
        let (sum, o2) = offsetBytes.addingReportingOverflow(step)
        let start = o1 || o2 ? UInt64.max : sum
        let rest = targetSize > start ? targetSize - start : 0
        let length = sizeBytes ?? sizePercent.map { rest.multipliedFullWidth(by: UInt64($0)).low / 100 } ?? rest
        return (start, length)
    }
}

/// One file of a clone and the bytes of it the clone covers (nil: the job's size rule on it).
public struct CloneFile: Sendable, Equatable {
    public var path: String
    public var sizeBytes: UInt64?
    public init(path: String, sizeBytes: UInt64?) { self.path = path; self.sizeBytes = sizeBytes }
}

/// The bytes a size-based clone moves: on each of its files, and in all.
public struct FileLimits: Sendable, Equatable {
    public var perFile: [UInt64]
    public var total: UInt64
}

/// A percentage per direction (fio's `percentage_random=50,20`).
public struct DirectionPercent: Codable, Sendable, Equatable {
    public var read: Int
    public var write: Int
    public init(read: Int, write: Int) { self.read = read; self.write = write }
}

/// A limit per direction (bytes per second or I/Os per second); nil: no limit on that direction.
public struct DirectionLimits: Codable, Sendable, Equatable {
    public var read: UInt64?
    public var write: UInt64?
    public init(read: UInt64?, write: UInt64?) { self.read = read; self.write = write }
    public subscript(_ d: Direction) -> UInt64? { d == .read ? read : write }
}

/// Job options as the user typed them (CLI flags today, job files later): strings, validated and
/// converted by `resolve()`, which names the offending option in every error.
public struct RawJobOptions: Sendable {
    public var rw: String?
    public var rwmixread: String?
    public var bs: String?
    public var iodepth: String?
    public var iodepthBatch: String?
    public var numjobs: String?
    public var size: String?
    public var offset: String?
    public var offsetIncrement: String?
    public var runtime: String?
    public var timeBased = false
    public var rampTime: String?
    public var direct: String?
    public var randseed: String?
    public var norandommap = false
    public var ioengine: String?
    public var continueOnError = false
    public var name: String?
    /// `--verify crc32c|pattern` and `--verify-backlog N`.
    public var verify: String?
    public var verifyBacklog: String?
    /// fio's `do_verify` (a boolean; false: write the verify headers, check nothing) and `verify_only`.
    public var doVerify: String?
    public var verifyOnly = false
    // Issue 4 (job files): options with fio's meaning, values as fio spells them after unit
    // normalisation (sizes in bytes or with k/m/g units, 1024 base; per-direction comma lists
    // "read,write"). The job-file layer fills them; the engine layer resolves them below.
    /// fio `bsrange` / `blocksize_range`: "4k-16k" or per direction "4k-16k,8k-32k".
    public var bsrange: String?
    /// fio `bssplit`: "4k/50:64k/50", or per direction "4k/100,64k/100".
    public var bssplit: String?
    /// fio `random_distribution`: random, zipf:THETA, pareto:H, normal:SIGMA.
    public var randomDistribution: String?
    /// fio `rate` (bytes per second, per direction "10m,5m") and `rate_iops` ("1000" or "1000,500").
    public var rate: String?
    public var rateIops: String?
    /// fio `thinktime` (a duration; "100" without a unit is microseconds, as in fio, when it
    /// comes from a fio file: the job-file layer writes "100us") and `thinktime_blocks`.
    public var thinktime: String?
    public var thinktimeBlocks: String?
    /// fio `loops`: run the job this many times.
    public var loops: String?
    /// fio `stonewall` / `wait_for_previous`: this job starts after all jobs before it have ended.
    /// Jobs from the command line (one job or the default suite) always run one after another.
    public var stonewall = false
    /// fio `new_group`: this job starts a new reporting group (stonewall implies it).
    public var newGroup = false
    /// fio `group_reporting`: report the jobs of a group (and their clones) as one.
    public var groupReporting = false
    /// fio's data options, as fio spells their values (see `WriteData`).
    public var bufferCompressPercentage: String?
    public var bufferCompressChunk: String?
    public var dedupePercentage: String?
    public var refillBuffers: String?
    public var scrambleBuffers: String?
    public var bufferPattern: String?
    public var zeroBuffers: String?
    /// fio's log options (see `FioLogs`); a log's value "" is the job's name.
    public var writeBwLog: String?
    public var writeIopsLog: String?
    public var writeLatLog: String?
    public var logAvgMsec: String?
    public var logOffset: String?
    public var perJobLogs: String?
    public var writeHistLog: String?
    public var logHistMsec: String?
    public var logHistCoarseness: String?
    /// fio's durability options (see `Durability`): writes between syncs, and 0/1 flags.
    public var fsync: String?
    public var fdatasync: String?
    public var endFsync: String?
    public var fsyncOnClose: String?
    public var sync: String?
    /// fio `percentage_random`: "50" or per direction "50,20".
    public var percentageRandom: String?
    /// fio `io_size` / `io_limit`: bytes a clone moves, independent of `size`.
    public var ioSize: String?
    /// fio `invalidate`: 1 or 0.
    public var invalidate: String?
    /// fio `cpus_allowed`: "0-3,5".
    public var cpusAllowed: String?
    /// fio `steadystate` ("iops:1%"), `steadystate_duration` and `steadystate_ramp_time` (seconds without a unit).
    public var steadystate: String?
    public var steadystateDuration: String?
    public var steadystateRampTime: String?

    public init() {}

    public static let maxIodepth = 4096
    public static let maxNumjobs = 256

    /// The jobs to run: the one workload named by `rw`, or the default suite when `rw` is absent.
    public func resolve() throws(InputError) -> [JobSpec] {
        var base = JobSpec(name: name ?? "job", rw: .read)
        if let v = numjobs { base.numjobs = try Self.count(v, option: "numjobs", max: Self.maxNumjobs) }
        if let v = size, v.hasSuffix("%") {
            guard let p = Int(v.dropLast()), (1...100).contains(p) else {
                throw InputError(option: "size", value: v, " is not a percentage from 1 to 100 of the target; give e.g. \(m("size", "50%")) or a size such as 1g")
            }
            base.sizePercent = p
        } else if let v = size {
            base.sizeBytes = try Units.parseSize(v, option: "size")
            if base.sizeBytes == 0 { throw InputError(option: "size", value: v, " moves nothing; give a size such as 1g") }
        }
        if let v = ioSize {
            base.ioSizeBytes = try Units.parseSize(v, option: "io-size")
            if base.ioSizeBytes == 0 { throw InputError(option: "io-size", value: v, " moves nothing; give a size such as 1g") }
        }
        if let v = invalidate {
            guard let b = BooleanValue.parse(v) else { throw InputError(option: "invalidate", value: v, " is not 0 or 1") }
            base.invalidate = b ? nil : false
        }
        if let v = cpusAllowed { base.cpusAllowed = try CPUList.parse(v, option: "cpus-allowed") }
        if let v = offset { base.offsetBytes = try Units.parseSize(v, option: "offset") }
        if let v = offsetIncrement { base.offsetIncrementBytes = try Units.parseSize(v, option: "offset-increment") }
        if let v = runtime {
            let ns = try Units.parseDuration(v, option: "runtime")
            if ns == 0 { throw InputError(option: "runtime", value: v, " is zero; give a time such as 30s") }
            base.runtimeNanoseconds = ns
        }
        if let v = rampTime { base.rampTimeNanoseconds = try Units.parseDuration(v, option: "ramp-time") }
        base.timeBased = timeBased
        if let v = direct {
            base.direct = try Self.direct(v)
        }
        if let v = randseed {
            guard let seed = UInt64(v) else { throw InputError(option: "randseed", value: v, " is not a whole number from 0 to 2^64-1") }
            base.randseed = seed
        }
        base.randomMap = !norandommap
        if let v = ioengine {
            let normalized = v.lowercased().replacingOccurrences("-", "_")
            guard let e = EngineChoice(rawValue: normalized == "iouring" ? "io_uring" : normalized) else {
                throw InputError(option: "ioengine", value: v, " is not an engine; use io_uring, psync or auto")
            }
            base.ioengine = e
        }
        base.continueOnError = continueOnError
        try resolvePacing(&base)
        base.stonewall = stonewall ? true : nil
        base.newGroup = newGroup ? true : nil
        base.groupReporting = groupReporting ? true : nil
        try resolveWriteData(&base)
        try resolveLogs(&base)
        try resolveDurability(&base)
        try resolveSteadyState(&base)

        guard let rwText = rw else {
            for (value, option) in [(verify, "verify"), (verifyBacklog, "verify-backlog"), (bs, "bs"), (iodepth, "iodepth"), (iodepthBatch, "iodepth-batch"), (rwmixread, "rwmixread"),
                                    (bsrange, "bsrange"), (bssplit, "bssplit"), (randomDistribution, "random-distribution")] where value != nil {
                throw InputError(option: option, value: nil, " shapes one workload; give \(m("rw")) too (the default suite sets its own block sizes and depths)")
            }
            if timeBased || norandommap {
                throw InputError(option: timeBased ? "time-based" : "norandommap", value: nil, " shapes one workload; give \(m("rw")) too (the default suite is already time-based)")
            }
            let suite = Self.defaultSuite(base: base, runtimeGiven: runtime != nil, rampGiven: rampTime != nil)
            // Here, not at run time, where the message would ask for a smaller --bs (which the suite refuses).
            if let size = base.sizeBytes, let largest = suite.map(\.blockSizeBytes).max(), size < largest {
                throw InputError(option: "size", value: Units.formatSize(size), " is smaller than the default suite's \(Units.formatSize(largest)) blocks; give \(m("size", Units.formatSize(largest))) or more, or \(m("rw")) for one workload")
            }
            return suite
        }
        let (kind, presetMix) = try ReadWrite.parse(String(rwText.prefix { $0 != ":" }), option: "rw")
        var job = base
        job.rw = kind
        try resolveSequence(&job, rwText)
        job.iodepthBatch = JobSpec.defaultIodepthBatch(kind)
        job.name = name ?? rwText.lowercased()
        job.rwmixread = presetMix ?? 50
        if let v = rwmixread {
            let p = try Units.parseInteger(v, option: "rwmixread")
            guard (0...100).contains(p) else {
                throw InputError(option: "rwmixread", value: v, " is outside 0-100; give the percentage of reads, e.g. \(m("rwmixread", "70"))")
            }
            job.rwmixread = p
        }
        if let v = bs, !v.contains(","), bsrange == nil, bssplit == nil {
            job.blockSizeBytes = try Units.parseSize(v, option: "bs")
            if job.blockSizeBytes == 0 { throw InputError(option: "bs", value: v, " is not a block size; give e.g. \(m("bs", "4k"))") }
            if job.blockSizeBytes > 1 << 30 { throw InputError(option: "bs", value: v, " is above the 1 GiB limit; give e.g. \(m("bs", "1m"))") }
        } else if bs != nil || bsrange != nil || bssplit != nil {
            let sizes = try BlockSizes.parse(bs: bs, bsrange: bsrange, bssplit: bssplit)
            let used = [job.rw.reads ? sizes.read : nil, job.rw.writes ? sizes.write : nil].compactMap { $0 }
            job.blockSizeBytes = used.map(\.maxBytes).max() ?? 4096
            if used.allSatisfy({ $0.isFixed && $0.minBytes == job.blockSizeBytes }) {
                job.blockSizes = nil
            } else {
                job.blockSizes = sizes
            }
        }
        if let v = iodepth { job.iodepth = try Self.count(v, option: "iodepth", max: Self.maxIodepth) }
        if let v = iodepthBatch { job.iodepthBatch = try Self.count(v, option: "iodepth-batch", max: Self.maxIodepth) }
        // Every I/O must fit in the range: the largest block either direction may issue.
        if let size = job.sizeBytes, job.blockSizeBytes > size {
            throw InputError(option: "bs", value: Units.formatSize(job.blockSizeBytes), "\(job.blockSizes == nil ? "" : " (the largest block)") is larger than \(m("size", Units.formatSize(size))); give a \(m("size")) of at least one block")
        }
        if let v = randomDistribution {
            let d = try RandomDistribution.parse(v, option: "random-distribution")
            if !d.isUniform {
                guard kind.isRandom else {
                    throw InputError(option: "random-distribution", value: v, " shapes random offsets, and \(m("rw", rwText)) is sequential; give \(m("rw")) randread, randwrite or randrw")
                }
                job.randomDistribution = d
                job.randomMap = false  // as fio: a skewed distribution has no random map
            }
        }
        try resolveVerify(&job)
        try checkWriteData(job)
        return [job]
    }

    /// fio's `rw=KIND:N` (a hole of N bytes after each sequential I/O; a random offset every N
    /// random I/Os) and `percentage_random`.
    func resolveSequence(_ job: inout JobSpec, _ rwText: String) throws(InputError) {
        if let colon = rwText.firstIndex(of: ":") {
            let n = String(rwText[rwText.index(after: colon)...])
            if job.rw.isRandom {
                guard let every = Int(n), (1...(1 << 30)).contains(every) else {
                    throw InputError(option: "rw", value: rwText, ": \(n) is not a number of I/Os from 1 (fio: a new random offset every N I/Os); give e.g. \(m("rw", "randread:8"))")
                }
                job.randomEvery = every == 1 ? nil : every
            } else {
                guard let hole = try? Units.parseSize(n, option: "rw") else {
                    throw InputError(option: "rw", value: rwText, ": \(n) is not a size (fio: the hole after each I/O); give e.g. \(m("rw", "read:8k"))")
                }
                job.sequentialHoleBytes = hole == 0 ? nil : hole
            }
        }
        guard let v = percentageRandom else { return }
        let parts = try BlockSizes.perDirection(v, option: "percentage-random")
        var values: [Int] = []
        for p in parts {
            guard let p else { values.append(100); continue }
            let n = try Units.parseInteger(p, option: "percentage-random")
            guard (0...100).contains(n) else {
                throw InputError(option: "percentage-random", value: v, " is outside 0-100; give the percentage of random offsets, e.g. \(m("percentage-random", "50"))")
            }
            values.append(n)
        }
        guard job.rw.isRandom else {
            throw InputError(option: "percentage-random", value: v, " mixes random offsets into a random job, and \(m("rw", rwText)) is sequential; give \(m("rw")) randread, randwrite or randrw")
        }
        let percent = DirectionPercent(read: values[0], write: values.count > 1 ? values[1] : values[0])
        if percent != DirectionPercent(read: 100, write: 100) { job.percentageRandom = percent }
    }

    /// `--rate`, `--rate-iops`, `--thinktime`, `--thinktime-blocks` and `--loops` on a job.
    func resolvePacing(_ job: inout JobSpec) throws(InputError) {
        if let v = rate {
            let parts = try BlockSizes.perDirection(v, option: "rate")
            var limits: [UInt64?] = []
            for p in parts {
                guard let p else { limits.append(nil); continue }
                let n = try Units.parseSize(p, option: "rate")
                limits.append(n == 0 ? nil : n)  // fio: 0 is no limit
            }
            if limits.contains(where: { $0 != nil }) { job.rate = DirectionLimits(read: limits[0], write: limits[1]) }
        }
        if let v = rateIops {
            let parts = try BlockSizes.perDirection(v, option: "rate-iops")
            var limits: [UInt64?] = []
            for p in parts {
                guard let p else { limits.append(nil); continue }
                let n = try Units.parseInteger(p, option: "rate-iops")
                limits.append(n == 0 ? nil : UInt64(n))
            }
            if limits.contains(where: { $0 != nil }) { job.rateIops = DirectionLimits(read: limits[0], write: limits[1]) }
        }
        if let bytes = job.rate, let ios = job.rateIops {
            for d in Direction.allCases where bytes[d] != nil && ios[d] != nil {
                let name = d == .read ? "reads" : "writes"
                throw InputError(option: "rate", value: rate ?? "", " and \(m("rate-iops", rateIops ?? "")) both limit \(name); give each direction one of them, e.g. \(m("rate", "10m")), \(m("rate-iops", ",500")) (reads in bytes, writes in I/Os)")
            }
        }
        if let v = thinktime {
            let ns = try Units.parseDuration(v, option: "thinktime", defaultUnit: "us")
            job.thinktimeNanoseconds = ns == 0 ? nil : ns
        }
        if let v = thinktimeBlocks {
            guard thinktime != nil else { throw InputError(option: "thinktime-blocks", value: v, " needs \(m("thinktime")) (how long to stall), e.g. \(m("thinktime", "2ms"))") }
            job.thinktimeBlocks = try Self.count(v, option: "thinktime-blocks", max: 1 << 30)
        }
        if let v = loops { job.loops = try Self.count(v, option: "loops", max: 1_000_000) }
    }

    /// `--verify` and `--verify-backlog` on a resolved job.
    func resolveVerify(_ job: inout JobSpec) throws(InputError) {
        guard let v = verify else {
            if verifyBacklog != nil { throw InputError(option: "verify-backlog", value: nil, " needs \(m("verify", "crc32c")) or \(m("verify", "pattern"))") }
            if verifyOnly { throw InputError(option: "verify-only", value: nil, " checks blocks written with \(m("verify")); give the \(m("verify")) they were written with, e.g. \(m("verify", "crc32c"))") }
            return
        }
        job.verify = try VerifyMode.parse(v, option: "verify")
        try resolveVerifyCheck(&job)
        if job.blockSizes != nil {
            throw InputError(option: "verify", value: nil, " with several block sizes (\(m("bsrange")), \(m("bssplit")) or per-direction \(m("bs"))) is not supported yet; give one \(m("bs"))")
        }
        if job.blockSizeBytes < UInt64(BlockVerify.headerSize) {
            throw InputError(option: "bs", value: String(job.blockSizeBytes), " is too small for \(m("verify")) (a block carries a \(BlockVerify.headerSize)-byte header); give \(m("bs", "512")) or more")
        }
        if let b = verifyBacklog { job.verifyBacklog = try Self.count(b, option: "verify-backlog", max: 1 << 20) }
        if job.numjobs > 1, job.sizeBytes.map({ job.offsetIncrementBytes < $0 }) ?? true {
            throw InputError(option: "verify", value: nil, " with \(m("numjobs", String(job.numjobs))) needs clones that do not overlap (each clone's last write per block is what is checked); give \(m("size")) and an \(m("offset-increment")) of at least \(m("size"))")
        }
    }

    /// `--direct`: 1 or 0 (and the other spellings of a boolean, `BooleanValue`).
    public static func direct(_ text: String, option: String = "direct") throws(InputError) -> Bool {
        guard let v = BooleanValue.parse(text) else {
            throw InputError(option: option, value: text, " is not 0 or 1; use \(m(option, "1")) (O_DIRECT, the default) or \(m(option, "0")) (page cache)")
        }
        return v
    }

    static func count(_ text: String, option: String, max: Int) throws(InputError) -> Int {
        let v = try Units.parseInteger(text, option: option)
        guard v >= 1 else { throw InputError(option: option, value: text, " must be at least 1") }
        guard v <= max else { throw InputError(option: option, value: text, " is above the limit of \(max)") }
        return v
    }

    /// What storage engineers run per zone: sequential write and read 1 MiB QD8, random read and
    /// write 4 KiB QD32, mixed 70/30 8 KiB QD16; each time-based, 10 s after a 2 s ramp by default.
    public static func defaultSuite(base: JobSpec, runtimeGiven: Bool, rampGiven: Bool) -> [JobSpec] {
        var common = base
        common.timeBased = true
        if !runtimeGiven { common.runtimeNanoseconds = 10_000_000_000 }
        if !rampGiven { common.rampTimeNanoseconds = 2_000_000_000 }
        func job(_ name: String, _ rw: ReadWrite, _ bs: UInt64, _ qd: Int, mix: Int = 50) -> JobSpec {
            var j = common
            j.name = name; j.rw = rw; j.blockSizeBytes = bs; j.iodepth = qd; j.rwmixread = mix
            j.iodepthBatch = JobSpec.defaultIodepthBatch(rw)
            j.stonewall = true  // the suite's jobs run one after another
            return j
        }
        return [
            job("seqwrite-1m-qd8", .write, 1 << 20, 8),
            job("seqread-1m-qd8", .read, 1 << 20, 8),
            job("randread-4k-qd32", .randread, 4096, 32),
            job("randwrite-4k-qd32", .randwrite, 4096, 32),
            job("mixed70-8k-qd16", .randrw, 8192, 16, mix: 70),
        ]
    }
}

private func m(_ key: String, _ value: String? = nil) -> String { InputError.mention(key, value) }

extension String {
    func replacingOccurrences(_ target: Character, _ replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
