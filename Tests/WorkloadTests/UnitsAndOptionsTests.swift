import Testing
@testable import Workload

@Suite struct UnitsTests {
    @Test(arguments: [
        ("4k", 4096), ("4K", 4096), ("4KiB", 4096), ("4kb", 4096), ("1m", 1 << 20), ("1M", 1 << 20),
        ("2g", 2 << 30), ("1t", 1 << 40), ("512", 512), ("512b", 512), ("0x1000", 4096), ("1.5k", 1536),
    ] as [(String, UInt64)])
    func sizesUseFiosBase1024(text: String, bytes: UInt64) throws {
        #expect(try Units.parseSize(text, option: "--bs") == bytes)
    }

    @Test(arguments: [
        ("-4k", "negative"), ("4q", "unknown unit"), ("abc", "not a size"), ("99999999T", "too large"),
        ("", "empty"), ("0x", "hexadecimal"), ("1.0001k", "whole number"),
    ])
    func badSizesNameTheOptionAndTheProblem(text: String, problem: String) {
        #expect {
            try Units.parseSize(text, option: "--size")
        } throws: { error in
            let m = (error as! InputError).message
            return m.hasPrefix("--size") && m.contains(problem)
        }
    }

    @Test(arguments: [("10", 10_000_000_000), ("500ms", 500_000_000), ("2m", 120_000_000_000), ("1h", 3_600_000_000_000), ("250us", 250_000)] as [(String, UInt64)])
    func durations(text: String, ns: UInt64) throws {
        #expect(try Units.parseDuration(text, option: "--runtime") == ns)
    }

    @Test func badDurations() {
        #expect(throws: InputError.self) { try Units.parseDuration("10x", option: "--runtime") }
        #expect(throws: InputError.self) { try Units.parseDuration("-1", option: "--runtime") }
    }
}

@Suite struct OptionsTests {
    func resolve(_ set: (inout RawJobOptions) -> Void) throws -> [JobSpec] {
        var o = RawJobOptions()
        set(&o)
        return try o.resolve()
    }

    func message(_ set: (inout RawJobOptions) -> Void) -> String? {
        do { _ = try resolve(set); return nil } catch { return (error as? InputError)?.message }
    }

    @Test func noWorkloadGivesTheDefaultSuite() throws {
        let suite = try resolve { _ in }
        #expect(suite.map(\.rw) == [.write, .read, .randread, .randwrite, .randrw])
        #expect(suite.map(\.blockSizeBytes) == [1 << 20, 1 << 20, 4096, 4096, 8192])
        #expect(suite.map(\.iodepth) == [8, 8, 32, 32, 16])
        #expect(suite[4].rwmixread == 70)
        #expect(suite.allSatisfy { $0.timeBased && $0.runtimeNanoseconds == 10_000_000_000 && $0.rampTimeNanoseconds == 2_000_000_000 })
        let short = try resolve { $0.runtime = "3s"; $0.rampTime = "0" }
        #expect(short.allSatisfy { $0.runtimeNanoseconds == 3_000_000_000 && $0.rampTimeNanoseconds == 0 })
    }

    @Test func presetsMapToFioWorkloads() throws {
        #expect(try resolve { $0.rw = "seqread" }.first?.rw == .read)
        #expect(try resolve { $0.rw = "seqwrite" }.first?.rw == .write)
        let mixed = try resolve { $0.rw = "mixed" }.first!
        #expect(mixed.rw == .randrw && mixed.rwmixread == 70)
        #expect(try resolve { $0.rw = "mixed"; $0.rwmixread = "60" }.first?.rwmixread == 60)
        #expect(try resolve { $0.rw = "randrw" }.first?.rwmixread == 50)
        #expect(try resolve { $0.rw = "rw" }.first?.rw == .readwrite)
    }

    @Test func singleJobTakesEveryOption() throws {
        let j = try resolve {
            $0.rw = "randwrite"; $0.bs = "16k"; $0.iodepth = "64"; $0.numjobs = "2"; $0.size = "1g"; $0.offset = "1m"
            $0.offsetIncrement = "2g"; $0.runtime = "1m"; $0.timeBased = true; $0.rampTime = "5s"; $0.direct = "0"
            $0.randseed = "123"; $0.norandommap = true; $0.ioengine = "psync"; $0.continueOnError = true
        }.first!
        #expect(j == JobSpec(
            name: "randwrite", rw: .randwrite, rwmixread: 50, blockSizeBytes: 16384, iodepth: 64, numjobs: 2,
            sizeBytes: 1 << 30, offsetBytes: 1 << 20, offsetIncrementBytes: 2 << 30, runtimeNanoseconds: 60_000_000_000,
            timeBased: true, rampTimeNanoseconds: 5_000_000_000, direct: false, randseed: 123, randomMap: false,
            ioengine: .psync, continueOnError: true))
    }

    @Test func badOptionsGetOneLineNamingTheOption() {
        let cases: [((inout RawJobOptions) -> Void, String)] = [
            ({ $0.rw = "randomread" }, "--rw randomread is not a workload"),
            ({ $0.rw = "randrw"; $0.rwmixread = "101" }, "--rwmixread 101 is outside 0-100"),
            ({ $0.rw = "randrw"; $0.rwmixread = "-5" }, "--rwmixread -5 is negative"),
            ({ $0.rw = "read"; $0.bs = "0" }, "--bs 0 is not a block size"),
            ({ $0.rw = "read"; $0.bs = "8k"; $0.size = "4k" }, "--bs 8KiB is larger than --size 4KiB"),
            ({ $0.rw = "read"; $0.iodepth = "0" }, "--iodepth 0 must be at least 1"),
            ({ $0.rw = "read"; $0.iodepth = "100000" }, "--iodepth 100000 is above the limit"),
            ({ $0.rw = "read"; $0.numjobs = "-1" }, "--numjobs -1 is negative"),
            ({ $0.size = "0" }, "--size 0 moves nothing"),
            ({ $0.size = "99999999T" }, "--size 99999999T is too large"),
            ({ $0.runtime = "0" }, "--runtime 0 is zero"),
            ({ $0.runtime = "5y" }, "unknown time unit"),
            ({ $0.direct = "maybe" }, "--direct maybe is not 0 or 1"),
            ({ $0.ioengine = "libaio" }, "--ioengine libaio is not an engine"),
            ({ $0.bs = "4k" }, "--bs shapes one workload; give --rw too"),
        ]
        for (set, expected) in cases {
            let m = message(set)
            #expect(m?.contains(expected) == true, "got \(m ?? "no error"), expected \(expected)")
            #expect(m?.contains("\n") == false)
        }
    }
}
