import Foundation
@testable import JobFiles
import Workload
import Testing
import TestSupport

/// fio job files as people write them (issue 16): Windows line endings, arithmetic in any numeric
/// option, fio's engine alias and engine options, bare distributions, offset modifiers,
/// `percentage_random`, sizes as percentages and `io_size`, and the options tierbench honours or
/// notes. Each case checks what the job resolves to, or the message, in the file's words.
@Suite struct WildFilesTests {
    func plan(_ text: String) throws(JobFileError) -> JobPlan { try JobPlan.make([try FioJobFile.parse(text: text, file: "t.fio")]) }

    func error(_ text: String) -> String? {
        do { _ = try plan(text); return nil } catch { return error.description }
    }

    // MARK: Parsing

    @Test func windowsLineEndingsParseAsLines() throws {
        let text = "; from a Windows editor\r\n[global]\r\nbs=8k\r\n\r\n[a]\r\nrw=randread\r\niodepth=4\r\n[b]\r\nrw=write\r\n"
        let p = try plan(text)
        #expect(p.jobs.map(\.name) == ["a", "b"])
        #expect(p.specs.map(\.blockSizeBytes) == [8192, 8192])
        #expect(p.specs.map(\.iodepth) == [4, 1])
        // Line numbers count CRLF lines: the mistake on line 3 is reported there.
        #expect(error("[j]\r\nrw=read\r\nbs=4q\r\n") == "t.fio:3: bs=4q: unknown unit 'q'; use k, m, g, t or p (1024 base), e.g. 4k")
    }

    @Test func windowsLineEndingsInATierbenchFile() throws {
        let parsed = try NativeJobFile.parse(text: "global:\r\n  size: 1m\r\njobs:\r\n  - name: a\r\n    rw: randread\r\n    iodepth: 4\r\n", file: "t.yaml")
        let p = try JobPlan.make([parsed])
        #expect(p.specs.map(\.iodepth) == [4])
        #expect(p.specs.first?.sizeBytes == 1 << 20)
        #expect(p.jobs.first?.entry("iodepth")?.origin == .job(file: "t.yaml", line: 6))
    }

    @Test func arithmeticInEveryNumericOption() throws {
        let p = try plan("""
            [j]
            rw=randread
            iodepth=128*1
            numjobs=2+2
            bs=(2*4096)
            size=1024*1024
            offset=4096*2
            offset_increment=(1024*1024)
            runtime=3*10
            time_based
            thinktime=50*2
            rwmixread=100-30
            """)
        let spec = try #require(p.specs.first)
        #expect(spec.iodepth == 128)
        #expect(spec.numjobs == 4)
        #expect(spec.blockSizeBytes == 8192)
        #expect(spec.sizeBytes == 1 << 20)
        #expect(spec.offsetBytes == 8192)
        #expect(spec.offsetIncrementBytes == 1 << 20)
        #expect(spec.runtimeNanoseconds == 30_000_000_000, "a computed runtime keeps runtime's unit, seconds")
        #expect(spec.thinktimeNanoseconds == 100_000, "and thinktime's, microseconds")
        // `128*1` is 128 for fio too; the others differ from fio's reading (up to the operator): a note each.
        #expect(!(p.notes.contains { $0.contains("iodepth=") }), "\(p.notes)")
        #expect(p.notes.contains("t.fio:4: numjobs=2+2 is computed as 4; fio reads a value without parentheses up to its first operator (2): write (2+2) for fio to compute it too"), "\(p.notes)")
        #expect(p.notes.contains { $0.hasPrefix("t.fio:9: runtime=3*10 is computed as 30;") }, "\(p.notes)")
        // A keyword expression is a plain number after fio's bc: the option's own unit.
        #expect(try plan("[j]\nrw=read\nruntime=$ncpus*10\ntime_based\n").specs.first?.runtimeNanoseconds == UInt64(ProcessInfo.processInfo.activeProcessorCount) * 10_000_000_000)
        // Not an expression: a percentage, a range, a negative number stay what they are.
        #expect(try plan("[j]\nrw=read\nsize=50%\n").specs.first?.sizePercent == 50)
        #expect(try plan("[j]\nrw=read\nbsrange=1024-4096\n").specs.first?.blockSizes?.read.maxBytes == 4096)
        #expect(error("[j]\nrw=read\niodepth=4*\n") == "t.fio:3: iodepth=4* is not a whole number")
    }

    @Test func aioIsLibaio() throws {
        let p = try plan("[j]\nrw=read\nioengine=aio\n")
        #expect(p.specs.first?.ioengine == .ioUring)
        #expect(p.notes == ["ioengine=aio (fio's name for libaio) runs on tierbench's io_uring engine (the nearest)"])
        // libaio's own options follow aio: past the engine check, refused for themselves.
        #expect(error("[j]\nrw=read\nioengine=aio\nuserspace_reap=1\n") == "t.fio:4:1: option `userspace_reap`: valid fio option, but tierbench does not support it (--ignore-unsupported skips it with a warning)")
    }

