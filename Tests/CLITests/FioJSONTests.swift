import Foundation
import Glibc
import Testing
import TestSupport

/// `--output-format fio-json`: fio 3.x json+ as fio writes it, checked against real fio (the key
/// sets), against tierbench's own JSON of the same run (the values), and by the readers that
/// exist: fio's `fio_jsonplus_clat2csv` and `fio-plot` (PyPI).
///
/// A test whose tool is missing prints why and returns. CI installs them with
/// `apt-get install -y fio python3-six python3-venv` and
/// `python3 -m venv /opt/tierbench-venv && /opt/tierbench-venv/bin/pip install fio-plot`.
@Suite struct FioJSONTests {
    // MARK: (1) Every key fio writes, tierbench writes.

    /// Keys fio writes that tierbench deliberately does not, with the reason.
    static let exceptions: [String: String] = [
        "disk_util[]": "tierbench does not sample the device's I/O counters; its disk_util list is empty (as fio's on tmpfs)",
        "bins{}": "bins are keyed by latency values, which differ from run to run; only the presence of `bins` is compared",
        "options{}": "\"job options\" and \"global options\" are compared merged (as fio-plot reads them): tierbench puts "
            + "the target in the global options and ioengine/direct in each job's",
    ]

    @Test(arguments: ["read", "write", "randrw"])
    func keysAreASupersetOfRealFios(rw: String) throws {
        guard let fio = fioPath else { print("skipping: fio is not installed (apt-get install fio)"); return }
        let s = Scratch()
        let file = s.dataFile("keys.dat", bytes: 4 << 20)
        let options = ["--rw=\(rw)", "--bs=4k", "--size=4m", "--iodepth=4", "--numjobs=1"]
        // Options before the first --name are fio's global options (so fio writes "global options").
        // psync: the keys do not depend on the engine, and it runs where io_uring is refused.
        let f = try Self.fioJSONPlus(fio, ["--ioengine=psync", "--direct=1", "--name=\(rw)", "--filename=\(file)"] + options)
        let o = try tierbench(["run", "--target", file, "--rw", rw, "--bs", "4k", "--size", "4m", "--iodepth", "4",
                               "--numjobs", "1", "--overwrite", "--output-format", "fio-json"])
        #expect(o.status == 0, "\(o.stderr)")
        let t = try #require(o.json, "fio-json is one JSON document: \(o.stdout.prefix(200))")

        var missing: [String] = []
        Self.missingKeys(fio: f, ours: t, path: "", into: &missing)
        #expect(missing.isEmpty, "keys fio 3.x json+ writes that tierbench's fio-json lacks (\(rw)): \(missing)")

        // The options both were given carry the same fio-style values.
        let fioOptions = Self.mergedOptions(f), ours = Self.mergedOptions(t)
        for key in ["rw", "bs", "size", "iodepth", "numjobs", "direct"] {
            #expect(ours[key] as? String == fioOptions[key] as? String, "job option \(key)")
        }
        #expect(ours["filename"] as? String == file)
    }

    /// Walks fio's document; every key of every object must be in tierbench's at the same place.
    static func missingKeys(fio: Any, ours: Any?, path: String, into missing: inout [String]) {
        if let f = fio as? [String: Any] {
            guard let t = ours as? [String: Any] else { missing.append("\(path) (not an object)"); return }
            for (key, value) in f {
                let here = "\(path)/\(key)"
                guard let theirs = t[key] else { missing.append(here); continue }
                // Exceptions: see `exceptions`.
                if key == "job options" || key == "global options" || key == "bins" || key == "disk_util" { continue }
                missingKeys(fio: value, ours: theirs, path: here, into: &missing)
            }
            if path.isEmpty {
                let ours = mergedOptions(t)
                for key in mergedOptions(f).keys.sorted() where ours[key] == nil { missing.append("options/\(key)") }
            }
        } else if let f = fio as? [Any] {
            guard let t = ours as? [Any] else { missing.append("\(path) (not an array)"); return }
            if t.count != f.count { missing.append("\(path) (\(t.count) entries, fio \(f.count))") }
            for (i, element) in f.enumerated() where i < t.count {
                missingKeys(fio: element, ours: t[i], path: "\(path)[\(i)]", into: &missing)
            }
        }
    }

