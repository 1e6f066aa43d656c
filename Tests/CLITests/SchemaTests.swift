import Foundation
import Glibc
import Testing
import TestSupport

/// The package directory, from this file's path (Tests/CLITests/SchemaTests.swift).
let schemaPackageDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
let schemaFilePath = "\(schemaPackageDirectory)/schema/tierbench-1.schema.json"
/// Validates documents against the schema; outside the test target so SwiftPM sees no unhandled file.
let schemaValidatorScript = "\(schemaPackageDirectory)/schema/validate_schema.py"

/// /usr/bin/python3 when it can import jsonschema (Debian's python3-jsonschema), else nil.
let jsonschemaPython: String? = {
    guard access("/usr/bin/python3", X_OK) == 0 else { return nil }
    let o = try? execute("/usr/bin/python3", ["-c", "import jsonschema"])
    return o?.status == 0 ? "/usr/bin/python3" : nil
}()

let needsJSONSchema: ConditionTrait = .enabled(
    if: jsonschemaPython != nil,
    "needs /usr/bin/python3 with the jsonschema module to validate against schema/tierbench-1.schema.json (apt-get install python3-jsonschema)")

/// The CSV header, as `CSVReport.header` (Sources/Report/CSVReport.swift) writes it.
let expectedCSVHeader = "job,clone,interval,start_ns,duration_ns,direction,ios,bytes,iops,bandwidth_bytes_per_second,lat_mean_ns,lat_p99_ns"

/// tierbench's JSON output (`"schema": "tierbench/1"`) against schema/tierbench-1.schema.json: every
/// document of every kind (result, JSON Lines interval and result records) in every configuration
/// that makes an optional part appear; plus invariants a schema cannot state, and the CSV.
@Suite struct SchemaTests {
    // MARK: - The schema is not vacuous

