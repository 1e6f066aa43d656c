import Foundation
import Glibc
import Testing
import TestSupport

/// `tierbench report` through the real binary, and the page in real headless Chromium (Debian's,
/// through Selenium): no console message, no request but the file itself, the charts the script
/// drew with their point and bar counts for known results, a screenshot with something on it.
/// Set TIERBENCH_KEEP_SCREENSHOTS=DIR to keep the screenshots (to look at them).

let canBrowse = which("chromium") != nil && which("chromedriver") != nil && venvHas("selenium", "PIL")
let browserReason: Comment = "needs chromium and chromium-driver (Debian) and selenium and pillow in /opt/tierbench-venv (make test-setup)"
let browserScript = "\(schemaPackageDirectory)/Tests/browser/report_page.py"

/// The plot's pixel columns (the chart's 560 units less its margins): the most a line is drawn with is twice this.
let plotColumns = 560 - 80 - 26

/// Opens `html` in Chromium, returns what report_page.py saw, and checks what every report must
/// be: drawn, silent, offline, and not blank.
@discardableResult
func openInChromium(_ html: String, shot name: String, in scratch: Scratch, zoom: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    let png = scratch.file("\(name).png")
    let o = try execute(venvPython, [browserScript, html, png] + (zoom.map { ["--zoom=\($0)"] } ?? []))
    #expect(o.status == 0, "report_page.py: \(o.stderr)", sourceLocation: sourceLocation)
    let look = try #require(try JSONSerialization.jsonObject(with: Data(o.stdout.utf8)) as? [String: Any], "\(o.stdout)\n\(o.stderr)", sourceLocation: sourceLocation)
    if let keep = ProcessInfo.processInfo.environment["TIERBENCH_KEEP_SCREENSHOTS"] {
        try? FileManager.default.removeItem(atPath: "\(keep)/\(name).png")
        try? FileManager.default.copyItem(atPath: png, toPath: "\(keep)/\(name).png")
    }
    #expect(look["rendered"] as? Bool == true, "the page's script did not finish", sourceLocation: sourceLocation)
    let console = look["console"] as? [[String: Any]] ?? []
    #expect(console.isEmpty, "console: \(console)", sourceLocation: sourceLocation)
    let requests = look["requests"] as? [String] ?? []
    #expect(requests == ["file://\(html)"], "the page asked for more than itself: \(requests)", sourceLocation: sourceLocation)
    let shot = look["screenshot"] as? [String: Any] ?? [:]
    #expect((shot["ink_share"] as? Double ?? 0) > 0.02, "screenshot nearly blank: \(shot)", sourceLocation: sourceLocation)
    #expect((shot["colours"] as? Int ?? 0) > 20, "screenshot of few colours: \(shot)", sourceLocation: sourceLocation)
    return look
}

func charts(_ look: [String: Any]) -> [String: [String: Any]] {
    Dictionary((look["charts"] as? [[String: Any]] ?? []).map { ($0["id"] as! String, $0) }, uniquingKeysWith: { a, _ in a })
}

/// A chart's series by name.
func series(_ chart: [String: Any]?) -> [String: [String: Any]] {
    Dictionary((chart?["series"] as? [[String: Any]] ?? []).map { ($0["name"] as! String, $0) }, uniquingKeysWith: { a, _ in a })
}

/// The page model embedded in a report (what the script draws), read without a browser.
func pageModel(_ html: String) throws -> [String: Any] {
    let text = try String(contentsOfFile: html, encoding: .utf8)
    let start = try #require(text.range(of: "<script type=\"application/json\" id=\"tierbench-data\">"))
    let end = try #require(text.range(of: "</script>", range: start.upperBound..<text.endIndex))
    return try #require(try JSONSerialization.jsonObject(with: Data(text[start.upperBound..<end.lowerBound].utf8)) as? [String: Any])
}

/// floor(10 log10 ns): the report's histogram bin (a tenth of a decade) of a latency.
func decile(_ ns: Int) -> Int {
    var k = Int((log10(Double(max(ns, 1))) * 10).rounded(.down))
    while pow(10, Double(k) / 10) > Double(ns) { k -= 1 }
    while pow(10, Double(k + 1) / 10) <= Double(ns) { k += 1 }
    return k
}