    /// The first job's options with the global options over them (fio-plot's view).
    static func mergedOptions(_ document: [String: Any]) -> [String: Any] {
        var options = (document.at("jobs", "0", "job options") as? [String: Any]) ?? [:]
        for (k, v) in (document["global options"] as? [String: Any]) ?? [:] { options[k] = v }
        return options
    }

    /// fio's json+ for a job given as command-line options.
    static func fioJSONPlus(_ fio: String, _ arguments: [String]) throws -> [String: Any] {
        let o = try execute(fio, ["--output-format=json+"] + arguments)
        #expect(o.status == 0, "fio: \(o.stderr)")
        // fio may print notes before the JSON document.
        let start = o.stdout.firstIndex(of: "{") ?? o.stdout.startIndex
        return try #require(try JSONSerialization.jsonObject(with: Data(o.stdout[start...].utf8)) as? [String: Any])
    }

    // MARK: Keys come in fio's order; dynamic keys ascending.

    @Test func keysComeInFiosOrder() throws {
        let s = Scratch()
        let file = s.dataFile("order.dat", bytes: 4 << 20)
        let o = try tierbench(["run", "--target", file, "--rw", "randrw", "--bs", "4k", "--size", "4m", "--iodepth", "4",
                               "--overwrite", "--output-format", "fio-json"])
        #expect(o.status == 0, "\(o.stderr)")
        let text = o.stdout
        // fio 3.33's order (stat.c: show_thread_status_json, add_ddir_status_json, add_ddir_lat_json);
        // only keys that occur in one kind of object, so their first occurrence is in that object.
        let top = ["fio version", "timestamp", "timestamp_ms", "time", "global options", "jobs", "disk_util"]
        let job = ["jobname", "groupid", "error", "eta", "elapsed", "job options", "read", "write", "trim", "sync",
                   "job_runtime", "usr_cpu", "sys_cpu", "ctx", "majf", "minf", "iodepth_level", "iodepth_submit",
                   "iodepth_complete", "latency_ns", "latency_us", "latency_ms", "latency_depth", "latency_target",
                   "latency_percentile", "latency_window"]
        let direction = ["io_bytes", "io_kbytes", "bw_bytes", "bw", "iops", "total_ios", "short_ios", "drop_ios", "slat_ns",
                         "clat_ns", "bw_min", "bw_max", "bw_agg", "bw_mean", "bw_dev", "bw_samples", "iops_min", "iops_max",
                         "iops_mean", "iops_stddev", "iops_samples"]
        let latency = ["min", "max", "mean", "stddev", "N", "percentile", "bins"]
        for order in [top, job, direction, latency] {
            let positions = order.map { text.range(of: "\"\($0)\" :")?.lowerBound }
            #expect(positions.allSatisfy { $0 != nil }, "\(order)")
            let found = positions.compactMap { $0 }
            #expect(found == found.sorted(), "keys out of fio's order: \(order)")
        }
        // Percentiles and bins ascending, as fio writes them.
        for block in ["percentile", "bins"] {
            let start = try #require(text.range(of: "\"\(block)\" : {"))
            let body = text[start.upperBound...].prefix { $0 != "}" }
            let keys = body.split(separator: "\n").compactMap { line -> Double? in
                guard let q = line.firstIndex(of: "\""), let e = line[line.index(after: q)...].firstIndex(of: "\"") else { return nil }
                return Double(line[line.index(after: q)..<e])
            }
            #expect(keys.count > 1 && keys == keys.sorted(), "\(block) keys ascending")
        }
        let buckets = try #require(text.range(of: "\"latency_ms\" : {"))
        let labels = text[buckets.upperBound...].prefix { $0 != "}" }.split(separator: "\n")
            .compactMap { $0.split(separator: "\"").dropFirst().first.map(String.init) }
        #expect(labels == ["2", "4", "10", "20", "50", "100", "250", "500", "750", "1000", "2000", ">=2000"])
    }

    // MARK: (2) The values are tierbench's own.