    @Test(needsJSONSchema) func brokenDocumentsAreRejected() throws {
        let s = Scratch()
        let doc = try runAndValidate(s, "base.json", ["--target", s.file("n.dat"), "--rw", "read", "--size", "1m"])
        let sample = try #require((doc.at("aggregates", "0", "intervals") as? [Any])?.first, "one interval at least")
        var cloneSample = sample as? [String: Any] ?? [:]
        cloneSample["clone"] = 0
        let interval: [String: Any] = [
            "type": "interval", "schema": "tierbench/1", "name": "read", "job_index": 0, "index": 0,
            "aggregate": sample, "per_clone": [cloneSample],
        ]
        // Documents that must validate: the base re-encoded, and an interval record built from it.
        let controls: [(String, Any)] = [("control-result", doc), ("control-interval", interval)]
        let broken: [(String, Any)] = [
            ("missing-required-key", edited(doc, ["jobs", "0", "read", "lat_ns", "count"], nil)),
            ("string-for-number", edited(doc, ["jobs", "0", "read", "iops"], "inf")),
            ("fraction-for-integer", edited(doc, ["jobs", "0", "measured_span_ns"], 1.5)),
            ("negative-count", edited(doc, ["aggregates", "0", "read", "ios"], -1)),
            ("unknown-key", edited(doc, ["jobs", "0", "read", "iops_per_watt"], 1)),
            ("unknown-rw", edited(doc, ["jobs", "0", "parameters", "rw"], "sideways")),
            ("other-schema-version", edited(doc, ["schema"], "tierbench/2")),
            ("null-for-absent", edited(doc, ["layout"], NSNull())),
            ("write-summary-on-a-read-job", edited(doc, ["jobs", "0", "write"], doc.at("jobs", "0", "read"))),
            ("interval-type-on-a-result", edited(doc, ["type"], "interval")),
            ("interval-without-clones", edited(interval, ["per_clone"], [Any]())),
        ]
        var files: [(name: String, path: String, valid: Bool)] = []
        for (name, value) in controls + broken {
            let path = s.file("\(name).json")
            try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]).write(to: URL(fileURLWithPath: path))
            files.append((name, path, controls.contains { $0.0 == name }))
        }
        // Not strict JSON: the same key twice in one object.
        let duplicate = s.file("duplicate-key.json")
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: s.file("control-result.json"))), as: UTF8.self)
        try ("{\"failed\":false," + text.dropFirst()).write(toFile: duplicate, atomically: false, encoding: .utf8)
        files.append(("duplicate-key", duplicate, false))

        let o = try execute(jsonschemaPython!, [schemaValidatorScript, schemaFilePath] + files.map(\.path))
        #expect(o.status == 1, "the validator fails when a document does not validate: \(o.stdout)\(o.stderr)")
        let lines = o.stdout.split(separator: "\n")
        for f in files {
            let ok = lines.contains { $0.hasPrefix("\(f.path): ok") }
            let complaint = lines.first { $0.hasPrefix("\(f.path): ") && !$0.hasPrefix("\(f.path): ok") }
            if f.valid {
                #expect(ok && complaint == nil, "\(f.name) should validate:\n\(o.stdout)")
            } else {
                #expect(!ok && complaint != nil, "\(f.name) should be rejected:\n\(o.stdout)")
            }
        }
    }

    // MARK: - Plain result documents

    @Test(needsJSONSchema) func defaultSuite() throws {
        let s = Scratch()
        let json = try runAndValidate(s, "suite.json", ["--runtime", "300ms", "--ramp-time", "100ms"], cwd: s.path)
        let jobs = json["jobs"] as? [[String: Any]] ?? []
        #expect(jobs.map { $0.at("parameters", "rw") as? String } == ["write", "read", "randread", "randwrite", "randrw"])
        #expect(json.at("target", "scratch") as? Bool == true)
        #expect(json.int("layout", "bytes") == 1 << 30)
        #expect(json.int("jobs", "0", "parameters", "ramp_time_ns") == 100_000_000)
        #expect(json["interrupted_by"] == nil && json["failed"] as? Bool == false)
    }

    @Test(needsJSONSchema) func readJobOnANewFileHasALayoutAndADigest() throws {
        let s = Scratch()
        let json = try runAndValidate(s, "read.json", ["--target", s.file("r.dat"), "--rw", "read", "--size", "4m", "--bs", "64k",
                                                       "--iodepth", "4", "--checksum-reads"])
        #expect(json.at("target", "created") as? Bool == true)
        #expect(json.at("target", "scratch") as? Bool == false)
        #expect(json.int("layout", "bytes") == 4 << 20)
        #expect(json.at("jobs", "0", "read_digest") != nil)
        #expect(json.int("jobs", "0", "read", "ios") == 64)
    }

    @Test(needsJSONSchema) func randrwWithTwoClones() throws {
        let s = Scratch()
        let json = try runAndValidate(s, "randrw.json", ["--target", s.file("m.dat"), "--rw", "randrw", "--size", "4m", "--numjobs", "2",
                                                         "--offset-increment", "4m", "--iodepth", "4", "--runtime", "600ms",
                                                         "--time-based", "--interval", "200ms"])
        #expect((json["jobs"] as? [Any])?.count == 2)
        #expect(json.int("aggregates", "0", "clones") == 2)
        #expect(json.int("jobs", "1", "range_start_bytes") == 4 << 20)
        #expect(json.int("settings", "interval_ns") == 200_000_000)
        #expect(((json.at("aggregates", "0", "intervals") as? [Any])?.count ?? 0) >= 3)
    }

    /// Issue 4's job parameters: block sizes per direction, a distribution, rates, thinktime, loops.
    @Test(needsJSONSchema) func workloadShapeParameters() throws {
        let s = Scratch()
        let json = try runAndValidate(s, "shape.json", ["--target", s.file("w.dat"), "--rw", "randrw", "--size", "4m", "--direct", "0",
                                                        "--bssplit", "4k/40:16k/,", "--bsrange", ",8k-32k", "--random-distribution", "zipf:1.2:0.5",
                                                        "--rate", "64m,", "--rate-iops", ",2000", "--thinktime", "50us", "--thinktime-blocks", "8",
                                                        "--loops", "2", "--iodepth", "4"])
        let p = try #require(json.at("jobs", "0", "parameters") as? [String: Any])
        #expect(p.int("block_sizes", "read", "split", "1", "percent") == 60)
        #expect(p.int("block_sizes", "write", "max_bytes") == 32768 && p.int("block_size_bytes") == 32768)
        #expect(p.at("random_distribution", "kind") as? String == "zipf" && p["random_map"] as? Bool == false)
        #expect(p.int("rate", "read") == 64 << 20 && p.at("rate", "write") == nil && p.int("rate_iops", "write") == 2000)
        #expect(p.int("thinktime_ns") == 50_000 && p.int("thinktime_blocks") == 8 && p.int("loops") == 2)
        #expect(p["stonewall"] as? Bool == true && json.int("jobs", "0", "group_index") == 0)
        #expect(json["groups"] == nil)
    }

    /// fio's written-data, log and durability options are in the job's parameters, as the schema says.
    @Test(needsJSONSchema) func fioDataLogAndSyncOptions() throws {
        let s = Scratch()
        let job = s.write("data.fio", """
            [global]
            filename=\(s.file("d.dat"))
            size=256k
            bs=4k
            log_avg_msec=100
            [w]
            rw=write
            buffer_compress_percentage=50
            dedupe_percentage=20
            buffer_pattern=0xdeadbeef
            refill_buffers
            write_bw_log=w
            write_lat_log=w
            log_offset=1
            fdatasync=4
            end_fsync=1
            """)
        let json = try runAndValidate(s, "data.json", [job], cwd: s.path)
        let p = try #require(json.at("jobs", "0", "parameters") as? [String: Any])
        #expect(p.int("write_data", "compress_percentage") == 50 && p.int("write_data", "dedupe_percentage") == 20)
        #expect(p.int("logs", "average_milliseconds") == 100 && p.at("logs", "bandwidth") as? String == "w")
        #expect(p.int("durability", "fdatasync_every") == 4)
    }

    /// Per-I/O logs beside a histogram log: no log_avg_msec, log_hist_msec's window.
    @Test(needsJSONSchema) func perIOLogParameters() throws {
        let s = Scratch()
        let job = s.write("perio.fio", "[r]\nfilename=\(s.file("p.dat"))\nrw=randread\nsize=64k\nbs=4k\nwrite_iops_log=p\nwrite_hist_log=p\nlog_hist_msec=100\n")
        let json = try runAndValidate(s, "perio.json", [job], cwd: s.path)
        let logs = try #require(json.at("jobs", "0", "parameters", "logs") as? [String: Any])
        #expect(logs["average_milliseconds"] == nil && logs.int("histogram_milliseconds") == 100, "\(logs)")
    }

    /// fio's steady state: the job's parameters and each clone's result, as the schema says.
    @Test(needsJSONSchema) func fioSteadyState() throws {
        let s = Scratch()
        let job = s.write("ss.fio", """
            [ss]
            filename=\(s.dataFile("ss.dat", bytes: 1 << 20))
            rw=randread
            bs=4k
            time_based
            runtime=20
            rate_iops=100
            ss=iops_slope:50%
            ss_dur=2
            ss_ramp=1
            """)
        let json = try runAndValidate(s, "ss.json", [job], cwd: s.path)
        let p = try #require(json.at("jobs", "0", "parameters", "steady_state") as? [String: Any])
        #expect(p["metric"] as? String == "iops" && p["slope"] as? Bool == true && p.int("ramp_nanoseconds") == 1_000_000_000)
        #expect(json.at("jobs", "0", "steady_state", "attained") as? Bool == true)
    }

    /// The options of fio job files from the wild are in the job's parameters, as the schema says.
    @Test(needsJSONSchema) func fioOffsetSizeAndPlacementOptions() throws {
        let s = Scratch()
        let job = s.write("wild.fio", """
            [global]
            filename=\(s.file("w.dat"))
            size=1m
            bs=4k
            [holes]
            rw=write:8k
            [zoned]
            stonewall
            rw=randread
            random_distribution=zoned:60/10:40/90
            percentage_random=50
            io_size=512k
            cpus_allowed=0
            invalidate=1
            [half]
            stonewall
            rw=randread:4
            size=50%
            """)
        let json = try runAndValidate(s, "wild.json", [job], cwd: s.path)
        #expect(json.int("jobs", "0", "parameters", "sequential_hole_bytes") == 8192)
        #expect(json.at("jobs", "1", "parameters", "random_distribution", "kind") as? String == "zoned")
        #expect(json.int("jobs", "1", "parameters", "io_size_bytes") == 512 << 10)
        #expect(json.int("jobs", "2", "parameters", "random_every") == 4 && json.int("jobs", "2", "parameters", "size_percent") == 50)
    }

    @Test(needsJSONSchema) func psyncEngine() throws {
        let s = Scratch()
        let json = try runAndValidate(s, "psync.json", ["--target", s.file("p.dat"), "--rw", "readwrite", "--size", "2m",
                                                        "--ioengine", "psync", "--iodepth", "4"])
        let engine = json.at("jobs", "0", "engine") as? [String: Any]
        #expect(engine?["name"] as? String == "psync")
        #expect(engine?["ring_flags"] == nil)
        #expect(engine?["reason"] as? String == "--ioengine psync")
    }

    /// Jobs with their own files: each job's `files`, the run's `target` the first job's.
    @Test(needsJSONSchema) func jobsWithTheirOwnFiles() throws {
        let s = Scratch()
        let job = s.write("files.fio", "[global]\nsize=64k\n[a]\nrw=write\nfilename=a.dat\n[b]\nrw=read\nfilename=b.dat\n")
        let json = try runAndValidate(s, "files.json", [job], cwd: s.path)
        #expect(json.at("jobs", "0", "files") as? [String] == ["a.dat"] && json.at("jobs", "1", "files") as? [String] == ["b.dat"])
        #expect(json.at("target", "path") as? String == "a.dat")
    }

    @Test(needsJSONSchema) func chosenPercentiles() throws {
        let s = Scratch()
        let json = try runAndValidate(s, "pct.json", ["--target", s.file("q.dat"), "--rw", "randread", "--size", "2m",
                                                      "--percentiles", "99.9,50,99"])
        #expect((json.at("settings", "percentiles") as? [NSNumber])?.map(\.doubleValue) == [50, 99, 99.9])
        // checkInvariants: every latency report lists exactly these.
    }

    /// Failed I/Os: the file shrinks to nothing under a running read job, so every read returns 0 bytes (EIO).
    @Test(needsJSONSchema, arguments: [true, false])
    func ioErrors(continueOnError: Bool) throws {
        let s = Scratch()
        let file = s.dataFile("e.dat", bytes: 1 << 20)
        let json = try runAndValidate(s, "errors.json", ["--target", file, "--rw", "randread", "--size", "1m", "--iodepth", "2",
                                                         "--runtime", "1s", "--time-based", "--progress", "always"] + (continueOnError ? ["--continue-on-error"] : []),
                                      status: continueOnError ? 0 : 1, cues: [Cue(when: .running("randread")) { _ in _ = truncate(file, 0) }])
        #expect((json.int("jobs", "0", "errors", "EIO") ?? 0) > 0, "\(json.at("jobs", "0", "errors") ?? "no errors")")
        #expect(json.int("aggregates", "0", "errors", "EIO") == json.int("jobs", "0", "errors", "EIO"))
        #expect((json.at("jobs", "0", "first_error") as? String)?.contains("0 bytes") == true)
        #expect(json.at("jobs", "0", "failed") as? Bool == !continueOnError)
        #expect(json["failed"] as? Bool == !continueOnError)
    }

    @Test(needsJSONSchema) func interruptedBySIGINT() throws {
        let s = Scratch()
        let json = try runAndValidate(s, "intr.json", ["--target", s.file("i.dat"), "--rw", "randread", "--size", "8m", "--iodepth", "8",
                                                       "--runtime", "60s", "--time-based", "--progress", "always"],
                                      status: 130, cues: [.signal(SIGINT, when: .running("randread", for: 1))])
        #expect(json["interrupted"] as? Bool == true)
        #expect(json["interrupted_by"] as? String == "SIGINT")
        #expect(json.at("jobs", "0", "interrupted") as? Bool == true)
        let runtime = json.int("jobs", "0", "measured_span_ns") ?? 0
        #expect(runtime > 100_000_000 && runtime < 3_000_000_000, "measured \(runtime) ns before the signal")
    }

    @Test(.enabled(if: isRoot && which("losetup") != nil && access("/dev/loop-control", F_OK) == 0,
                   "needs root, losetup and /dev/loop-control to attach a loop device"),
          needsJSONSchema)
    func blockDeviceTarget() throws {
        let s = Scratch()
        let image = s.file("loop.img")
        _ = FileManager.default.createFile(atPath: image, contents: nil)
        try #require(truncate(image, 16 << 20) == 0)
        let losetup = which("losetup")!
        let attach = try execute(losetup, ["-f", "--show", "--direct-io=on", image])
        try #require(attach.status == 0, "losetup: \(attach.stderr)")
        let device = attach.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        defer {
            let detach = try? execute(losetup, ["-d", device])
            #expect(detach?.status == 0, "losetup -d \(device): \(detach?.stderr ?? "")")
        }
        let json = try runAndValidate(s, "device.json", ["--target", device, "--rw", "randrw", "--size", "8m", "--iodepth", "4",
                                                         "--runtime", "500ms", "--time-based", "--allow-device-writes"])
        #expect(json.at("target", "kind") as? String == "block_device")
        #expect(json.int("target", "size_bytes") == 16 << 20)
        #expect(json.at("device", "name") as? String == String(device.dropFirst("/dev/".count)))
        #expect(json["filesystem_type"] == nil && json["layout"] == nil)
    }

    // MARK: - JSON Lines

    @Test(needsJSONSchema) func statusIntervalJSONLines() throws {
        let s = Scratch()
        let o = try tierbench(["run", "--target", s.file("l.dat"), "--rw", "randrw", "--size", "8m", "--numjobs", "2", "--iodepth", "4",
                               "--runtime", "1s", "--time-based", "--status-interval", "200ms", "--output-format", "json"])
        #expect(o.status == 0, "\(o.stderr)")
        let path = s.file("stream.jsonl")
        try o.stdout.write(toFile: path, atomically: false, encoding: .utf8)
        try expectSchemaValid([path])

        #expect(o.stdout.hasSuffix("\n") && !o.stdout.contains("\n\n"), "one record per line")
        let records = try o.stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line.prefix(200))")
        }
        let result = try #require(records.last)
        #expect(result["type"] as? String == "result")
        let intervals = records.dropLast()
        #expect(intervals.allSatisfy { $0["type"] as? String == "interval" })
        #expect(intervals.count >= 5, "1 s in 200 ms intervals: \(intervals.count) records")
        checkInvariants(result)

        let aggregates = result["aggregates"] as? [[String: Any]] ?? []
        #expect(aggregates.count == 1)
        for aggregate in aggregates {
            let job = aggregate["job_index"] as? Int
            let mine = intervals.filter { $0["job_index"] as? Int == job }
            #expect(mine.map { $0["index"] as? Int } == Array(0..<mine.count))
            #expect(mine.allSatisfy { $0["name"] as? String == aggregate["name"] as? String })
            // The records carry the same samples as the result's merged series.
            let series = aggregate["intervals"] as? [Any] ?? []
            #expect(series.count == mine.count)
            for (record, sample) in zip(mine, series) {
                #expect((record["aggregate"] as? NSDictionary)?.isEqual(to: sample as? [String: Any] ?? [:]) == true,
                        "record \(record["index"] ?? "?") differs from the result's interval")
            }
            for dir in ["read", "write"] {
                let summed = mine.reduce(0) { $0 + ($1.at("aggregate", dir, "ios") as? Int ?? 0) }
                #expect(summed == aggregate.int(dir, "ios"), "\(dir) I/Os over the interval records vs the result's aggregate")
                for record in mine {
                    let clones = record["per_clone"] as? [[String: Any]] ?? []
                    #expect(clones.count >= 1 && clones.count <= 2)
                    #expect(clones.map { $0["clone"] as? Int } == Array(0..<clones.count).map { Optional($0) } || clones.count == 1)
                    #expect(clones.reduce(0) { $0 + ($1.int(dir, "ios") ?? 0) } == record.int("aggregate", dir, "ios"))
                }
            }
        }
    }

    // MARK: - CSV

    @Test func csvRowsMatchTheJSONOfTheSameRun() throws {
        let s = Scratch()
        let name = "mix, \"quoted\""  // a comma and quotes: the CSV must quote the field
        let o = try tierbench(["run", "--target", s.file("c.dat"), "--rw", "randrw", "--size", "4m", "--numjobs", "2", "--iodepth", "2",
                               "--runtime", "700ms", "--time-based", "--interval", "200ms", "--name", name,
                               "--output-format", "json,csv", "--output", s.file("a.json"), "--output", s.file("b.csv")])
        #expect(o.status == 0, "\(o.stderr)")
        #expect(o.stdout.isEmpty)
        if jsonschemaPython != nil { try expectSchemaValid([s.file("a.json")]) }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: s.file("a.json")))) as? [String: Any])
        checkInvariants(json)
        let csv = try String(contentsOfFile: s.file("b.csv"), encoding: .utf8)
        #expect(csv.hasSuffix("\n") && !csv.contains("\n\n"))
        var lines = csv.split(separator: "\n")
        try #require(lines.first.map(String.init) == expectedCSVHeader, "header: \(lines.first ?? "none")")
        lines.removeFirst()
        #expect(json.at("jobs", "0", "name") as? String == name)
        #expect(csv.contains("\n\"mix, \"\"quoted\"\"\",0,0,"), "the job name is quoted as RFC 4180 says")

        // Expected rows, in order: per job, each clone's intervals, then "all" when numjobs > 1; per interval, read, write, sync.
        var expected: [(job: String, clone: String, sample: [String: Any], direction: String)] = []
        let jobs = json["jobs"] as? [[String: Any]] ?? []
        for aggregate in json["aggregates"] as? [[String: Any]] ?? [] {
            func add(_ job: String, _ clone: String, _ intervals: Any?) {
                for sample in intervals as? [[String: Any]] ?? [] {
                    for dir in ["read", "write", "sync"] where sample[dir] != nil { expected.append((job, clone, sample, dir)) }
                }
            }
            for job in jobs where job["job_index"] as? Int == aggregate["job_index"] as? Int {
                add(job["name"] as? String ?? "", "\(job["clone"] ?? "")", job["intervals"])
            }
            if (aggregate["clones"] as? Int ?? 0) > 1 { add(aggregate["name"] as? String ?? "", "all", aggregate["intervals"]) }
        }
        #expect(lines.count == expected.count, "one row per interval x clone (and all) x direction")
        #expect(expected.contains { $0.clone == "all" })
        for (line, e) in zip(lines, expected) {
            let f = csvFields(line)
            guard f.count == 12 else { Issue.record("12 fields: \(line)"); continue }
            let d = e.sample[e.direction] as? [String: Any] ?? [:]
            let row = "row \(line)"
            #expect(f[0] == e.job && f[1] == e.clone && f[5] == e.direction, "\(row)")
            #expect(f[2] == "\(e.sample["index"] ?? "")" && f[3] == "\(e.sample["start_ns"] ?? "")" && f[4] == "\(e.sample["duration_ns"] ?? "")", "\(row)")
            #expect(Int(f[6]) == d["ios"] as? Int && Int(f[7]) == d["bytes"] as? Int && Int(f[11]) == d["lat_p99_ns"] as? Int, "\(row)")
            for (i, key) in [(8, "iops"), (9, "bandwidth_bytes_per_second"), (10, "lat_mean_ns")] {
                let v = (d[key] as? NSNumber)?.doubleValue ?? .nan
                #expect(abs((Double(f[i]) ?? .infinity) - v) <= 0.0005 + abs(v) * 1e-12, "\(key) in \(row)")
            }
        }
        // The ios column summed per clone and direction equals that clone's I/Os in the JSON.
        let rows = lines.map { csvFields($0) }.filter { $0.count == 12 }
        func iosColumn(clone: String, direction: String) -> Int {
            var sum = 0
            for f in rows where f[1] == clone && f[5] == direction { sum += Int(f[6]) ?? 0 }
            return sum
        }
        for dir in ["read", "write"] {
            for job in jobs {
                let clone = "\(job["clone"] ?? "")"
                #expect(iosColumn(clone: clone, direction: dir) == job.int(dir, "ios"), "clone \(clone) \(dir)")
            }
            let all = iosColumn(clone: "all", direction: dir)
            #expect(all == json.int("aggregates", "0", dir, "ios"), "all \(dir)")
        }
    }
}