/// A real run's JSON made into a known one: one randread job with `iops.count` intervals of the
/// given IOPS (a latency mean and p99 each) and a latency histogram of the given bins.
func knownResult(_ s: Scratch, iops: [Double], bins: [[Int]]) throws -> String {
    let target = s.dataFile("known.dat", bytes: 8 << 20)
    let json = s.file("real.json")
    let run = try tierbench(["run", "--target", target, "--rw", "randread", "--bs", "4k", "--runtime", "1", "--time-based", "--iodepth", "2",
                             "--output-format", "json", "--output", json, "--progress", "never"])
    #expect(run.status == 0, "\(run.stderr)")
    var doc = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
    var aggs = try #require(doc["aggregates"] as? [[String: Any]])
    var agg = aggs[0]
    agg["intervals"] = iops.enumerated().map { i, v -> [String: Any] in
        ["index": i, "start_ns": i * 1_000_000_000, "duration_ns": 1_000_000_000,
         "read": ["ios": Int(v), "bytes": Int(v) * 4096, "iops": v, "bandwidth_bytes_per_second": v * 4096, "lat_mean_ns": 1000 + Double(i), "lat_p99_ns": 5000 + i]]
    }
    var read = try #require(agg["read"] as? [String: Any])
    var lat = try #require(read["lat_ns"] as? [String: Any])
    lat["bins"] = bins
    lat["count"] = bins.reduce(0) { $0 + $1[1] }
    lat["min"] = bins.map { $0[0] }.min()!
    lat["max"] = bins.map { $0[0] }.max()!
    read["lat_ns"] = lat
    agg["read"] = read
    aggs[0] = agg
    doc["aggregates"] = aggs
    let out = s.file("known.json")
    try JSONSerialization.data(withJSONObject: doc).write(to: URL(fileURLWithPath: out))
    return out
}