    @Test func engineOptionsBelongToTheirEngines() {
        // hipri is pvsync2's as well as io_uring's: past the engine check, it is refused for what it does.
        let polled = "option `hipri`: hipri (polled completions, RWF_HIPRI) is valid fio but tierbench does not poll for completions; remove it (latencies then include the completion interrupt, as in fio without it) (--ignore-unsupported skips it with a warning)"
        #expect(error("[j]\nrw=read\nioengine=pvsync2\nhipri\n") == "t.fio:4:1: " + polled)
        #expect(error("[j]\nrw=read\nioengine=io_uring\nhipri\n") == "t.fio:4:1: " + polled)
        #expect(error("[j]\nrw=read\nioengine=psync\nhipri\n") == "t.fio:4:1: option `hipri`: is an option of the io_uring and pvsync2 engines; fio accepts it only after ioengine=io_uring or ioengine=pvsync2, not ioengine=psync")
        #expect(error("[j]\nrw=read\nioengine=io_uring\nuserspace_reap=1\n") == "t.fio:4:1: option `userspace_reap`: is an option of the libaio engine; fio accepts it only after ioengine=libaio, not ioengine=io_uring")
        #expect(error("[j]\nrw=read\nioengine=libaio\nfixedbufs\n") == "t.fio:4:1: option `fixedbufs`: is an option of the io_uring engine; fio accepts it only after ioengine=io_uring, not ioengine=libaio")
    }

    @Test func bareDistributionsAndDistributionsOnSequentialJobs() throws {
        #expect(try plan("[j]\nrw=randread\nrandom_distribution=pareto\n").specs.first?.randomDistribution == RandomDistribution(kind: .pareto, parameter: 0.2))
        #expect(try plan("[j]\nrw=randread\nrandom_distribution=zipf\n").specs.first?.randomDistribution == RandomDistribution(kind: .zipf, parameter: 1.1))
        let p = try plan("[j]\nrw=write\nrandom_distribution=zipf:1.2\n")
        #expect(p.specs.first?.randomDistribution == nil)
        #expect(p.notes == ["t.fio:3: job `j`: random_distribution=zipf:1.2 shapes random offsets and rw=write is sequential; ignored, as fio does"])
    }

    @Test func offsetModifiers() throws {
        let seq = try #require(try plan("[j]\nrw=read:8k\nbs=4k\nsize=256k\n").specs.first)
        #expect(seq.rw == .read)
        #expect(seq.sequentialHoleBytes == 8192)
        // fio ends a size-based pass at the first I/O that would not fit: 22 I/Os in 256 KiB.
        #expect(seq.sizeLimitBytes(rangeBytes: 256 << 10) == 22 * 4096)
        let random = try #require(try plan("[j]\nrw=randwrite:8\n").specs.first)
        #expect(random.rw == .randwrite)
        #expect(random.randomEvery == 8)
        #expect(random.sequentialHoleBytes == nil)
        #expect(try plan("[j]\nkb_base=1000\nrw=write:2k\n").specs.first?.sequentialHoleBytes == 2000)
        #expect(error("[j]\nrw=randread:0\n") == "t.fio:2: rw=randread:0: 0 is not a number of I/Os from 1 (fio: a new random offset every N I/Os); give e.g. rw=randread:8")
        #expect(error("[j]\nrw=read:4q\n") == "t.fio:2: rw=read:4q: 4q: unknown unit 'q'; use k, m, g, t or p (1024 base), e.g. 4k")
    }

    @Test func percentageRandom() throws {
        #expect(try plan("[j]\nrw=randrw\npercentage_random=50,20\n").specs.first?.percentageRandom == DirectionPercent(read: 50, write: 20))
        #expect(try plan("[j]\nrw=randread\npercentage_random=30\n").specs.first?.percentageRandom == DirectionPercent(read: 30, write: 30))
        #expect(try plan("[j]\nrw=randread\npercentage_random=100\n").specs.first?.percentageRandom == nil)
        #expect(error("[j]\nrw=randread\npercentage_random=150\n") == "t.fio:3: percentage_random=150 is outside 0-100; give the percentage of random offsets, e.g. percentage_random=50")
        // fio takes it on a sequential job and ignores it: so does tierbench, with a note.
        let seq = try plan("[j]\nrw=read\npercentage_random=50\n")
        #expect(seq.specs.first?.percentageRandom == nil)
        #expect(seq.notes == ["t.fio:3: job `j`: percentage_random=50 shapes random offsets and rw=read is sequential; ignored, as fio does"])
    }

    // MARK: Options tierbench honours or notes

