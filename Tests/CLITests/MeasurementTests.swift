import Foundation
import Glibc
import Testing
import TestSupport

/// The measurement layer end to end, through the real binary on real O_DIRECT files.
@Suite struct MeasurementTests {
    func ints(_ any: Any?) -> [Int] { (any as? [Any] ?? []).compactMap { ($0 as? NSNumber)?.intValue } }

    @Test func intervalsPartitionTheRunAndClonesMergeExactly() throws {
        let s = Scratch()
        let o = try tierbench(["run", "--target", s.file("t.dat"), "--rw", "randrw", "--size", "32m", "--bs", "4k", "--iodepth", "4",
                               "--numjobs", "2", "--runtime", "2200ms", "--time-based", "--interval", "500ms", "--output-format", "json"])
        #expect(o.status == 0, "\(o.stderr)")
        let json = try #require(o.json)
        let jobs = try #require(json["jobs"] as? [[String: Any]])
        #expect(jobs.count == 2)
        var cloneTotals = [String: Int]()
        for job in jobs {
            let intervals = try #require(job["intervals"] as? [[String: Any]])
            // Full 500 ms intervals and the partial rest, covering the measured span exactly: an I/O counts in
            // the interval it completed in. The span is the 2.2 s runtime plus the drain of the last I/Os, which
            // a loaded machine can stretch past 2.5 s, so the count follows the span rather than a fixed 5.
            let span = try #require(job["measured_span_ns"] as? Int)
            #expect(span >= 2_200_000_000 && span < 4_000_000_000, "measured span \(span) ns for a 2.2 s runtime")
            let full = span / 500_000_000
            #expect(intervals.count == (span % 500_000_000 == 0 ? full : full + 1), "\(intervals.count) intervals over \(span) ns")
            #expect(intervals.map { ($0["duration_ns"] as? Int) ?? 0 }.reduce(0, +) == span, "intervals partition the span")
            #expect(intervals.dropLast().allSatisfy { ($0["duration_ns"] as? Int) == 500_000_000 })
            #expect(intervals.enumerated().allSatisfy { i, v in (v["start_ns"] as? Int) == i * 500_000_000 })
            for dir in ["read", "write"] {
                let total = job.int(dir, "ios") ?? -1
                let summed = intervals.map { $0.int(dir, "ios") ?? 0 }.reduce(0, +)
                #expect(summed == total, "\(dir): intervals hold \(summed) of \(total) I/Os")
                #expect(job.int(dir, "lat_ns", "count") == total && job.int(dir, "clat_ns", "count") == total
                        && job.int(dir, "slat_ns", "count") == total)
                #expect(job.int(dir, "iops_over_intervals", "samples") == full, "full intervals only")
                cloneTotals[dir, default: 0] += total
                // Total latency is submission plus completion latency, on average exactly.
                let lat = (job.at(dir, "lat_ns", "mean") as? Double) ?? 0
                let parts = ((job.at(dir, "slat_ns", "mean") as? Double) ?? 0) + ((job.at(dir, "clat_ns", "mean") as? Double) ?? 0)
                #expect(abs(lat - parts) <= 0.001 * lat + 1)
            }
            let cpu = (job.int("cpu", "user_ns") ?? 0) + (job.int("cpu", "system_ns") ?? 0)
            #expect(cpu > 0 && cpu < 2_500_000_000, "thread CPU \(cpu) ns over a 2.2 s run")
            let clock = try #require(job["clock_reads_per_io"] as? Double)
            #expect(clock > 0 && clock <= 2.01, "\(clock) clock reads per I/O")
        }
        let aggregate = try #require((json["aggregates"] as? [[String: Any]])?.first)
        #expect(aggregate.int("clones") == 2)
        let merged = try #require(aggregate["intervals"] as? [[String: Any]])
        for dir in ["read", "write"] {
            #expect(aggregate.int(dir, "ios") == cloneTotals[dir])
            #expect(aggregate.int(dir, "lat_ns", "count") == cloneTotals[dir], "histograms added, not averaged")
            #expect(merged.map { $0.int(dir, "ios") ?? 0 }.reduce(0, +) == cloneTotals[dir])
            for (i, interval) in merged.enumerated() {
                let perClone = jobs.map { ($0["intervals"] as? [[String: Any]] ?? []).count > i ? (($0["intervals"] as! [[String: Any]])[i].int(dir, "ios") ?? 0) : 0 }
                #expect(interval.int(dir, "ios") == perClone.reduce(0, +), "interval \(i) is the clones' sum")
            }
        }
    }

    @Test func percentilesFollowTheOptionAndStayOrdered() throws {
        let s = Scratch()
        let o = try tierbench(["run", "--target", s.file("p.dat"), "--rw", "randread", "--size", "8m", "--iodepth", "2",
                               "--percentiles", "99.9,50,99", "--output-format", "json"])
        #expect(o.status == 0, "\(o.stderr)")
        let list = try #require(o.json?.at("jobs", "0", "read", "clat_ns", "percentiles") as? [[String: Any]])
        #expect(list.map { ($0["percentile"] as? NSNumber)?.doubleValue } == [50, 99, 99.9])
        let values = list.compactMap { ($0["value_ns"] as? NSNumber)?.intValue }
        #expect(values == values.sorted() && values.count == 3)
        #expect((o.json?.at("settings", "percentiles") as? [Any])?.count == 3)
        // The default is fio's list.
        let d = try tierbench(["run", "--target", s.file("p.dat"), "--rw", "randread", "--size", "1m", "--output-format", "json"])
        let fio = (d.json?.at("jobs", "0", "read", "lat_ns", "percentiles") as? [[String: Any]])?.compactMap { ($0["percentile"] as? NSNumber)?.doubleValue }
        #expect(fio == [1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.5, 99.9, 99.95, 99.99])
    }

    @Test func theEnvironmentAndTargetAreDescribed() throws {
        let s = Scratch()
        let o = try tierbench(["run", "--target", s.file("e.dat"), "--rw", "read", "--size", "4m", "--output-format", "json"])
        #expect(o.status == 0, "\(o.stderr)")
        let json = try #require(o.json)
        #expect(json["schema"] as? String == "tierbench/1")
        #expect((json.at("environment", "kernel") as? String)?.hasPrefix("Linux ") == true)
        #expect((json.int("environment", "cpus") ?? 0) >= 1)
        #expect(json["filesystem_type"] as? String != nil, "the file system holding /var/tmp")
        #expect((json["start_time_utc"] as? String)?.hasSuffix("Z") == true)
        #expect(json.at("jobs", "0", "engine", "reason") as? String != nil)
        #expect(json.int("jobs", "0", "parameters", "block_size_bytes") == 4096)
        if let device = json["device"] as? [String: Any] {
            #expect((device["logical_block_bytes"] as? Int ?? 0) >= 512)
        }
    }

    @Test func everyRequestedFormatGoesWhereItWasSent() throws {
        let s = Scratch()
        let o = try tierbench(["run", "--target", s.file("f.dat"), "--rw", "randread", "--size", "4m", "--iodepth", "4",
                               "--output-format", "json,csv,human", "--output", s.file("r.json"), "--output", s.file("r.csv")])
        #expect(o.status == 0, "\(o.stderr)")
        #expect(o.stdout.hasPrefix("target: "), "human, the one format without a file, on stdout")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: s.file("r.json")))) as? [String: Any]
        #expect(json?["schema"] as? String == "tierbench/1")
        let csv = try String(contentsOfFile: s.file("r.csv"), encoding: .utf8).split(separator: "\n")
        #expect(csv.first == "job,clone,interval,start_ns,duration_ns,direction,ios,bytes,iops,bandwidth_bytes_per_second,lat_mean_ns,lat_p99_ns")
        let rows: [[Substring]] = csv.dropFirst().map { $0.split(separator: ",") }
        var ios = 0
        for row in rows where row[1] == "0" { ios += Int(row[6]) ?? 0 }
        let expected: Int? = json?.int("jobs", "0", "read", "ios")
        #expect(ios == expected)
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.path).sorted() == ["f.dat", "r.csv", "r.json"], "no temporary files left")
    }

    @Test(arguments: [
        (["--output-format", "json,csv"], "sends 2 formats to stdout"),
        (["--output-format", "json,json", "--output", "a", "--output", "b"], "names json twice"),
        (["--output", "/nonexistent-dir/x.json"], "directory /nonexistent-dir does not exist"),
        (["--output", "/var/tmp"], "is a directory"),
        (["--percentiles", "50,101"], "'101' is not a percentile"),
        (["--interval", "1ms"], "shorter than 10ms"),
        (["--interval", "2s", "--status-interval", "1s", "--output-format", "json"], "differ"),
        (["--status-interval", "1s"], "add --output-format json"),
        (["--progress", "sometimes"], "--progress sometimes is not a choice"),
    ])
    func outputMistakesAreOneLineUsageErrors(_ extra: [String], _ fragment: String) throws {
        let s = Scratch()
        let o = try tierbench(["run", "--target", s.file("x.dat"), "--rw", "randread", "--size", "1m"] + extra)
        #expect(o.status == 2, "\(o.stderr)")
        #expect(o.stderr.contains(fragment), "\(o.stderr)")
        #expect(o.stderr.split(separator: "\n").count == 1 && o.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: s.file("x.dat")), "nothing ran, nothing was created")
    }

    @Test func statusIntervalStreamsJSONLines() throws {
        let s = Scratch()
        let o = try tierbench(["run", "--target", s.file("l.dat"), "--rw", "randread", "--size", "16m", "--iodepth", "4",
                               "--runtime", "1600ms", "--time-based", "--status-interval", "500ms", "--output-format", "json"])
        #expect(o.status == 0, "\(o.stderr)")
        let lines = o.stdout.split(separator: "\n")
        let records = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(records.count == lines.count, "every line is one JSON document")
        let intervals = records.filter { $0["type"] as? String == "interval" }
        #expect(intervals.count == 4, "3 full intervals and the rest, each on its own line")
        #expect(intervals.map { $0["index"] as? Int } == [0, 1, 2, 3])
        let result = try #require(records.last)
        #expect(result["type"] as? String == "result" && result["schema"] as? String == "tierbench/1")
        let streamed = intervals.map { $0.int("aggregate", "read", "ios") ?? 0 }.reduce(0, +)
        #expect(streamed == result.int("jobs", "0", "read", "ios"), "the stream adds up to the result")
    }

    @Test(arguments: [(SIGINT, Int32(130), "SIGINT"), (SIGTERM, Int32(143), "SIGTERM")])
    func aSignalStopsTheRunAndKeepsEveryCountedIO(_ signal: Int32, _ status: Int32, _ name: String) throws {
        let s = Scratch()
        let o = try tierbench(["run", "--target", s.file("i.dat"), "--rw", "randread", "--size", "16m", "--iodepth", "8",
                               "--runtime", "60s", "--time-based", "--output-format", "json", "--progress", "always"],
                              cues: [.signal(signal, when: .running("randread", for: 1))])
        #expect(o.status == status, "\(o.stderr)")
        let json = try #require(o.json, "a complete JSON document after the signal")
        #expect(json["interrupted"] as? Bool == true && json["interrupted_by"] as? String == name)
        let span = json.int("jobs", "0", "measured_span_ns") ?? 0
        #expect(span > 1_000_000_000 && span < 3_000_000_000, "measured \(span) ns before the signal at 1 s into the run")
        let ios = json.int("jobs", "0", "read", "ios") ?? 0
        let intervals = json.at("jobs", "0", "intervals") as? [[String: Any]] ?? []
        #expect(ios > 0 && intervals.map { $0.int("read", "ios") ?? 0 }.reduce(0, +) == ios, "no I/O lost between intervals and totals")
        #expect(json.int("jobs", "0", "read", "bytes") == ios * 4096)
        #expect(json.int("jobs", "0", "read", "lat_ns", "count") == ios)
    }
}
