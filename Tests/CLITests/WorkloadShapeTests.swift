import Foundation
import Glibc
import Testing
import TestSupport

/// A scratch directory on tmpfs (/dev/shm), for runs of 100,000+ small buffered I/Os that
/// measure the engine's choices, not a disk.
final class MemoryScratch {
    let path: String
    init() {
        let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/var/tmp"
        var template = Array("\(base)/tierbench-shape-XXXXXX".utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }
    func file(_ name: String) -> String { "\(path)/\(name)" }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// bs per direction, bsrange, bssplit, rwmix, rate, thinktime and loops in real runs through the CLI.
@Suite(.serialized) struct WorkloadShapeTests {
    func run(_ args: [String], format: String = "json") throws -> [String: Any] {
        let o = try tierbench(["run"] + args + ["--direct", "0", "--output-format", format])
        #expect(o.status == 0, "\(args): \(o.stderr)")
        return try #require(o.json, "no JSON: \(o.stderr)")
    }

    @Test func bssplitAndRwmixreadProportionsOver100kIOs() throws {
        let s = MemoryScratch()
        // Two sizes per direction, so the share of each follows from I/Os and bytes exactly. Without
        // the random map: with it, as fio, an I/O running into a block already done is shortened.
        let json = try run(["--target", s.file("t.dat"), "--rw", "randrw", "--rwmixread", "70", "--bssplit", "512/30:4k/70,1k/80:8k/20",
                            "--size", "32m", "--loops", "10", "--iodepth", "8", "--norandommap"])
        let reads = try #require(json.int("jobs", "0", "read", "ios")), readBytes = try #require(json.int("jobs", "0", "read", "bytes"))
        let writes = try #require(json.int("jobs", "0", "write", "ios")), writeBytes = try #require(json.int("jobs", "0", "write", "bytes"))
        #expect(reads + writes >= 100_000, "only \(reads + writes) I/Os")
        #expect(readBytes + writeBytes >= 10 * (32 << 20) && readBytes + writeBytes < 10 * (32 << 20) + (8 << 10), "loops x size is what moves")
        let readShare = Double(reads) * 100 / Double(reads + writes)
        #expect(abs(readShare - 70) <= 2, "reads are \(readShare)% of I/Os")
        // n_small + n_large = ios; small * n_small + large * n_large = bytes.
        func largeShare(ios: Int, bytes: Int, small: Int, large: Int) -> Double {
            Double(bytes - small * ios) / Double(large - small) * 100 / Double(ios)
        }
        let read4k = largeShare(ios: reads, bytes: readBytes, small: 512, large: 4096)
        let write8k = largeShare(ios: writes, bytes: writeBytes, small: 1024, large: 8192)
        #expect(abs(read4k - 70) <= 2, "4k reads are \(read4k)%")
        #expect(abs(write8k - 20) <= 2, "8k writes are \(write8k)%")
    }

    @Test func perDirectionBlockSizes() throws {
        let s = MemoryScratch()
        let json = try run(["--target", s.file("t.dat"), "--rw", "randrw", "--bs", "4k,64k", "--size", "16m", "--iodepth", "4"])
        let reads = try #require(json.int("jobs", "0", "read", "ios")), writes = try #require(json.int("jobs", "0", "write", "ios"))
        #expect(reads > 0 && writes > 0)
        #expect(json.int("jobs", "0", "read", "bytes") == reads * 4096)
        #expect(json.int("jobs", "0", "write", "bytes") == writes * 65536)
        #expect(json.int("jobs", "0", "parameters", "block_size_bytes") == 65536, "buffers sized to the largest block")
        #expect(json.int("jobs", "0", "parameters", "block_sizes", "write", "min_bytes") == 65536)
    }

    @Test func bsrangeSizesAreMultiplesOfTheMinimumWithFiosMean() throws {
        let s = MemoryScratch()
        // fio: 4k, 8k, 12k and 16k a quarter each: a mean of 10 KiB; every I/O a multiple of 4 KiB.
        // (Without the random map, which would shorten I/Os that run into blocks already done.)
        let json = try run(["--target", s.file("t.dat"), "--rw", "randread", "--bsrange", "4k-16k", "--size", "64m", "--loops", "4",
                            "--norandommap"])
        let ios = try #require(json.int("jobs", "0", "read", "ios")), bytes = try #require(json.int("jobs", "0", "read", "bytes"))
        #expect(bytes % 4096 == 0)
        let mean = Double(bytes) / Double(ios)
        #expect(abs(mean - 10240) / 10240 < 0.02, "mean block \(mean) bytes")
        #expect(ios * 4096 <= bytes && bytes <= ios * 16384)
    }

    @Test(.enabled(if: fioPath != nil, "fio is not installed (apt-get install fio)"),
          arguments: [("randrw", ["--bssplit", "512/30:4k/70", "--rwmixread", "70"]),
                      ("randrw", ["--bssplit", "512/30:4k/70", "--rwmixread", "70", "--norandommap"]),
                      ("readwrite", ["--bssplit", "512/10:8k/50:4k/40", "--rwmixread", "40"]),
                      ("randread", ["--bsrange", "4k-16k"])])
    func sameBytesAndIOsAsFio(rw: String, shape: [String]) throws {
        let s = MemoryScratch()
        let file = s.file("f.dat")
        let size = shape.contains("--bsrange") ? "128m" : "32m"
        // At least 100,000 I/Os: fio's rwmix switches direction in runs, so its split varies more than i.i.d. draws.
        let loops = rw == "readwrite" ? "20" : "10"
        // fio (the reference) lays the file out; tierbench then overwrites it with the same job.
        // fio gets a seed: with its default seeds, its bssplit draws smaller reads and larger
        // writes than the split says (measured, fio 3.33, 512/10:8k/50:4k/40: mean read 5,732
        // bytes, write 5,863, expected 5,786; with --randseed 1, 2, 3, 11 or 12 both within 0.2%).
        var fioArgs = ["--name=shape", "--filename=\(file)", "--ioengine=psync", "--direct=0", "--rw=\(rw)", "--size=\(size)",
                       "--loops=\(loops)", "--randseed=11", "--output-format=json"]
        var i = 0
        while i < shape.count {
            if shape[i] == "--norandommap" { fioArgs.append("--norandommap"); i += 1; continue }
            fioArgs.append("--\(shape[i].dropFirst(2))=\(shape[i + 1])"); i += 2
        }
        let f = try execute(fioPath!, fioArgs)
        #expect(f.status == 0, "fio: \(f.stderr)")
        let start = f.stdout.firstIndex(of: "{") ?? f.stdout.startIndex
        let fio = try #require(try JSONSerialization.jsonObject(with: Data(f.stdout[start...].utf8)) as? [String: Any])
        let t = try run(["--target", file, "--overwrite", "--rw", rw, "--size", size, "--loops", loops] + shape,
                        format: "fio-json")
        var total = 0
        let bytesOf = { (doc: [String: Any]) in (doc.int("jobs", "0", "read", "io_bytes") ?? 0) + (doc.int("jobs", "0", "write", "io_bytes") ?? 0) }
        // Both stop once they have issued loops x size (the last I/O may cross it by less than a block).
        #expect(abs(bytesOf(t) - bytesOf(fio)) < 64 << 10, "total bytes \(bytesOf(t)), fio \(bytesOf(fio))")
        for dir in ["read", "write"] {
            let fioIOs = fio.int("jobs", "0", dir, "total_ios") ?? 0, fioBytes = fio.int("jobs", "0", dir, "io_bytes") ?? 0
            let ios = t.int("jobs", "0", dir, "total_ios") ?? 0, bytes = t.int("jobs", "0", dir, "io_bytes") ?? 0
            total += ios
            if fioIOs == 0 { #expect(ios == 0); continue }
            #expect(abs(Double(ios) / Double(fioIOs) - 1) <= 0.02, "\(rw) \(dir): \(ios) I/Os, fio \(fioIOs)")
            #expect(abs(Double(bytes) / Double(fioBytes) - 1) <= 0.02, "\(rw) \(dir): \(bytes) bytes, fio \(fioBytes)")
        }
        #expect(total >= 100_000)
    }

    @Test func rateIopsHoldsFiveHundredPerSecond() throws {
        let s = MemoryScratch()
        let json = try run(["--target", s.file("t.dat"), "--rw", "randread", "--rate-iops", "500", "--iodepth", "4",
                            "--size", "16m", "--runtime", "3s", "--time-based"])
        let iops = try #require(json.at("jobs", "0", "read", "iops") as? Double)
        #expect(abs(iops - 500) / 500 <= 0.05, "\(iops) IOPS")
        // Paced by sleeping, not spinning: well under a tenth of a CPU.
        let cpu = (json.int("jobs", "0", "cpu", "user_ns") ?? 0) + (json.int("jobs", "0", "cpu", "system_ns") ?? 0)
        let span = try #require(json.int("jobs", "0", "measured_span_ns"))
        #expect(Double(cpu) / Double(span) < 0.1, "CPU \(cpu) ns over \(span) ns")
    }

    @Test func rateInBytesPerSecond() throws {
        let s = MemoryScratch()
        let json = try run(["--target", s.file("t.dat"), "--rw", "write", "--bs", "64k", "--rate", "8m", "--iodepth", "2",
                            "--size", "64m", "--runtime", "3s", "--time-based", "--overwrite"])
        let bw = try #require(json.at("jobs", "0", "write", "bandwidth_bytes_per_second") as? Double)
        #expect(abs(bw - 8 * 1048576) / (8 * 1048576) <= 0.05, "\(bw) bytes/s")
    }

    @Test func perDirectionRateOnRandrw() throws {
        let s = MemoryScratch()
        let json = try run(["--target", s.file("t.dat"), "--rw", "randrw", "--rate-iops", "300,100", "--iodepth", "8",
                            "--size", "16m", "--runtime", "3s", "--time-based"])
        let r = try #require(json.at("jobs", "0", "read", "iops") as? Double)
        let w = try #require(json.at("jobs", "0", "write", "iops") as? Double)
        #expect(abs(r - 300) / 300 <= 0.05, "reads \(r) IOPS")
        #expect(abs(w - 100) / 100 <= 0.05, "writes \(w) IOPS")
    }

    @Test func thinktimeCapsAQD1JobWithoutSpinning() throws {
        let s = MemoryScratch()
        let json = try run(["--target", s.file("t.dat"), "--rw", "randread", "--thinktime", "2ms", "--size", "16m",
                            "--runtime", "2s", "--time-based"])
        let iops = try #require(json.at("jobs", "0", "read", "iops") as? Double)
        #expect(iops <= 505 && iops > 300, "\(iops) IOPS with 2 ms of thinktime per I/O")
        let cpu = (json.int("jobs", "0", "cpu", "user_ns") ?? 0) + (json.int("jobs", "0", "cpu", "system_ns") ?? 0)
        let span = try #require(json.int("jobs", "0", "measured_span_ns"))
        #expect(Double(cpu) / Double(span) < 0.1, "CPU \(cpu) ns over \(span) ns")
        // thinktime_blocks 4 at iodepth 4: four I/Os, then one stall.
        let batched = try run(["--target", s.file("t.dat"), "--rw", "randread", "--thinktime", "2000", "--thinktime-blocks", "4",
                               "--iodepth", "4", "--size", "16m", "--runtime", "2s", "--time-based"])
        let batchedIOPS = try #require(batched.at("jobs", "0", "read", "iops") as? Double)
        #expect(batchedIOPS <= 2020 && batchedIOPS > 1200, "\(batchedIOPS) IOPS, 4 I/Os per 2000 us")
    }

    @Test func loopsMoveTheSizeNTimesAndTimeBasedIgnoresThem() throws {
        let s = MemoryScratch()
        let json = try run(["--target", s.file("t.dat"), "--rw", "read", "--bs", "64k", "--size", "4m", "--loops", "3"])
        #expect(json.int("jobs", "0", "read", "bytes") == 3 * (4 << 20))
    }

    @Test func theDefaultSuiteStillRunsOneJobAfterAnother() throws {
        let s = MemoryScratch()
        let json = try run(["--target", s.file("t.dat"), "--size", "16m", "--runtime", "200ms", "--ramp-time", "0"])
        let jobs = try #require(json["jobs"] as? [[String: Any]])
        #expect(jobs.count == 5)
        #expect(jobs.map { $0["group_index"] as? Int } == [0, 1, 2, 3, 4], "each suite job its own group, as fio's stonewall")
        for (a, b) in zip(jobs, jobs.dropFirst()) {
            let aEnd = (a["measured_start_ns"] as? Int ?? 0) + (a["measured_span_ns"] as? Int ?? 0)
            #expect((b["measured_start_ns"] as? Int ?? 0) >= aEnd, "\(b["name"] ?? "") started before \(a["name"] ?? "") ended")
        }
    }

    @Test(arguments: [
        (["--bssplit", "4k/50:8k/40"], "--bssplit"),
        (["--bssplit", "4k/60:8k/60"], "--bssplit"),
        (["--bssplit", "4k/x"], "--bssplit"),
        (["--bsrange", "16k-4k"], "--bsrange"),
        (["--bsrange", "4k-"], "--bsrange"),
        (["--bs", "4k,8k,16k,32k"], "--bs"),
        (["--random-distribution", "zipf:1"], "--random-distribution"),
        (["--random-distribution", "zoned:50/50"], "--random-distribution"),
        (["--random-distribution", "zipf:1.2", "--rw", "read"], "--random-distribution"),
        (["--rate-iops", "fast"], "--rate-iops"),
        (["--rate", "10q"], "--rate"),
        (["--rate", "1m", "--rate-iops", "100"], "--rate"),
        (["--thinktime", "5y"], "--thinktime"),
        (["--thinktime-blocks", "4"], "--thinktime-blocks"),
        (["--loops", "0"], "--loops"),
        (["--bssplit", "4k/50:8k/50", "--rw", "randwrite", "--verify", "crc32c"], "--verify"),
        // Every I/O must fit in the range, the writes' 64k too (a sequential mix used to trap here).
        (["--rw", "rw", "--bs", "4k,64k", "--size", "16k", "--runtime", "1", "--time-based"], "--bs 64KiB (the largest block) is larger than --size 16KiB"),
        (["--rw", "rw", "--bssplit", "4k/50:64k/50", "--size", "32k", "--loops", "4"], "--bs 64KiB (the largest block)"),
    ] as [([String], String)])
    func badValuesExitTwoWithOneLineNamingTheOption(args: [String], option: String) throws {
        let s = MemoryScratch()
        let rw = args.contains("--rw") ? [] : ["--rw", "randrw"]
        let o = try tierbench(["run", "--target", s.file("t.dat"), "--direct", "0"] + rw + args)
        #expect(o.status == 2, "\(args): \(o.stderr)")
        #expect(o.stdout.isEmpty)
        let lines = o.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains(option), "\(args): \(o.stderr)")
        #expect(!FileManager.default.fileExists(atPath: s.file("t.dat")), "nothing written")
    }

    /// The target itself smaller than the largest block (no --size): refused before any I/O.
    @Test func aTargetSmallerThanTheLargestBlockIsRefused() throws {
        let s = MemoryScratch()
        let target = s.file("small.dat")
        _ = FileManager.default.createFile(atPath: target, contents: Data(repeating: 1, count: 16 << 10))
        let o = try tierbench(["run", "--target", target, "--direct", "0", "--rw", "rw", "--bs", "4k,64k", "--overwrite", "--runtime", "1", "--time-based"])
        #expect(o.status == 2, "\(o.stderr)")
        #expect(o.stderr.contains("--bs 64KiB (the largest block) is larger than the 16384 bytes job rw covers"), "\(o.stderr)")
    }
}