    @Test func valuesAgreeWithTierbenchJSONOfTheSameRun() throws {
        let s = Scratch()
        let file = s.dataFile("values.dat", bytes: 8 << 20)
        let (ourPath, fioFile) = (s.file("run.json"), s.file("run.fio.json"))
        let o = try tierbench(["run", "--target", file, "--rw", "randrw", "--rwmixread", "70", "--bs", "4k", "--size", "4m",
                               "--iodepth", "4", "--numjobs", "2", "--offset-increment", "4m", "--percentiles", "50,99,99.9",
                               "--overwrite", "--output-format", "json,fio-json", "--output", ourPath, "--output", fioFile])
        #expect(o.status == 0, "\(o.stderr)")
        let t = try Self.load(ourPath), f = try Self.load(fioFile)

        #expect(f["fio version"] as? String == "tierbench-\(t["version"] as? String ?? "?")")
        let start = try #require(ISO8601DateFormatter().date(from: t["start_time_utc"] as? String ?? ""))
        let stamp = Double(f.int("timestamp_ms") ?? 0) / 1000
        #expect(stamp >= start.timeIntervalSince1970 && stamp <= Date().timeIntervalSince1970 + 1, "written after the run started")
        #expect(f.int("timestamp") == (f.int("timestamp_ms") ?? 0) / 1000)
        #expect(f.at("global options", "filename") as? String == file)
        #expect(f.at("global options", "percentile_list") as? String == "50:99:99.9")
        #expect((f["disk_util"] as? [Any])?.isEmpty == true)

        let ours = try #require(t["jobs"] as? [[String: Any]])
        let theirs = try #require(f["jobs"] as? [[String: Any]])
        #expect(theirs.count == 2 && ours.count == 2, "one fio job per clone")
        for (job, entry) in zip(ours, theirs) {
            #expect(entry["jobname"] as? String == job["name"] as? String)
            #expect(entry.int("groupid") == job.int("job_index"))
            #expect(entry.int("error") == 0)
            let options = try #require(entry["job options"] as? [String: Any])
            let expected = ["rw": "randrw", "rwmixread": "70", "bs": "4k", "size": "4m", "iodepth": "4", "numjobs": "2",
                            "offset_increment": "4m", "direct": "1", "iodepth_batch_submit": "4"]
            for (k, v) in expected { #expect(options[k] as? String == v, "job option \(k)") }
            #expect(options["ioengine"] as? String == job.at("engine", "name") as? String)
            let runtimeNs = job.int("measured_span_ns") ?? 0
            let runtimeMs = (runtimeNs + 500_000) / 1_000_000
            #expect(entry.int("job_runtime") == runtimeMs)
            let user = Double(job.int("cpu", "user_ns") ?? 0), system = Double(job.int("cpu", "system_ns") ?? 0)
            #expect(abs(Self.double(entry["usr_cpu"]) - user * 100 / Double(runtimeNs)) < 1e-6)
            #expect(abs(Self.double(entry["sys_cpu"]) - system * 100 / Double(runtimeNs)) < 1e-6)
            #expect(entry.int("ctx") == (job.int("cpu", "voluntary_context_switches") ?? 0) + (job.int("cpu", "involuntary_context_switches") ?? 0))
            #expect(entry.int("majf") == job.int("cpu", "major_faults") && entry.int("minf") == job.int("cpu", "minor_faults"))
            #expect(Self.double(entry.at("iodepth_level", "4")) == 100, "depth 4 is fio's \"4\" bucket")
            #expect(entry.int("latency_depth") == 4)

            for dir in ["read", "write"] {
                let d = try #require(entry[dir] as? [String: Any]), j = try #require(job[dir] as? [String: Any])
                #expect(d.int("io_bytes") == j.int("bytes") && d.int("total_ios") == j.int("ios"), "\(dir) bytes and I/Os")
                #expect(d.int("io_kbytes") == (j.int("bytes") ?? 0) >> 10)
                #expect(d.int("short_ios") == j.int("short_ios") && d.int("drop_ios") == 0)
                #expect(Self.double(d["iops"]) == Self.double(j["iops"]))
                #expect(d.int("bw_bytes") == Int(Self.double(j["bandwidth_bytes_per_second"])))
                #expect(d.int("bw") == (d.int("bw_bytes") ?? 0) / 1024)
                #expect(d.int("runtime") == runtimeMs)
                for lat in ["slat_ns", "clat_ns", "lat_ns"] {
                    #expect(d.int(lat, "N") == j.int(lat, "count"), "\(dir) \(lat) N")
                    #expect(d.int(lat, "min") == j.int(lat, "min") && d.int(lat, "max") == j.int(lat, "max"))
                    #expect(Self.double(d.at(lat, "mean")) == Self.double(j.at(lat, "mean")))
                    #expect(Self.double(d.at(lat, "stddev")) == Self.double(j.at(lat, "stddev")))
                }
                // fio's defaults: percentiles and bins for clat only.
                #expect(d.at("slat_ns", "percentile") == nil && d.at("lat_ns", "bins") == nil)
                let percentiles = try #require(d.at("clat_ns", "percentile") as? [String: Any])
                let list = (j.at("clat_ns", "percentiles") as? [[String: Any]]) ?? []
                #expect(Set(percentiles.keys) == ["50.000000", "99.000000", "99.900000"])
                for p in list {
                    let key = String(format: "%f", Self.double(p["percentile"]))
                    #expect((percentiles[key] as? NSNumber)?.intValue == p.int("value_ns"), "\(dir) clat p\(key)")
                }
                let bins = try #require(d.at("clat_ns", "bins") as? [String: Any])
                let ourBins = (j.at("clat_ns", "bins") as? [[Any]]) ?? []
                #expect(bins.count == ourBins.count)
                for bin in ourBins {
                    let (value, count) = ((bin[0] as? NSNumber)?.intValue ?? -1, (bin[1] as? NSNumber)?.intValue ?? -1)
                    #expect((bins["\(value)"] as? NSNumber)?.intValue == count, "\(dir) bin \(value)")
                }
                #expect(bins.values.compactMap { ($0 as? NSNumber)?.intValue }.reduce(0, +) == d.int("clat_ns", "N"))
                // Interval rates in fio's units (KiB/s).
                #expect(d.int("iops_samples") == j.int("iops_over_intervals", "samples"))
                #expect(d.int("bw_samples") == j.int("bandwidth_bytes_per_second_over_intervals", "samples"))
                #expect(abs(Self.double(d["iops_mean"]) - Self.double(j.at("iops_over_intervals", "mean"))) < 1e-6)
                #expect(abs(Self.double(d["bw_mean"]) * 1024 - Self.double(j.at("bandwidth_bytes_per_second_over_intervals", "mean"))) < 1e-3)
                let agg = Self.double(d["bw_agg"])
                #expect(agg > 0 && agg <= 100, "\(dir) bw_agg \(agg)% of the job's clones together")
            }
            for (key, value) in (entry["trim"] as? [String: Any]) ?? [:] {
                if let n = value as? NSNumber { #expect(n.doubleValue == 0, "trim \(key)") }
            }
            #expect(entry.int("sync", "total_ios") == 0 && entry.int("sync", "lat_ns", "N") == 0)
            try Self.expectLatencyBuckets(entry)
        }
    }

    /// Failed I/Os (the file shrinks to nothing under the running job: reads return 0 bytes, EIO):
    /// fio's `error` is the errno that stopped the job; with continue_on_error fio adds
    /// `total_err` and `first_error` instead.
    @Test(arguments: [false, true])
    func errorsAsFioReportsThem(continueOnError: Bool) throws {
        let s = Scratch()
        let file = s.dataFile("e.dat", bytes: 1 << 20)
        let o = try tierbench(["run", "--target", file, "--rw", "randread", "--size", "1m", "--iodepth", "2", "--runtime", "800ms",
                               "--time-based", "--output-format", "fio-json", "--progress", "always"] + (continueOnError ? ["--continue-on-error"] : []),
                              cues: [Cue(when: .running("randread")) { _ in _ = truncate(file, 0) }])
        #expect(o.status == (continueOnError ? 0 : 1), "\(o.stderr)")
        let job = try #require(o.json?.at("jobs", "0") as? [String: Any], "\(o.stdout.prefix(200))")
        if continueOnError {
            #expect(job.int("error") == 0)
            #expect((job.int("total_err") ?? 0) > 0 && job.int("first_error") == Int(EIO))
            #expect(job.at("job options", "continue_on_error") as? String == "io")
        } else {
            #expect(job.int("error") == Int(EIO))
            #expect(job["total_err"] == nil && job["first_error"] == nil, "only with continue_on_error, as fio")
        }
    }

    /// latency_ns/us/ms recomputed from the clat bins by fio's rules (io_u_mark_lat_*, stat_calc_lat).
    static func expectLatencyBuckets(_ entry: [String: Any]) throws {
        let ends = [2, 4, 10, 20, 50, 100, 250, 500, 750, 1000, 2000]
        var counts = ["latency_ns": [Int](repeating: 0, count: 10), "latency_us": [Int](repeating: 0, count: 10),
                      "latency_ms": [Int](repeating: 0, count: 12)]
        var total = 0
        for dir in ["read", "write"] {
            total += entry.int(dir, "clat_ns", "N") ?? 0
            for (key, count) in (entry.at(dir, "clat_ns", "bins") as? [String: Any]) ?? [:] {
                let ns = Int(key) ?? -1, n = (count as? NSNumber)?.intValue ?? 0
                let (name, v) = ns < 1000 ? ("latency_ns", ns) : ns < 1_000_000 ? ("latency_us", ns / 1000) : ("latency_ms", ns / 1_000_000)
                counts[name]![ends.firstIndex { v < $0 } ?? ends.count] += n
            }
        }
        let labels = ["2", "4", "10", "20", "50", "100", "250", "500", "750", "1000", "2000", ">=2000"]
        var sum = 0.0
        for (name, c) in counts {
            let buckets = try #require(entry[name] as? [String: Any])
            #expect(Set(buckets.keys) == Set(labels.prefix(c.count)), "\(name) labels")
            for (i, n) in c.enumerated() {
                var expected = total > 0 ? Double(n) * 100 / Double(total) : 0
                if n > 0 && expected < 0.01 { expected = 0.01 }
                let got = Self.double(buckets[labels[i]])
                #expect(abs(got - expected) < 1e-9, "\(name)[\(labels[i])] = \(got), expected \(expected)")
                sum += got
            }
        }
        #expect(abs(sum - 100) < 0.5, "the buckets cover every completion (\(sum)%)")
    }

    // MARK: (3) fio_jsonplus_clat2csv reads it.

    @Test func fioJSONPlusClat2CSVConvertsIt() throws {
        guard let tool = which("fio_jsonplus_clat2csv") else {
            print("skipping: fio_jsonplus_clat2csv is not installed (apt-get install fio)"); return
        }
        // The script runs on Debian's python3 and needs `six` (apt-get install python3-six).
        let python = "/usr/bin/python3"
        guard access(python, X_OK) == 0, (try? execute(python, ["-c", "import six"]))?.status == 0 else {
            print("skipping: fio_jsonplus_clat2csv needs /usr/bin/python3 with six (apt-get install python3-six)"); return
        }
        let s = Scratch()
        let file = s.dataFile("csv.dat", bytes: 8 << 20)
        let json = s.file("plus.json")
        let o = try tierbench(["run", "--target", file, "--rw", "randrw", "--bs", "4k", "--size", "4m", "--iodepth", "4",
                               "--numjobs", "2", "--offset-increment", "4m", "--overwrite",
                               "--output-format", "fio-json", "--output", json])
        #expect(o.status == 0, "\(o.stderr)")
        let doc = try Self.load(json)

        let c = try execute(python, [tool, json, s.file("lat.csv")], cwd: s.path)
        #expect(c.status == 0, "\(c.stdout)\(c.stderr)")
        let v = try execute(python, [tool, json, s.file("lat.csv"), "--validate"], cwd: s.path)
        #expect(v.status == 0 && v.stdout.contains("lat_job0.csv validated") && v.stdout.contains("lat_job1.csv validated"),
                "\(v.stdout)\(v.stderr)")

        let columns = ["read", "write", "trim"].flatMap { d in ["slat_ns", "clat_ns", "lat_ns"].map { "\(d)_\($0)" } }
        for job in 0..<2 {
            let csv = try String(contentsOfFile: s.file("lat_job\(job).csv"), encoding: .utf8)
            let lines = csv.split(separator: "\n", omittingEmptySubsequences: true)
            #expect(lines.first?.hasPrefix("nsec, read_slat_ns_count,") == true)
            let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } }
            // One row per latency value holding a clat bin of either direction, ascending.
            var values = Set<Int>()
            for dir in ["read", "write"] {
                for key in ((doc.at("jobs", "\(job)", dir, "clat_ns", "bins") as? [String: Any]) ?? [:]).keys { values.insert(Int(key) ?? -1) }
            }
            #expect(rows.map { Int($0[0]) ?? -1 } == values.sorted(), "job \(job): rows are the bins' values")
            for dir in ["read", "write"] {
                let bins = (doc.at("jobs", "\(job)", dir, "clat_ns", "bins") as? [String: Any]) ?? [:]
                let column = 1 + 3 * (columns.firstIndex(of: "\(dir)_clat_ns") ?? 0)
                var cumulative = 0
                for row in rows where !row[column].isEmpty {
                    let count = Int(row[column]) ?? -1
                    cumulative += count
                    #expect((bins[row[0]] as? NSNumber)?.intValue == count, "job \(job) \(dir) \(row[0]) ns")
                    #expect(Int(row[column + 1]) == cumulative)
                }
                let n = doc.int("jobs", "\(job)", dir, "clat_ns", "N") ?? -1
                #expect(cumulative == n && n > 0, "job \(job) \(dir): the CSV counts every completion")
                #expect(rows.last { !$0[column].isEmpty }.map { Double($0[column + 2]) } == 1.0)
            }
        }
    }

    // MARK: (4) fio-plot graphs it.

    /// fio-plot from PyPI: $FIO_PLOT, the venv CI makes, or on PATH.
    static let fioPlot: String? = {
        if let p = ProcessInfo.processInfo.environment["FIO_PLOT"], access(p, X_OK) == 0 { return p }
        if access("/opt/tierbench-venv/bin/fio-plot", X_OK) == 0 { return "/opt/tierbench-venv/bin/fio-plot" }
        return which("fio-plot")
    }()

    @Test func fioPlotDrawsItsGraphs() throws {
        guard let fioPlot = Self.fioPlot else {
            print("skipping: fio-plot is not installed (python3 -m venv /opt/tierbench-venv && /opt/tierbench-venv/bin/pip install fio-plot)")
            return
        }
        let s = Scratch()
        let file = s.dataFile("plot.dat", bytes: 4 << 20)
        // fio-plot reads every *.json in a directory and picks the runs by the job options rw, iodepth and numjobs.
        let input = s.file("results")
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: false)
        let o = try tierbench(["run", "--target", file, "--rw", "randread", "--bs", "4k", "--size", "4m", "--iodepth", "4",
                               "--output-format", "fio-json", "--output", "\(input)/randread-iodepth-4-numjobs-1.json"])
        #expect(o.status == 0, "\(o.stderr)")
        // -l: IOPS and latency per queue depth (the job-level numbers); -H: the latency_ns/us/ms histogram.
        for (mode, name) in [("-l", "qd.png"), ("-H", "histogram.png")] {
            let png = s.file(name)
            let p = try execute("/usr/bin/env", ["MPLBACKEND=Agg", "MPLCONFIGDIR=\(s.path)", fioPlot, "-i", input, "-T", "tierbench",
                                                 mode, "-r", "randread", "-d", "4", "-n", "1", "-o", png], cwd: s.path)
            #expect(p.status == 0, "fio-plot \(mode): \(p.stdout)\(p.stderr)")
            let data = FileManager.default.contents(atPath: png) ?? Data()
            #expect(data.count > 1000 && data.starts(with: [0x89, 0x50, 0x4E, 0x47]), "fio-plot \(mode) wrote a PNG (\(data.count) bytes)")
        }
    }

    // MARK: Helpers

    static func load(_ path: String) throws -> [String: Any] {
        let data = try #require(FileManager.default.contents(atPath: path), "\(path) was written")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(path) is one JSON object")
    }

    static func double(_ any: Any?) -> Double { (any as? NSNumber)?.doubleValue ?? .nan }
}