// MARK: - Helpers

extension SchemaTests {
    /// Validates `files` (.json: one document; .jsonl: one per line) against the schema; a failure
    /// carries the validator's report (file, line, JSON path, message).
    func expectSchemaValid(_ files: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let python = try #require(jsonschemaPython, "python3-jsonschema is missing", sourceLocation: sourceLocation)
        let o = try execute(python, [schemaValidatorScript, schemaFilePath] + files)
        #expect(o.status == 0, "not valid tierbench/1:\n\(o.stdout)\(o.stderr)", sourceLocation: sourceLocation)
    }

    /// `tierbench run ARGUMENTS --output-format json`: checks the exit status, keeps stdout as `file`
    /// in `s`, validates it and the invariants, and returns it parsed.
    func runAndValidate(_ s: Scratch, _ file: String, _ arguments: [String], status: Int32 = 0, cwd: String? = nil,
                        cues: [Cue] = [], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let o = try tierbench(["run"] + arguments + ["--output-format", "json"], cwd: cwd, cues: cues)
        #expect(o.status == status, "exit status \(o.status): \(o.stderr)", sourceLocation: sourceLocation)
        let path = s.file(file)
        try o.stdout.write(toFile: path, atomically: false, encoding: .utf8)
        try expectSchemaValid([path], sourceLocation: sourceLocation)
        let json = try #require(o.json, "stdout is one JSON document: \(o.stdout.prefix(300))", sourceLocation: sourceLocation)
        checkInvariants(json, sourceLocation: sourceLocation)
        return json
    }

