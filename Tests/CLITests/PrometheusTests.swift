import Foundation
import Glibc
import Testing
import TestSupport

/// `--output-format prometheus` and `--push` through the real binary: promtool's lint,
/// OpenMetrics' parser, a real Pushgateway scraped by a real Prometheus (queried with PromQL),
/// node_exporter's textfile collector, and the Grafana dashboard's queries against what
/// tierbench really emits.

let promtool = which("promtool")
let pushgatewayBinary = which("prometheus-pushgateway")
let prometheusBinary = which("prometheus")
let nodeExporterBinary = which("prometheus-node-exporter")
let dashboardFile = "\(schemaPackageDirectory)/dashboards/tierbench.json"

/// A gp3 StorageClass named `fast`.
let gp3Class = """
    apiVersion: storage.k8s.io/v1
    kind: StorageClass
    metadata: {name: fast}
    provisioner: ebs.csi.aws.com
    parameters: {type: gp3}
    """

/// One short real run with its JSON and exposition side by side.
struct MeasuredRun {
    let scratch = Scratch()
    let json: String
    let prom: String
    let document: [String: Any]

    init(rw: String = "randrw", bs: String = "4k", extra: [String] = []) throws {
        let target = scratch.dataFile("t.dat", bytes: 16 << 20)
        json = scratch.file("run.json")
        prom = scratch.file("run.prom")
        let o = try tierbench(["run", "--target", target, "--overwrite", "--rw", rw, "--bs", bs, "--iodepth", "4", "--runtime", "2", "--time-based",
                               "--output-format", "json,prometheus", "--output", json, "--output", prom, "--progress", "never"] + extra)
        #expect(o.status == 0, "\(o.stderr)")
        document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
    }

    var exposition: String { (try? String(contentsOfFile: prom, encoding: .utf8)) ?? "" }
}

/// A sample line of an exposition: name, labels, value.
struct SampleLine {
    var name: String
    var labels: [String: String]
    var value: Double
}

/// Reads samples back (labels without escapes, which tierbench's values here do not need).
func samples(_ text: String) -> [SampleLine] {
    text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
        let s = String(line)
        guard let space = s.lastIndex(of: " "), let value = Double(s[s.index(after: space)...].replacingOccurrences(of: "+Inf", with: "inf")) else { return nil }
        let head = String(s[..<space])
        guard let brace = head.firstIndex(of: "{") else { return SampleLine(name: head, labels: [:], value: value) }
        var labels: [String: String] = [:]
        for pair in head[head.index(after: brace)..<head.index(before: head.endIndex)].components(separatedBy: "\",") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            guard kv.count == 2 else { continue }
            labels[String(kv[0])] = String(kv[1]).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return SampleLine(name: String(head[..<brace]), labels: labels, value: value)
    }
}

func assertLintClean(_ file: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let o = try execute("/bin/sh", ["-c", "\(promtool!) check metrics < '\(file)'"])
    #expect(o.status == 0 && o.stdout.isEmpty && o.stderr.isEmpty, "promtool check metrics: \(o.stdout)\(o.stderr)", sourceLocation: sourceLocation)
}

func assertOpenMetrics(_ file: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
    let script = """
        import sys
        from prometheus_client.openmetrics.parser import text_string_to_metric_families
        print("\\n".join(f.name + " " + f.type for f in text_string_to_metric_families(open(sys.argv[1]).read())))
        """
    let o = try execute(venvPython, ["-c", script, file])
    #expect(o.status == 0, "OpenMetrics parser: \(o.stderr)", sourceLocation: sourceLocation)
    return o.stdout.split(separator: "\n").map(String.init)
}