@Suite struct ReportCLITests {
    @Test func aRunGivesOnePageWithTheRunsModel() throws {
        let s = Scratch()
        let result = try knownResult(s, iops: [100, 200, 300], bins: [[1000, 4], [30000, 1]])
        let html = s.file("r.html")
        let o = try tierbench(["report", result, "--output", html])
        #expect(o.status == 0 && o.stdout.isEmpty && o.stderr.isEmpty, "\(o.stderr)")
        let text = try String(contentsOfFile: html, encoding: .utf8)
        // Self-contained: no external reference of any kind.
        for pattern in ["src=\"http", "href=\"http", "url(http", "@import", "<link rel=\"stylesheet\""] { #expect(!text.contains(pattern), "\(pattern)") }
        let model = try pageModel(html)
        let sections = try #require(model["sections"] as? [[String: Any]])
        #expect(sections.map { $0["kind"] as? String } == ["run"])
        // The command that produced the result is shown.
        #expect(text.contains("--rw randread --bs 4k --runtime 1"))
        // stdout without --output.
        let toStdout = try tierbench(["report", result])
        #expect(toStdout.status == 0 && toStdout.stdout.hasPrefix("<!DOCTYPE html>"))
    }

    @Test func severalResultsGiveOneSectionEach() throws {
        let s = Scratch()
        let result = try knownResult(s, iops: [100, 200], bins: [[1000, 4]])
        let check = s.file("check.json")
        let c = try tierbench(["check", "--tier", "gp3", "--size", "100Gi", "--results", result, "--output-format", "json", "--output", check])
        #expect(c.status == 0 || c.status == 3, "\(c.stderr)")
        let html = s.file("both.html")
        let o = try tierbench(["report", check, result, "-o", html, "--title", "nightly"])
        #expect(o.status == 0, "\(o.stderr)")
        let model = try pageModel(html)
        #expect(model["title"] as? String == "nightly")
        let sections = try #require(model["sections"] as? [[String: Any]])
        #expect(sections.map { $0["kind"] as? String } == ["check", "run"])
        // The check is drawn with the run it judged: its IOPS metric interval by interval.
        let group = try #require((sections[0]["blocks"] as? [[String: Any]])?.first { $0["type"] as? String == "group" })
        let charts = (group["blocks"] as? [[String: Any]] ?? []).compactMap { $0["chart"] as? [String: Any] }
        let perInterval = try #require(charts.first { ($0["id"] as? String)?.hasSuffix("-m0") == true }, "\(charts.map { $0["id"] ?? "" })")
        #expect(((perInterval["series"] as? [[String: Any]])?.first?["ys"] as? [Double]) == [100, 200])
        #expect((perInterval["marks"] as? [[String: Any]])?.map { $0["value"] as? Double } == [2700, 3000])
        // Alone, the check has no per-interval chart.
        let alone = s.file("alone.html")
        #expect(try tierbench(["report", check, "-o", alone]).status == 0)
        let aloneGroup = try #require(((try pageModel(alone)["sections"] as? [[String: Any]])?.first?["blocks"] as? [[String: Any]])?.first { $0["type"] as? String == "group" })
        #expect(!(aloneGroup["blocks"] as? [[String: Any]] ?? []).contains { (($0["chart"] as? [String: Any])?["id"] as? String)?.hasSuffix("-m0") == true })
    }

    @Test func inputsItCannotShowAreOneLineAndNothingIsWritten() throws {
        let s = Scratch()
        let zones = s.file("zones.json")
        try #"{"schema": "tierbench-zones/1", "zones": []}"#.write(toFile: zones, atomically: false, encoding: .utf8)
        let history = s.file("history.db")
        try Data("SQLite format 3\u{0}".utf8 + [UInt8](repeating: 0, count: 100)).write(to: URL(fileURLWithPath: history))
        let fio = s.file("fio.json")
        try #"{"fio version": "fio-3.33", "jobs": []}"#.write(toFile: fio, atomically: false, encoding: .utf8)
        let expect = s.file("expect.json")
        try #"{"schema": "tierbench-expect/1"}"#.write(toFile: expect, atomically: false, encoding: .utf8)
        let other = s.file("other.json")
        try #"{"schema": "something/9"}"#.write(toFile: other, atomically: false, encoding: .utf8)
        let broken = s.file("broken.json")
        try #"{"schema": "tierbench/1", "jobs": 3}"#.write(toFile: broken, atomically: false, encoding: .utf8)
        let brokenCheck = s.file("broken-check.json")
        try #"{"schema": "tierbench-check/1", "subjects": 1}"#.write(toFile: brokenCheck, atomically: false, encoding: .utf8)
        let text = s.file("notes.txt")
        try "hello".write(toFile: text, atomically: false, encoding: .utf8)
        let cases: [(String, [String])] = [
            (zones, ["not a valid tierbench-zones/1 document", "zones run --output-format json"]), (history, ["not a SQLite database", "give a tierbench history file"]),
            (fio, ["a fio result", "check --results"]), (expect, ["tierbench-expect/1", "no measurements"]),
            (other, ["something/9", "tierbench/1, tierbench-check/1, tierbench-zones/1"]), (broken, ["not a valid tierbench/1 document"]),
            (brokenCheck, ["not a valid tierbench-check/1 document"]), (text, ["not JSON"]),
            (s.file("missing.json"), ["no such file"]), (s.path, ["is a directory"]),
        ]
        for (file, fragments) in cases {
            let html = s.file("out-\(URL(fileURLWithPath: file).lastPathComponent).html")
            let o = try tierbench(["report", file, "--output", html])
            #expect(o.status == 1, "\(file): \(o.status) \(o.stderr)")
            #expect(o.stderr.split(separator: "\n").count == 1, "one line: \(o.stderr)")
            #expect(o.stderr.hasPrefix("tierbench: error: report \(file)"), "\(o.stderr)")
            for f in fragments { #expect(o.stderr.contains(f), "'\(f)' not in \(o.stderr)") }
            #expect(!FileManager.default.fileExists(atPath: html), "\(file): a report was written")
            #expect(o.stdout.isEmpty)
        }
    }

    @Test func usageMistakesAreRefusedBeforeReading() throws {
        let s = Scratch()
        let result = try knownResult(s, iops: [1], bins: [[1000, 1]])
        let before = try Data(contentsOf: URL(fileURLWithPath: result))
        for (args, fragment) in [(["report"], "give a result file"), (["report", result, "--output", result], "is the input"),
                                 (["report", result, "--output", s.path], "is a directory"),
                                 (["report", result, "--output", s.file("no/such/dir/r.html")], "does not exist")] {
            let o = try tierbench(args)
            #expect(o.status == 2, "\(args): \(o.stderr)")
            #expect(o.stderr.split(separator: "\n").count == 1 && o.stderr.contains(fragment), "\(o.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: result)) == before, "the input was overwritten")
    }

    /// A JSON Lines stream (--status-interval) is reported from its final record.
    @Test func aStatusStreamIsReportedFromItsResultRecord() throws {
        let s = Scratch()
        let target = s.dataFile("t.dat", bytes: 8 << 20)
        let lines = s.file("stream.jsonl")
        let run = try tierbench(["run", "--target", target, "--rw", "randread", "--runtime", "2", "--time-based", "--status-interval", "1s",
                                 "--output-format", "json", "--output", lines, "--progress", "never"])
        #expect(run.status == 0, "\(run.stderr)")
        let html = s.file("s.html")
        let o = try tierbench(["report", lines, "-o", html])
        #expect(o.status == 0, "\(o.stderr)")
        #expect((try pageModel(html)["sections"] as? [[String: Any]])?.first?["kind"] as? String == "run")
    }
}

@Suite(.enabled(if: canBrowse, browserReason)) struct ReportBrowserTests {
    /// A known result: every chart of its job with exactly the points and bars it holds.
    @Test func knownRunDrawsEveryPointAndBin() throws {
        let s = Scratch()
        let iops: [Double] = [100, 700, 300, 400, 500, 200, 600]
        let bins = [[1000, 10], [1100, 5], [25000, 3], [2_000_000, 1]]
        let result = try knownResult(s, iops: iops, bins: bins)
        let html = s.file("known.html")
        #expect(try tierbench(["report", result, "-o", html]).status == 0)
        let look = try openInChromium(html, shot: "report-known-run", in: s)
        let c = charts(look)
        #expect(c.count == 5, "\(c.keys.sorted())")
        let iopsSeries = series(c["run-job0-iops"])
        #expect(Array(iopsSeries.keys) == ["read"])
        #expect(iopsSeries["read"]?["points"] as? Int == iops.count)
        #expect(iopsSeries["read"]?["min"] as? Double == iops.min() && iopsSeries["read"]?["max"] as? Double == iops.max())
        #expect(series(c["run-job0-bandwidth"])["read"]?["max"] as? Double == iops.max()! * 4096)
        let latency = series(c["run-job0-latency"])
        #expect(Set(latency.keys) == ["read mean", "read p99"])
        #expect(latency.values.allSatisfy { $0["points"] as? Int == iops.count })
        #expect(latency["read p99"]?["max"] as? Double == Double(5000 + iops.count - 1))
        // One bar per non-empty tenth of a decade.
        let expectedBars = Set(bins.map { decile($0[0]) }).count
        #expect(series(c["run-job0-histogram"])["read"]?["bars"] as? Int == expectedBars)
        // The ladder: p50, p90, p99, p99.9, p99.99.
        #expect(series(c["run-job0-ladder"])["read"]?["points"] as? Int == 5)
        let dom = try #require(look["dom"] as? [String: Any])
        #expect(dom["markers"] as? Int == 5)
        #expect(dom["bars"] as? Int == expectedBars)
        // Every chart has a title, two axis labels and a legend.
        #expect(dom["axisLabels"] as? Int == 2 * 5)
        #expect((dom["legends"] as? Int ?? 0) >= 5)
    }

    /// A real run of two jobs (a job file): per job five charts, lines with one point per interval,
    /// histograms with one bar per tenth of a decade the run's bins fall in.
    @Test func realRunOfTwoJobs() throws {
        let s = Scratch()
        let target = s.dataFile("t.dat", bytes: 32 << 20)
        let jobFile = s.file("two.fio")
        try """
            [global]
            filename=\(target)
            direct=1
            ioengine=io_uring
            runtime=3
            time_based
            size=32m
            [randread-4k]
            rw=randread
            bs=4k
            iodepth=8
            [mixed-8k]
            stonewall
            rw=randrw
            bs=8k
            iodepth=4
            """.write(toFile: jobFile, atomically: false, encoding: .utf8)
        let json = s.file("run.json")
        let run = try tierbench(["run", jobFile, "--overwrite", "--output-format", "json", "--output", json, "--progress", "never"])
        #expect(run.status == 0, "\(run.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let aggs = try #require(doc["aggregates"] as? [[String: Any]])
        #expect(aggs.count == 2)
        let html = s.file("run.html")
        #expect(try tierbench(["report", json, "-o", html]).status == 0)
        let look = try openInChromium(html, shot: "report-real-run", in: s)
        let c = charts(look)
        #expect(c.count == 10)
        for agg in aggs {
            let index = agg["job_index"] as! Int
            let intervals = agg["intervals"] as! [[String: Any]]
            let iops = series(c["run-job\(index)-iops"])
            for dir in ["read", "write"] where agg[dir] != nil {
                // Rates leave out an interval under half the length (the run's cut-short last one).
                let full = intervals.filter { ($0["duration_ns"] as! Int) * 2 >= doc.int("settings", "interval_ns")! }
                #expect(iops[dir]?["points"] as? Int == full.count, "job \(index) \(dir)")
                #expect(iops[dir]?["total"] as? Int == intervals.count)
                #expect(series(c["run-job\(index)-latency"])["\(dir) mean"]?["points"] as? Int == intervals.filter { (($0[dir] as? [String: Any])?["ios"] as? Int ?? 0) > 0 }.count)
                let bins = ((agg[dir] as! [String: Any])["lat_ns"] as! [String: Any])["bins"] as! [[Int]]
                #expect(series(c["run-job\(index)-histogram"])[dir]?["bars"] as? Int == Set(bins.filter { $0[1] > 0 }.map { decile($0[0]) }).count)
                #expect(series(c["run-job\(index)-ladder"])[dir]?["points"] as? Int == 5)
            }
            #expect(Set(iops.keys) == Set(["read", "write"].filter { agg[$0] != nil }))
        }
    }

    /// A check of a result: per unit a bar chart of expected and measured per metric (verdict
    /// colours), the thresholds drawn, and the share of intervals at the threshold.
    @Test func checkOfAResultDrawsExpectedMeasuredAndThresholds() throws {
        let s = Scratch()
        let result = try knownResult(s, iops: [3000, 2000, 3100, 2900, 3050], bins: [[200_000, 10]])
        let check = s.file("check.json")
        let c = try tierbench(["check", "--tier", "gp3", "--size", "100Gi", "--results", result, "--output-format", "json", "--output", check])
        #expect(c.status == 3, "2,000 of 5 intervals below 2,700 fails gp3's 99%: \(c.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: check))) as? [String: Any])
        let metrics = try #require(doc.at("subjects", "0", "metrics") as? [[String: Any]])
        let html = s.file("check.html")
        #expect(try tierbench(["report", check, result, "-o", html]).status == 0)
        let look = try openInChromium(html, shot: "report-check-result", in: s)
        let drawn = charts(look)
        // With the judged run on the page: the IOPS metric interval by interval.
        let perInterval = try #require(series(drawn["check1-s0-m0"]).values.first, "\(drawn.keys.sorted())")
        #expect(perInterval["points"] as? Int == 5 && perInterval["min"] as? Double == 2000 && perInterval["max"] as? Double == 3100, "\(perInterval)")
        var units: [String] = []
        for m in metrics where m["expected"] != nil || m["measured"] != nil { if !units.contains(m["unit"] as! String) { units.append(m["unit"] as! String) } }
        for (u, unit) in units.enumerated() {
            let chart = try #require(drawn["check1-s0-u\(u)"], "no chart for \(unit)")
            let inUnit = metrics.filter { $0["unit"] as? String == unit && ($0["expected"] != nil || $0["measured"] != nil) }
            #expect(series(chart)["expected"]?["bars"] as? Int == inUnit.filter { $0["expected"] != nil }.count)
            #expect(series(chart)["measured"]?["bars"] as? Int == inUnit.filter { $0["measured"] != nil }.count)
            #expect(chart["marks"] as? Int == inUnit.filter { $0["threshold"] != nil }.count)
        }
        let dom = try #require(look["dom"] as? [String: Any])
        let tones = dom["toneBars"] as? [String] ?? []
        #expect(tones.contains("fail"), "\(tones)")
        let iops = try #require(metrics.first { $0["kind"] as? String == "iops" })
        #expect(iops["verdict"] as? String == "fail")
        #expect(series(drawn["check1-s0-time"])["intervals at threshold"]?["bars"] as? Int == metrics.filter { ($0["intervals_judged"] as? Int ?? 0) > 0 && $0["threshold"] != nil }.count)
    }

    /// A real check on a loop device throttled to 2,000 IOPS, judged as gp3 (3,000): the report
    /// shows the failed IOPS metrics in the failure colour and the section's FAIL badge.
    @Test(.enabled(if: isRoot && access("/sys/fs/cgroup/blkio", W_OK) == 0 && which("losetup") != nil, "needs root, cgroup v1 blkio and losetup"))
    func realCheckOnAThrottledDevice() throws {
        let d = try #require(ThrottledDevice(iops: 2000, bytesPerSecond: 125 << 20))
        let s = Scratch()
        let check = s.file("check.json")
        let o = try d.tierbench(["check", "--tier", "gp3", "--size", "100Gi", "--target", d.device, "--iodepth", "30", "--share-of-time", "0.66",
                                 "--runtime", "3s", "--ramp-time", "1s", "--allow-device-writes", "--progress", "never", "--output-format", "json", "--output", check])
        #expect(o.status == 3, "\(o.stderr)")
        let html = s.file("check.html")
        #expect(try tierbench(["report", check, "-o", html]).status == 0)
        let model = try pageModel(html)
        let section = try #require((model["sections"] as? [[String: Any]])?.first)
        #expect((section["badge"] as? [String: Any])?["text"] as? String == "FAIL")
        let look = try openInChromium(html, shot: "report-check-throttled", in: s)
        let tones = (look["dom"] as? [String: Any])?["toneBars"] as? [String] ?? []
        #expect(tones.filter { $0 == "fail" }.count >= 2, "\(tones)")
        #expect(charts(look)["check-s0-u0"] != nil)
    }

    /// Names that look like markup stay text: a job named `</script><img onerror=...>` neither
    /// ends the data block nor runs (the page stays silent and asks for nothing).
    /// A known `tierbench-zones/1` document: per metric a bar per measured zone (the zone not
    /// measured has none), the failing zone in the failure colour, the outlier in its own, the
    /// expected value drawn as a line on each chart, the across-zone table and the merged ladder.
    @Test func zonesDrawABarPerZonePerMetric() throws {
        let s = Scratch()
        func metric(_ name: String, _ kind: String, _ unit: String, _ expected: Double, _ measured: Double, _ verdict: String) -> [String: Any] {
            ["metric": name, "job": name, "kind": kind, "unit": unit, "expected": expected, "measured": measured, "ratio": measured / expected,
             "intervals_judged": 0, "intervals_at_threshold": 0, "verdict": verdict, "reason": "known"]
        }
        func volume(_ zone: String, _ node: String, _ m: [[String: Any]], _ verdict: String) -> [String: Any] {
            ["name": "tierbench-r-\(zone)-0", "index": 0, "state": "measured", "node": node, "instance_type": "m6i.large", "metrics": m, "verdict": verdict,
             "ios": [["job": "randread", "direction": "read", "ios": 1000, "bytes": 16_384_000]]]
        }
        let zoneMetrics: [(String, Double, String, Double, String, Double, String)] = [
            ("zone-a", 3050, "pass", 126, "pass", 1.2, "pass"), ("zone-b", 2000, "fail", 124, "pass", 1.3, "pass"), ("zone-c", 3010, "pass", 125, "pass", 2.9, "pass"),
        ]
        var zones: [[String: Any]] = zoneMetrics.map { z in
            let m = [metric("randread IOPS", "iops", "IOPS", 3000, z.1, z.2), metric("seqread throughput", "throughput", "MiB/s", 125, z.3, z.4),
                     metric("randread p99 latency", "latency_p99", "ms", 5, z.5, z.6)]
            return ["zone": z.0, "status": z.2 == "fail" ? "fail" : "pass", "volumes": [volume(z.0, "node-\(z.0.suffix(1))", m, z.2)]]
        }
        zones.append(["zone": "zone-d", "status": "error",
                      "volumes": [["name": "tierbench-r-zone-d-0", "index": 0, "state": "failed", "reason": "no schedulable node in zone zone-d", "metrics": [], "ios": []]]])
        func across(_ name: String, _ unit: String, _ expected: Double, _ higher: Bool, _ v: [Double]) -> [String: Any] {
            let sorted = v.sorted()
            return ["metric": name, "unit": unit, "expected": expected, "higher_is_better": higher, "zones": v.count, "min": sorted[0], "median": sorted[1],
                    "max": sorted[2], "max_over_min": sorted[2] / sorted[0]]
        }
        func ladder(_ base: Int) -> [String: Any] {
            ["count": 3000, "min": base / 2, "max": base * 20, "mean": Double(base) * 1.2, "stddev": Double(base) / 3,
             "percentiles": [[50, base], [90, base * 2], [99, base * 4], [99.9, base * 8], [99.99, base * 16]].map { ["percentile": $0[0], "value_ns": $0[1]] }]
        }
        let doc: [String: Any] = [
            "schema": "tierbench-zones/1", "tool": "tierbench", "version": "0.0.0-test", "run_id": "r1", "namespace": "default", "storage_class": "gp3",
            "profile": "gp3", "size": "100Gi", "suite": "check", "volume_mode": "Block", "zones": zones,
            "across_zones": [across("randread IOPS", "IOPS", 3000, true, [3050, 2000, 3010]), across("seqread throughput", "MiB/s", 125, true, [126, 124, 125]),
                             across("randread p99 latency", "ms", 5, false, [1.2, 1.3, 2.9])],
            "outliers": [["zone": "zone-b", "why": "fails the tier (randread IOPS) while zone-a, zone-c pass"],
                         ["zone": "zone-b", "metric": "randread IOPS", "why": "randread IOPS 2000 IOPS is 34% below the median of zones (3010 IOPS)"],
                         ["zone": "zone-c", "metric": "randread p99 latency", "why": "randread p99 latency 2.9 ms is 123% above the median of zones (1.3 ms)"]],
            "outlier_margin": 0.2,
            "merged": [["job": "randread", "direction": "read", "volumes": 3, "ios": 3000, "bytes": 49_152_000, "window_ns": 3_000_000_000, "iops": 1000,
                        "bandwidth_bytes_per_second": 16_384_000, "lat_ns": ladder(200_000)],
                       ["job": "seqread", "direction": "read", "volumes": 3, "ios": 600, "bytes": 629_145_600, "window_ns": 3_000_000_000, "iops": 200,
                        "bandwidth_bytes_per_second": 209_715_200, "lat_ns": ladder(1_000_000)]],
            "deleted": ["ConfigMap/tierbench-r1"], "left_behind": [], "interrupted": false, "verdict": "fail",
        ]
        let file = s.file("zones.json")
        try JSONSerialization.data(withJSONObject: doc).write(to: URL(fileURLWithPath: file))
        let html = s.file("zones.html")
        let o = try tierbench(["report", file, "-o", html])
        try #require(o.status == 0, "\(o.stderr)")
        let look = try openInChromium(html, shot: "report-zones", in: s)
        let drawn = charts(look)
        for i in 0..<3 {
            let chart = try #require(drawn["zones-m\(i)"], "\(drawn.keys.sorted())")
            #expect(series(chart)["zone"]?["bars"] as? Int == 3, "\(chart)")  // zone-d was not measured
        }
        let dom = try #require(look["dom"] as? [String: Any])
        #expect(dom["kinds"] as? [String] == ["zones"])
        let tones = dom["toneBars"] as? [String] ?? []
        #expect(tones.count == 9 && tones.filter { $0 == "fail" }.count == 1 && tones.filter { $0 == "outlier" }.count == 1, "\(tones)")
        let merged = series(drawn["zones-merged"])
        #expect(merged.count == 2 && merged.values.allSatisfy { $0["points"] as? Int == 5 }, "\(merged)")
        #expect(series(drawn["zones-merged"])["randread read"]?["max"] as? Double == 3_200_000, "p99.99 of the merged histogram: \(merged)")
        // What the script drew from: the zones in order, the expected value as a line on each chart, the across-zone table.
        let model = try pageModel(html)
        let blocks = try #require((model["sections"] as? [[String: Any]])?.first?["blocks"] as? [[String: Any]])
        let iops = try #require(blocks.first { ($0["chart"] as? [String: Any])?["id"] as? String == "zones-m0" }?["chart"] as? [String: Any])
        #expect(iops["categories"] as? [String] == ["zone-a", "zone-b", "zone-c"])
        #expect((iops["marks"] as? [[String: Any]])?.map { $0["value"] as? Double } == [3000])
        #expect(series(iops)["zone"]?["tones"] as? [String] == ["pass", "fail", "pass"])
        let tables = blocks.compactMap { $0["table"] as? [String: Any] }
        let acrossTable = try #require(tables.first { $0["title"] as? String == "Across zones" })
        #expect((acrossTable["rows"] as? [[String]])?.first == ["randread IOPS", "3000 IOPS", "3", "2000 IOPS", "3010 IOPS", "3050 IOPS", "1.52"], "\(acrossTable)")
        let zoneTable = try #require(tables.first { $0["title"] as? String == "Zones" })
        #expect((zoneTable["rows"] as? [[String]])?.map { $0.last } == ["PASS", "FAIL", "PASS", "ERROR"])
        let mergedTable = try #require(tables.first { ($0["title"] as? String)?.hasPrefix("Merged") == true })
        #expect((mergedTable["header"] as? [String])?.suffix(5) == ["lat p50", "lat p90", "lat p99", "lat p99.9", "lat p99.99"], "\(mergedTable)")
        #expect((mergedTable["rows"] as? [[String]])?.first?.last == "3.20 ms", "\(mergedTable)")
    }

    @Test func markupInNamesStaysText() throws {
        let s = Scratch()
        let target = s.dataFile("t.dat", bytes: 8 << 20)
        let name = #"</script><img src=x onerror="console.error('ran')"><!-- & "q""#
        let json = s.file("r.json")
        let run = try tierbench(["run", "--target", target, "--rw", "randread", "--runtime", "1", "--time-based", "--name", name, "--progress", "never",
                                 "--output-format", "json", "--output", json])
        #expect(run.status == 0, "\(run.stderr)")
        let html = s.file("r.html")
        #expect(try tierbench(["report", json, "-o", html, "--title", "<b>title</b>"]).status == 0)
        let look = try openInChromium(html, shot: "report-markup", in: s)
        #expect(charts(look).count == 5)
        let model = try pageModel(html)
        let section = try #require((model["sections"] as? [[String: Any]])?.first)
        let group = try #require((section["blocks"] as? [[String: Any]])?.first { $0["type"] as? String == "group" })
        #expect(group["title"] as? String == "Job \(name)")
    }

    /// 24 hours of 1 s intervals: a report of a few MB, each line drawn with at most two points
    /// per pixel column, and the one-interval spike and dip still drawn.
    @Test func dayLongRunIsDownsampledKeepingTheExtremes() throws {
        let s = Scratch()
        var iops = (0..<86_400).map { 1000 + Double($0 % 97) }
        iops[50_000] = 99_999
        iops[70_000] = 1
        let result = try knownResult(s, iops: iops, bins: [[1000, 10], [50_000, 2]])
        let html = s.file("day.html")
        let o = try tierbench(["report", result, "-o", html])
        #expect(o.status == 0, "\(o.stderr)")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: html)[.size] as? Int)
        #expect(size < 12 << 20, "report of \(size) bytes")
        let look = try openInChromium(html, shot: "report-day", in: s, zoom: "run-job0-iops,49990,50010")
        // Zoomed to 20 s around the spike: every interval in it at full resolution.
        let zoomed = try #require(look["zoomed"] as? [String: Any], "no zoom result")
        let zoomedRead = try #require(series(zoomed)["read"])
        #expect(zoomedRead["points"] as? Int == 21 && zoomedRead["max"] as? Double == 99_999, "\(zoomedRead)")
        let read = try #require(series(charts(look)["run-job0-iops"])["read"])
        let points = try #require(read["points"] as? Int)
        #expect(points <= 2 * plotColumns && points > plotColumns / 2, "\(points) points drawn")
        #expect(read["total"] as? Int == 86_400)
        #expect(read["max"] as? Double == 99_999 && read["min"] as? Double == 1)
        print("24-hour report: \(size) bytes, \(points) of 86,400 points drawn, opened in \(look["load_ms"] ?? "?") ms")
    }
}