    @Test func honouredAndNotedOptions() throws {
        let p = try plan("""
            [j]
            rw=randread
            invalidate=0
            gtod_reduce=1
            thread=0
            clocksource=cpu
            overwrite=1
            fallocate=none
            create_on_open=1
            allow_file_create=1
            cpus_allowed=0-2,5
            """)
        let spec = try #require(p.specs.first)
        #expect(spec.invalidate == false)
        #expect(spec.cpusAllowed == [0, 1, 2, 5])
        for option in ["gtod_reduce=1", "thread=0", "clocksource=cpu", "overwrite=1", "fallocate=none", "create_on_open=1"] {
            #expect(p.notes.filter { $0.hasPrefix(option + ":") }.count == 1, "one note for \(option): \(p.notes)")
        }
        #expect(p.notes.count == 6, "\(p.notes)")
        // fio's defaults say nothing: invalidate=1 (tierbench drops the range's cache before a job too).
        let quiet = try plan("[j]\nrw=read\ninvalidate=1\nthread\ngtod_reduce=0\nfallocate=posix\nallow_file_create=1\n")
        #expect(quiet.notes == [])
        #expect(quiet.specs.first?.invalidate == nil)
        #expect(error("[j]\nrw=read\nallow_file_create=0\n") == "t.fio:3:1: option `allow_file_create`: allow_file_create=0 (never create a file) is valid fio but tierbench creates a missing target (and removes it after the run); remove the option and give an existing file (--ignore-unsupported skips it with a warning)")
        #expect(error("[j]\nrw=read\ncpus_allowed=3-1\n") == "t.fio:3: cpus_allowed=3-1: '3-1' is not a CPU or a range of CPUs; give e.g. 0-3,5")
        #expect(error("[j]\nrw=read\nclocksource=tsc\n") == "t.fio:3: clocksource=tsc is not a clock source; fio has gettimeofday, clock_gettime and cpu")
    }

    // MARK: Sizes

    @Test func sizePercentAndIoSize() throws {
        let pct = try #require(try plan("[j]\nrw=read\noffset=1m\nsize=25%\n").specs.first)
        #expect(pct.sizePercent == 25)
        #expect(pct.sizeBytes == nil)
        #expect(pct.range(clone: 0, targetSize: 5 << 20).length == 1 << 20, "a quarter of what follows the offset (fio)")
        let io = try #require(try plan("[j]\nrw=randread\nsize=1m\nio_limit=3m\nloops=2\n").specs.first)
        #expect(io.ioSizeBytes == 3 << 20)
        #expect(io.sizeLimitBytes(rangeBytes: 1 << 20) == 6 << 20)
        #expect(error("[j]\nrw=read\nsize=0%\n") == "t.fio:3: size=0% is not a percentage from 1 to 100 of the target; give e.g. size=50% or a size such as 1g")
    }

    // MARK: Run-time mistakes, in the file's words

    @Test func runTimeMistakesAreWordedAsTheFileWritesThem() throws {
        let s = Scratch()
        let unaligned = s.write("a.fio", "[j]\nfilename=\(s.file("data"))\nrw=write\nbs=1000\nsize=64k\ndirect=1\n")
        let out = try tierbench(["run", unaligned])
        #expect(out.status == 2, "\(out.stderr)")
        #expect(out.stderr.hasPrefix("tierbench: error: \(unaligned):4: bs=1000 is not a multiple of \(s.file("data"))'s direct-I/O block size ("), "\(out.stderr)")
        #expect(out.stderr.contains(" bytes); use a multiple of ") && out.stderr.hasSuffix(", or direct=0\n"), "\(out.stderr)")
        #expect(!(out.stderr.contains("--")), "\(out.stderr)")
        let untimed = s.write("b.fio", "[global]\ntime_based\n[j]\nfilename=\(s.file("data2"))\nrw=read\nsize=64k\n")
        let out2 = try tierbench(["run", untimed])
        #expect(out2.status == 2, "\(out2.stderr)")
        #expect(out2.stderr == "tierbench: error: \(untimed):2: time_based needs runtime (how long to run), e.g. runtime=30s (job `j`)\n")
        // The command line's own job keeps the command line's words.
        let out3 = try tierbench(["run", "--rw", "read", "--time-based", "--target", s.file("data3"), "--size", "64k"])
        #expect(out3.stderr == "tierbench: error: --time-based needs --runtime (how long to run), e.g. --runtime 30s\n")
        #expect(!(FileManager.default.fileExists(atPath: s.file("data2"))), "nothing left by a refused run")
    }

    // MARK: Against fio

    /// The wild options in one size-based file, run by fio and by tierbench: the same bytes and
    /// I/Os per job and direction. With Windows line endings, as fio reads those too.
    static let wild = """
        [global]
        filename=${TB_FILE}
        ioengine=aio
        gtod_reduce=1
        invalidate=1
        thread
        cpus_allowed=0
        bs=4k
        size=256k

        [holes]
        rw=write:8k

        [runs]
        stonewall
        rw=randread:8
        iodepth=2*2

        [partly-random]
        stonewall
        rw=randwrite
        percentage_random=50

        [io-size]
        stonewall
        rw=read
        io_size=1m

        [half]
        stonewall
        rw=write
        size=50%
        """

    @Test func wildOptionsMoveWhatFioMoves() throws {
        try RunComparisonTests().compare(Self.wild)
    }

    @Test func windowsLineEndingsMoveWhatFioMoves() throws {
        try RunComparisonTests().compare(Self.wild.replacingOccurrences(of: "\n", with: "\r\n"))
    }
}