/// Every query of the dashboard (panels, variables, annotations) with the metrics it names and
/// the labels it groups by or shows (`by (...)`, `{{label}}` in its legend or annotation text).
func dashboardQueries() throws -> [(expr: String, metrics: Set<String>, labels: Set<String>, panel: Bool)] {
    let dashboard = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dashboardFile))) as? [String: Any])
    var out: [(String, Set<String>, Set<String>, Bool)] = []
    let metric = try NSRegularExpression(pattern: "tierbench_[a-zA-Z0-9_]+")
    let by = try NSRegularExpression(pattern: #"by \(([^)]*)\)"#)
    let shown = try NSRegularExpression(pattern: #"\{\{ *([a-zA-Z_][a-zA-Z0-9_]*) *\}\}"#)
    func matches(_ r: NSRegularExpression, _ text: String, group: Int) -> [String] {
        r.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range(at: group), in: text)!]) }
    }
    func add(_ expr: String, _ formats: [String], panel: Bool) {
        var labels = Set(matches(by, expr, group: 1).flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } })
        for f in formats { labels.formUnion(matches(shown, f, group: 1)) }
        out.append((expr, Set(matches(metric, expr, group: 0)), labels, panel))
    }
    func walk(_ panels: [[String: Any]]) {
        for p in panels {
            if p["type"] as? String == "row" { walk(p["panels"] as? [[String: Any]] ?? []); continue }
            #expect(!(p["targets"] as? [[String: Any]] ?? []).isEmpty && !(p["title"] as? String ?? "").isEmpty, "panel \(p["id"] ?? "?") has no query or title")
            for t in p["targets"] as? [[String: Any]] ?? [] {
                if let e = t["expr"] as? String { add(e, [t["legendFormat"] as? String ?? ""], panel: true) }
            }
        }
    }
    walk(try #require(dashboard["panels"] as? [[String: Any]]))
    for v in (dashboard.at("templating", "list") as? [[String: Any]] ?? []) {
        if let q = (v["query"] as? [String: Any])?["query"] as? String {
            // label_values(METRIC, LABEL): the variable's values are that label's.
            let parts = matches(try! NSRegularExpression(pattern: #"label_values\((tierbench_[a-z_]+), *([a-z_]+)\)"#), q, group: 2)
            out.append((q, Set(matches(metric, q, group: 0)), Set(parts), false))
        }
    }
    for a in (dashboard.at("annotations", "list") as? [[String: Any]] ?? []) {
        if let q = a["expr"] as? String { add(q, [a["titleFormat"] as? String ?? "", a["textFormat"] as? String ?? ""], panel: false) }
    }
    return out
}

/// The dashboard queries' labels that no emitted sample of their metrics carries ("metric: label").
func labelsNotEmitted(_ queries: [(expr: String, metrics: Set<String>, labels: Set<String>, panel: Bool)], _ emitted: [SampleLine]) -> [String] {
    var missing: [String] = []
    for q in queries {
        for m in q.metrics {
            let ofMetric = emitted.filter { $0.name == m }
            for l in q.labels.sorted() where !ofMetric.contains(where: { $0.labels[l] != nil }) { missing.append("\(m): \(l)") }
        }
    }
    return Array(Set(missing)).sorted()
}

@Suite struct PrometheusOutputTests {
    /// The run's exposition: promtool-clean, valid OpenMetrics, the JSON's numbers in base units
    /// under the identity labels.
    @Test(.enabled(if: promtool != nil, "needs promtool (Debian's prometheus)")) func runExpositionIsLintCleanAndMatchesTheJSON() throws {
        let run = try MeasuredRun()
        try assertLintClean(run.prom)
        if venvHas("prometheus_client") {
            let families = try assertOpenMetrics(run.prom)
            #expect(families.contains("tierbench_latency_seconds summary") && families.contains("tierbench_iops gauge"), "\(families)")
        }
        let all = samples(run.exposition)
        let agg = try #require((run.document["aggregates"] as? [[String: Any]])?.first)
        let host = try #require(run.document.at("environment", "hostname") as? String)
        for dir in ["read", "write"] {
            let iops = try #require(all.first { $0.name == "tierbench_iops" && $0.labels["direction"] == dir }, "no \(dir) IOPS")
            #expect(iops.labels["job_name"] == agg["name"] as? String && iops.labels["host"] == host && iops.labels["rw"] == "randrw")
            #expect(iops.labels["target"] == run.document.at("target", "path") as? String)
            #expect(iops.labels["job"] == nil, "`job` belongs to Prometheus")
            #expect(abs(iops.value - ((agg[dir] as? [String: Any])?["iops"] as? Double ?? -1)) < 1e-6 * iops.value)
            let bw = try #require(all.first { $0.name == "tierbench_bandwidth_bytes_per_second" && $0.labels["direction"] == dir })
            #expect(abs(bw.value - ((agg[dir] as? [String: Any])?["bandwidth_bytes_per_second"] as? Double ?? -1)) < 1e-6 * bw.value)
            let lat = all.filter { $0.name == "tierbench_latency_seconds" && $0.labels["direction"] == dir }
            #expect(lat.map { $0.labels["quantile"] ?? "" } == ["0.5", "0.9", "0.99", "0.999", "0.9999"])
            #expect(zip(lat, lat.dropFirst()).allSatisfy { $0.value <= $1.value }, "quantiles ascend")
            let maxNs = (((agg[dir] as? [String: Any])?["lat_ns"] as? [String: Any])?["max"] as? Double) ?? 0
            #expect(lat.allSatisfy { $0.value > 0 && $0.value <= maxNs / 1e9 }, "latency in seconds, within the max")
            let count = try #require(all.first { $0.name == "tierbench_latency_seconds_count" && $0.labels["direction"] == dir })
            #expect(count.value == (agg[dir] as? [String: Any])?["ios"] as? Double)
        }
        let start = try #require(all.first { $0.name == "tierbench_run_timestamp_seconds" })
        #expect(abs(start.value - Date().timeIntervalSince1970) < 600)
        #expect(start.labels["kernel"] == run.document.at("environment", "kernel") as? String)
        #expect(run.exposition.hasSuffix("# EOF\n"))
    }

    /// check's exposition: a verdict per judged metric and the values it was judged on, in base units.
    @Test(.enabled(if: promtool != nil, "needs promtool (Debian's prometheus)")) func checkExpositionHasVerdictsInBaseUnits() throws {
        let run = try MeasuredRun()
        let prom = run.scratch.file("check.prom"), json = run.scratch.file("check.json")
        let p = try tierbench(["check", "--tier", "gp3", "--size", "100Gi", "--results", run.json, "--output-format", "prometheus", "--output", prom])
        let j = try tierbench(["check", "--tier", "gp3", "--size", "100Gi", "--results", run.json, "--output-format", "json", "--output", json])
        #expect(p.status == j.status && (p.status == 0 || p.status == 3), "\(p.stderr)")
        try assertLintClean(prom)
        if venvHas("prometheus_client") { _ = try assertOpenMetrics(prom) }
        let all = samples(try String(contentsOfFile: prom, encoding: .utf8))
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let metrics = try #require(doc.at("subjects", "0", "metrics") as? [[String: Any]])
        for m in metrics {
            let name = m["metric"] as! String, verdict = m["verdict"] as! String
            let pass = all.first { $0.name == "tierbench_sla_pass" && $0.labels["metric"] == name }
            if ["pass", "fail", "suspicious"].contains(verdict) {
                #expect(pass?.value == (verdict == "fail" ? 0 : 1), "\(name): \(verdict)")
                #expect(pass?.labels["tier"] == "gp3" && pass?.labels["storage_class"] == nil, "--tier names no class")
            } else {
                #expect(pass == nil, "\(name) is not judged")
            }
            let kind = m["kind"] as! String
            if let expected = m["expected"] as? Double {
                let (suffix, scale) = kind == "iops" ? ("iops", 1.0) : kind.hasPrefix("latency") ? ("latency_seconds", 1e-3) : ("bandwidth_bytes_per_second", 1_048_576.0)
                let e = try #require(all.first { $0.name == "tierbench_sla_expected_\(suffix)" && $0.labels["metric"] == name }, "\(name)")
                #expect(abs(e.value - expected * scale) <= 1e-9 * e.value)
            }
        }
        let verdict = try #require(all.first { $0.name == "tierbench_check_pass" })
        #expect(verdict.value == (doc["verdict"] as? String == "fail" ? 0 : 1))
        // The judged run's own metrics come along, labelled with the tier.
        #expect(all.contains { $0.name == "tierbench_iops" && $0.labels["tier"] == "gp3" })
    }

    /// The dashboard parses, every panel has a query, and every metric its queries (and
    /// variables and annotations) name is one a real run, check or gate emits, with the labels
    /// they group by and show; the queries parse as PromQL (promtool check rules).
    @Test(.enabled(if: promtool != nil, "needs promtool (Debian's prometheus)")) func dashboardQueriesNameEmittedMetrics() throws {
        let parsed = try dashboardQueries()
        let queries = parsed.map(\.expr)
        #expect(parsed.filter(\.panel).count >= 10)

        // A random mix (IOPS metrics) and a sequential read (throughput metrics), each run and
        // checked against a StorageClass, with a zone label.
        let run = try MeasuredRun()
        let sequential = try MeasuredRun(rw: "read", bs: "1m")
        let prom = run.scratch.file("check.prom")
        let classes = run.scratch.file("classes.yaml")
        try gp3Class.write(toFile: classes, atomically: false, encoding: .utf8)
        var all = samples(run.exposition) + samples(sequential.exposition)
        for r in [run, sequential] {
            let c = try tierbench(["check", "-f", classes, "--class", "fast", "--size", "100Gi", "--results", r.json, "--output-format", "prometheus", "--output", prom,
                                   "--metric-label", "zone=eu-west-1a"])
            #expect(c.status == 0 || c.status == 3, "\(c.stderr)")
            all += samples(try String(contentsOfFile: prom, encoding: .utf8))
        }
        var emitted = Set(all.map(\.name))
        // And the gate's verdicts on a history with a regression (exit 3).
        let gate = try tierbench(["gate", "--history", try regressionHistory(run.scratch), "--output-format", "prometheus"])
        #expect(gate.status == 3, "\(gate.stdout)\(gate.stderr)")
        let gateSamples = samples(gate.stdout)
        emitted.formUnion(gateSamples.map(\.name))
        all += gateSamples
        // Every label a query groups by or shows is one tierbench sets on that metric.
        #expect(labelsNotEmitted(parsed, all).isEmpty, "grouped by or shown but never emitted: \(labelsNotEmitted(parsed, all))")
        for label in ["storage_class", "tier", "zone", "job_name", "direction", "metric", "host", "device"] {
            #expect(gateSamples.contains { $0.name == "tierbench_regression" && $0.labels[label] != nil }, "gate: \(label)")
        }
        let pattern = try NSRegularExpression(pattern: "tierbench_[a-zA-Z0-9_]+")
        var named = Set<String>()
        for q in queries {
            for m in pattern.matches(in: q, range: NSRange(q.startIndex..., in: q)) { named.insert(String(q[Range(m.range, in: q)!])) }
        }
        #expect(!named.isEmpty)
        #expect(named.subtracting(emitted).isEmpty, "queried but never emitted: \(named.subtracting(emitted).sorted())")
        for needed in ["tierbench_iops", "tierbench_latency_seconds", "tierbench_sla_pass", "tierbench_check_pass", "tierbench_regression"] { #expect(named.contains(needed), "\(needed)") }
        // The identity labels the panels group by are labels tierbench sets.
        for label in ["storage_class", "tier", "job_name", "direction", "host", "zone"] {
            #expect(samples(try String(contentsOfFile: prom, encoding: .utf8)).contains { $0.labels[label] != nil }, "\(label)")
        }

        // PromQL syntax: each panel query as a recording rule (Grafana's variables as regexes).
        let rules = run.scratch.file("rules.yml")
        var yaml = "groups:\n  - name: dashboard\n    rules:\n"
        for (i, q) in queries.enumerated() where !q.hasPrefix("label_values") {
            let expr = q.replacingOccurrences(of: "$__all", with: ".*").replacingOccurrences(of: "\"$", with: "\"$")
                .replacingOccurrences(of: #"=~"\$[a-z_]+""#, with: #"=~".*""#, options: .regularExpression)
            yaml += "      - record: dashboard:query\(i)\n        expr: '\(expr.replacingOccurrences(of: "'", with: "''"))'\n"
        }
        try yaml.write(toFile: rules, atomically: false, encoding: .utf8)
        let check = try execute(promtool!, ["check", "rules", rules])
        #expect(check.status == 0, "promtool check rules: \(check.stdout)\(check.stderr)")
    }

    /// A target path and job name with quotes, backslashes and braces are escaped: promtool and
    /// the OpenMetrics parser read them back as they were.
    @Test(.enabled(if: promtool != nil && venvHas("prometheus_client"), "needs promtool and prometheus-client"))
    func awkwardNamesAreEscaped() throws {
        let s = Scratch()
        let target = s.dataFile(#"odd "name" \ {x}.dat"#, bytes: 8 << 20)
        let name = #"job "one" \ {a=b},c"#
        let prom = s.file("odd.prom")
        let o = try tierbench(["run", "--target", target, "--rw", "randread", "--runtime", "1", "--time-based", "--name", name, "--progress", "never",
                               "--output-format", "prometheus", "--output", prom])
        #expect(o.status == 0, "\(o.stderr)")
        try assertLintClean(prom)
        let script = """
            import sys
            from prometheus_client.openmetrics.parser import text_string_to_metric_families
            for f in text_string_to_metric_families(open(sys.argv[1]).read()):
                for smp in f.samples:
                    if smp.name == "tierbench_iops":
                        print(smp.labels["job_name"]); print(smp.labels["target"])
            """
        let read = try execute(venvPython, ["-c", script, prom])
        #expect(read.status == 0, "\(read.stderr)")
        #expect(read.stdout == "\(name)\n\(target)\n", "\(read.stdout)")
    }

    @Test func pushMistakesAreOneLine() throws {
        let s = Scratch()
        for (url, fragment) in [("https://gw:9091", "https is not supported"), ("gw:9091", "not an http:// URL"), ("http://gw:99999", "port"),
                                ("http://user@gw:9091", "without user")] {
            let o = try tierbench(["run", "--target", s.file("never.dat"), "--rw", "read", "--runtime", "1", "--push", url])
            #expect(o.status == 2, "\(url): \(o.stderr)")
            #expect(o.stderr.split(separator: "\n").count == 1 && o.stderr.contains("--push \(url)") && o.stderr.contains(fragment), "\(o.stderr)")
            #expect(!FileManager.default.fileExists(atPath: s.file("never.dat")), "the run started")
            let c = try tierbench(["check", "--tier", "gp3", "--size", "100Gi", "--target", s.path, "--push", url])
            #expect(c.status == 2 && c.stderr.contains(fragment), "\(c.stderr)")
        }
        for (label, fragment) in [("zone", "not NAME=VALUE"), ("=x", "not NAME=VALUE"), ("9zone=a", "not a label name"), ("__name__=a", "not a label name"),
                                  ("job=x", "sets `job` itself"), ("direction=up", "sets `direction` itself"), ("zone=", "has no value")] {
            let o = try tierbench(["run", "--target", s.file("never.dat"), "--rw", "read", "--runtime", "1", "--metric-label", label])
            #expect(o.status == 2 && o.stderr.split(separator: "\n").count == 1 && o.stderr.contains("--metric-label") && o.stderr.contains(fragment), "\(label): \(o.stderr)")
            let c = try tierbench(["check", "--tier", "gp3", "--size", "100Gi", "--target", s.path, "--metric-label", label])
            #expect(c.status == 2 && c.stderr.contains(fragment), "\(c.stderr)")
        }
        let twice = try tierbench(["run", "--target", s.file("never.dat"), "--metric-label", "zone=a", "--metric-label", "zone=b"])
        #expect(twice.status == 2 && twice.stderr.contains("given twice"), "\(twice.stderr)")
        #expect(!FileManager.default.fileExists(atPath: s.file("never.dat")))
        let f = try tierbench(["check", "--tier", "gp3", "--size", "100Gi", "--target", s.path, "--output-format", "csv"])
        #expect(f.status == 2 && f.stderr.contains("use human, json, jsonl or prometheus"), "\(f.stderr)")
    }

    /// Nobody listening: the run runs and writes its outputs; the push failure is one line and exit 1.
    @Test func anUnreachablePushgatewayFailsAfterTheRun() throws {
        let s = Scratch()
        let target = s.dataFile("t.dat", bytes: 8 << 20)
        let json = s.file("r.json")
        let held = boundPort()
        defer { close(held.fd) }
        let url = "http://127.0.0.1:\(held.port)"
        let o = try tierbench(["run", "--target", target, "--rw", "randread", "--runtime", "1", "--time-based", "--output-format", "json", "--output", json,
                               "--progress", "never", "--push", url])
        #expect(o.status == 1, "\(o.stderr)")
        #expect(FileManager.default.fileExists(atPath: json))
        let errors = o.stderr.split(separator: "\n").filter { $0.contains("error") }
        #expect(errors.count == 1 && errors[0].contains("--push \(url)") && errors[0].contains("cannot connect"), "\(o.stderr)")
    }
}

/// A Pushgateway of the test's own, keeping what it is pushed in memory (Debian's default
/// persists to /var/lib/prometheus/pushgateway.data, shared by every instance).
func pushgateway() throws -> LocalService {
    try LocalService(pushgatewayBinary!, { port, _ in ["--web.listen-address=127.0.0.1:\(port)", "--persistence.file="] }, name: "pushgateway")
}

@Suite(.serialized, .enabled(if: pushgatewayBinary != nil && prometheusBinary != nil, "needs prometheus and prometheus-pushgateway (Debian)"))
struct PushgatewayTests {
    /// run --push to a real Pushgateway, scraped by a real Prometheus: PromQL returns the run's
    /// IOPS per direction with its labels; a second run of the same subject replaces the first.
    @Test func pushedRunIsQueryableInPrometheus() throws {
        let gateway = try pushgateway()
        #expect(gateway.ready("/-/ready"), "pushgateway: \(gateway.log)")
        let prometheus = try LocalService(prometheusBinary!, { port, scratch in
            let config = """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                scrape_configs:
                  - job_name: pushgateway
                    honor_labels: true
                    static_configs: [{targets: ["127.0.0.1:\(gateway.port)"]}]
                """
            try? config.write(toFile: scratch.file("prometheus.yml"), atomically: false, encoding: .utf8)
            return ["--config.file=\(scratch.file("prometheus.yml"))", "--storage.tsdb.path=\(scratch.file("data"))",
                    "--web.listen-address=127.0.0.1:\(port)"]
        }, name: "prometheus")
        #expect(prometheus.ready("/-/ready"), "prometheus: \(prometheus.log)")

        let run = try MeasuredRun(extra: ["--push", gateway.url, "--metric-label", "zone=test-zone-a", "--metric-label", "node=worker-1"])
        let agg = try #require((run.document["aggregates"] as? [[String: Any]])?.first)
        let target = try #require(run.document.at("target", "path") as? String)
        // The group: job tierbench, host, target, device.
        let groups = httpGet(gateway.url + "/api/v1/metrics")?.body ?? ""
        #expect(groups.contains("\"job\":\"tierbench\"") && groups.contains(target) && groups.contains("\"zone\":\"test-zone-a\""), "\(groups.prefix(500))")

        var result: [[String: Any]] = []
        let query = "tierbench_iops{job=\"tierbench\",job_name=\"\(agg["name"] as! String)\"}"
        let url = prometheus.url + "/api/v1/query?query=" + query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        #expect(waitUntil(timeout: 30) {
            let body = httpGet(url)?.body ?? ""
            result = ((try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?.at("data", "result") as? [[String: Any]]) ?? []
            return result.count == 2
        }, "PromQL \(query): \(result)\n\(prometheus.log.suffix(800))")
        for r in result {
            let labels = r["metric"] as? [String: String] ?? [:]
            let dir = try #require(labels["direction"])
            #expect(labels["host"] == run.document.at("environment", "hostname") as? String && labels["target"] == target && labels["rw"] == "randrw")
            #expect(labels["zone"] == "test-zone-a" && labels["node"] == "worker-1", "\(labels)")
            let value = Double(((r["value"] as? [Any])?[1] as? String) ?? "") ?? -1
            let expected = (agg[dir] as? [String: Any])?["iops"] as? Double ?? 0
            #expect(abs(value - expected) <= 1e-6 * expected, "\(dir): \(value) vs \(expected)")
        }
        // One push per run, replacing the group: after a second run (read only) the write series is gone.
        let second = try tierbench(["run", "--target", target, "--rw", "randread", "--bs", "4k", "--iodepth", "4", "--runtime", "1", "--time-based",
                                    "--progress", "never", "--output-format", "json", "--output", run.scratch.file("second.json"), "--push", gateway.url,
                                    "--metric-label", "zone=test-zone-a", "--metric-label", "node=worker-1"])
        #expect(second.status == 0, "\(second.stderr)")
        let pushed = httpGet(gateway.url + "/metrics")?.body ?? ""
        let iopsLines = pushed.split(separator: "\n").filter { $0.hasPrefix("tierbench_iops{") }
        #expect(iopsLines.count == 1 && iopsLines[0].contains("direction=\"read\"") && iopsLines[0].contains("rw=\"randread\""), "\(iopsLines)")
    }

    /// check --push: the verdicts reach the Pushgateway as a group of their own (tier and class in the key).
    @Test func pushedCheckCarriesVerdicts() throws {
        let gateway = try pushgateway()
        #expect(gateway.ready("/-/ready"), "pushgateway: \(gateway.log)")
        let run = try MeasuredRun()
        let c = try tierbench(["check", "--tier", "gp3", "--size", "100Gi", "--results", run.json, "--output-format", "json", "--push", gateway.url])
        #expect(c.status == 0 || c.status == 3, "\(c.stderr)")
        let pushed = httpGet(gateway.url + "/metrics")?.body ?? ""
        let sla = samples(pushed).filter { $0.name == "tierbench_sla_pass" }
        #expect(!sla.isEmpty && sla.allSatisfy { $0.labels["job"] == "tierbench" && $0.labels["tier"] == "gp3" }, "\(pushed.prefix(1000))")
    }
}

@Suite(.enabled(if: nodeExporterBinary != nil, "needs prometheus-node-exporter (Debian)")) struct TextfileCollectorTests {
    /// The exposition written where node_exporter's textfile collector reads it: node_exporter
    /// serves tierbench's samples with their labels and reports no scrape error.
    @Test func nodeExporterServesTheFile() throws {
        let run = try MeasuredRun()
        let dir = run.scratch.file("textfile")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let o = try tierbench(["check", "--tier", "gp3", "--size", "100Gi", "--results", run.json, "--output-format", "prometheus", "--output", "\(dir)/tierbench-check.prom"])
        #expect(o.status == 0 || o.status == 3, "\(o.stderr)")
        try FileManager.default.copyItem(atPath: run.prom, toPath: "\(dir)/tierbench-run.prom")
        let exporter = try LocalService(nodeExporterBinary!, { port, _ in
            ["--web.listen-address=127.0.0.1:\(port)", "--collector.disable-defaults", "--collector.textfile", "--collector.textfile.directory=\(dir)"]
        }, name: "node_exporter")
        #expect(exporter.ready("/metrics"), "node_exporter: \(exporter.log)")
        let served = httpGet(exporter.url + "/metrics")?.body ?? ""
        let all = samples(served)
        #expect(all.contains { $0.name == "node_textfile_scrape_error" && $0.value == 0 }, "\(served.suffix(600))\n\(exporter.log)")
        let agg = try #require((run.document["aggregates"] as? [[String: Any]])?.first)
        let iops = all.filter { $0.name == "tierbench_iops" && $0.labels["tier"] == nil }
        #expect(Set(iops.compactMap { $0.labels["direction"] }) == ["read", "write"])
        #expect(iops.allSatisfy { $0.labels["job_name"] == agg["name"] as? String })
        #expect(all.contains { $0.name == "tierbench_sla_pass" && $0.labels["tier"] == "gp3" })
        #expect(all.contains { $0.name == "tierbench_latency_seconds" && $0.labels["quantile"] == "0.99" })
    }
}