    /// What the schema cannot say: every latency report lists settings.percentiles and counts the
    /// direction's I/Os (its bins too); the intervals add up to the summary and sit on the interval
    /// grid; an aggregate adds up its clones.
    func checkInvariants(_ doc: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) {
        let percentiles = (doc.at("settings", "percentiles") as? [NSNumber])?.map(\.doubleValue) ?? []
        let intervalNs = doc.int("settings", "interval_ns") ?? 0
        let jobs = doc["jobs"] as? [[String: Any]] ?? []
        let aggregates = doc["aggregates"] as? [[String: Any]] ?? []
        let entries = jobs.map { ("jobs \($0["name"] ?? "") clone \($0["clone"] ?? "")", $0) }
            + aggregates.map { ("aggregate \($0["name"] ?? "")", $0) }
        for (label, entry) in entries {
            let intervals = entry["intervals"] as? [[String: Any]] ?? []
            #expect(intervals.map { $0["index"] as? Int } == Array(0..<intervals.count), "\(label): interval indexes", sourceLocation: sourceLocation)
            for sample in intervals {
                let index = sample["index"] as? Int ?? -1
                #expect(sample["start_ns"] as? Int == index * intervalNs, "\(label): interval \(index) starts on the grid", sourceLocation: sourceLocation)
                #expect((sample["duration_ns"] as? Int ?? .max) <= intervalNs, "\(label): interval \(index) length", sourceLocation: sourceLocation)
            }
            for dir in ["read", "write"] {
                guard let summary = entry[dir] as? [String: Any] else { continue }
                let ios = summary["ios"] as? Int
                for measure in ["slat_ns", "clat_ns", "lat_ns"] {
                    let report = summary[measure] as? [String: Any] ?? [:]
                    #expect(report["count"] as? Int == ios, "\(label) \(dir) \(measure) count", sourceLocation: sourceLocation)
                    let listed = (report["percentiles"] as? [[String: Any]])?.compactMap { ($0["percentile"] as? NSNumber)?.doubleValue }
                    #expect(listed == percentiles, "\(label) \(dir) \(measure) percentiles", sourceLocation: sourceLocation)
                    let binned = (report["bins"] as? [[Int]])?.reduce(0) { $0 + ($1.last ?? 0) }
                    #expect(binned == ios, "\(label) \(dir) \(measure) bins add up to the count", sourceLocation: sourceLocation)
                }
                let summed = intervals.reduce(0) { $0 + ($1.int(dir, "ios") ?? 0) }
                #expect(summed == ios, "\(label) \(dir): I/Os over the intervals", sourceLocation: sourceLocation)
            }
        }
        for aggregate in aggregates {
            let clones = jobs.filter { $0["job_index"] as? Int == aggregate["job_index"] as? Int }
            #expect(clones.count == aggregate["clones"] as? Int, "aggregate \(aggregate["name"] ?? ""): clones", sourceLocation: sourceLocation)
            #expect(clones.map { $0["clone"] as? Int } == Array(0..<clones.count), sourceLocation: sourceLocation)
            for dir in ["read", "write"] {
                let summed = clones.reduce(0) { $0 + ($1.int(dir, "ios") ?? 0) }
                #expect(summed == aggregate.int(dir, "ios") ?? 0, "aggregate \(aggregate["name"] ?? "") \(dir) I/Os", sourceLocation: sourceLocation)
            }
        }
    }

    /// `value` with the element at `path` (object keys, array indexes) replaced by `new`, or removed when `new` is nil.
    func edited(_ value: Any, _ path: [String], _ new: Any?) -> Any {
        func replace(_ value: Any, _ path: ArraySlice<String>) -> Any? {
            guard let key = path.first else { return new }
            if var array = value as? [Any], let i = Int(key), i < array.count {
                if let v = replace(array[i], path.dropFirst()) { array[i] = v } else { array.remove(at: i) }
                return array
            }
            var object = value as? [String: Any] ?? [:]
            object[key] = path.count == 1 ? new : object[key].flatMap { replace($0, path.dropFirst()) }
            return object
        }
        return replace(value, path[...]) ?? NSNull()
    }

    /// The fields of one RFC 4180 CSV line.
    func csvFields(_ line: Substring) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if quoted {
                if c == "\"" {
                    let next = line.index(after: i)
                    if next < line.endIndex && line[next] == "\"" {
                        field.append("\"")
                        i = line.index(after: next)
                        continue
                    }
                    quoted = false
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(field)
                field = ""
            } else {
                field.append(c)
            }
            i = line.index(after: i)
        }
        fields.append(field)
        return fields
    }
}
