import Foundation
import Harness
import Profiles

/// The `tierbench-check/1` document: per subject, its metrics and verdicts.
public struct CheckDocument: Codable, Sendable {
    public var schema = "tierbench-check/1"
    public var tool = "tierbench"
    public var version: String
    /// The device or file measured, or the results file judged.
    public var target: String?
    public var results: String?
    public var subjects: [SubjectVerdict]
    public var verdict: Verdict
    public var interrupted: Bool
    /// The command line of the check (the program as `tierbench`), when known.
    public var command: [String]?
    /// When the judged measurements started (the suite's run, or the result judged).
    public var startTimeUtc: String?
    /// The machine and device that were measured (from the run; absent for a fio result).
    public var environment: Environment?
    public var device: DeviceInfo?

    public init(version: String, target: String?, results: String?, subjects: [SubjectVerdict], interrupted: Bool) {
        self.version = version; self.target = target; self.results = results; self.subjects = subjects
        self.interrupted = interrupted
        verdict = subjects.contains { $0.verdict == .fail } ? .fail : .pass
    }

    public var failed: Bool { verdict == .fail }
}

public struct SubjectVerdict: Codable, Sendable {
    public var storageClass: String
    public var source: String
    public var provisioner: String
    public var profile: String
    public var size: String
    public var sizeGib: Double
    public var values: [String: Double]
    public var warnings: [String]
    public var lint: [LintEntry]
    public var promise: Promise
    public var depthSearch: DepthSearch?
    public var notes: [String]
    public var metrics: [MetricResult]
    public var verdict: Verdict

    public init(subject: CheckSubject, promise: Promise, depthSearch: DepthSearch?, notes: [String], metrics: [MetricResult]) {
        let r = subject.resolved
        storageClass = r.storageClass.name
        source = r.storageClass.file == "<command line>" ? "command line" : "\(r.storageClass.file)\(r.storageClass.line.map { ":\($0)" } ?? "")"
        provisioner = r.storageClass.provisioner
        profile = r.profile.name
        size = r.size.text
        sizeGib = r.sizeGiB
        values = r.values
        warnings = r.warnings
        lint = subject.lint.map(LintEntry.init)
        self.promise = promise
        self.depthSearch = depthSearch
        self.notes = r.notes + notes
        self.metrics = metrics
        verdict = metrics.contains { $0.verdict == .fail } ? .fail : .pass
    }
}

public struct LintEntry: Codable, Sendable {
    public var id: String
    public var effect: String
    public var message: String
    init(_ f: LintFinding) { id = f.id; effect = f.effect.rawValue; message = f.message }
}

public enum CheckReport {
    /// `{"type": "result", "check": tierbench-check/1, "run": tierbench/1}` on one line: framed so
    /// that notes and progress on stderr, interleaved in a container's log, cannot break it.
    public static func resultLine(_ doc: CheckDocument, run: RunResult?) throws -> String {
        struct Line: Encodable {
            let type = "result"
            let check: CheckDocument
            let run: RunResult?
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(Line(check: doc, run: run)), as: UTF8.self) + "\n"
    }

    /// Reads a `tierbench-check/1` document back (for `tierbench report`).
    public static func decode(_ data: Data) throws -> CheckDocument {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(CheckDocument.self, from: data)
    }

    public static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    /// The table: per metric expected, measured, ratio, verdict and reason.
    public static func human(_ doc: CheckDocument) -> String {
        var out = ""
        for s in doc.subjects {
            out += "\(s.source == "command line" ? s.storageClass : "StorageClass `\(s.storageClass)`") (\(s.source)): tier \(s.profile), \(s.size)\n"
            for w in s.warnings { out += "  warning: \(w)\n" }
            for l in s.lint { out += "  lint: \(l.effect): \(l.message) [\(l.id)]\n" }
            for n in s.notes { out += "  note: \(n)\n" }
            if let d = s.depthSearch {
                out += "  queue depth: \(d.littleDepth) from Little's law; steps " + d.steps.map { "QD\($0.iodepth) \(num($0.iops)) IOPS" }.joined(separator: ", ") + "; used QD\(d.chosen)\n"
            }
            out += "  promise: \(pct(s.promise.shareOfExpected)) of expected in \(pct(s.promise.shareOfTime)) of 1 s intervals (\(s.promise.source))\n"
            let rows = [["metric", "expected", "measured", "ratio", "verdict", "reason"]] + s.metrics.map { m in
                [m.metric, m.expected.map { "\(num($0)) \(m.unit)" } ?? "-", m.measured.map { "\(num($0)) \(m.unit)" } ?? "-",
                 m.ratio.map { String(format: "%.2f", $0) } ?? "-", m.verdict.rawValue.replacingOccurrences(of: "_", with: " ").uppercased(), m.reason]
            }
            out += table(rows, indent: "  ")
            let judged = s.metrics.filter { $0.verdict == .pass || $0.verdict == .fail || $0.verdict == .suspicious }
            let suspicious = s.metrics.filter { $0.verdict == .suspicious }.count
            out += "  verdict: \(s.verdict == .fail ? "FAIL" : "PASS")\(doc.interrupted ? " so far" : "") (\(s.metrics.filter { $0.verdict == .fail }.count) of \(judged.count) judged metrics failed\(suspicious > 0 ? ", \(suspicious) suspicious" : ""))\n\n"
        }
        if doc.interrupted { out += "interrupted: the verdicts cover what was measured until then\n" }
        return out
    }

    public static func table(_ rows: [[String]], indent: String) -> String {
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            indent + row.enumerated().map { c, cell in
                c == row.count - 1 ? cell : cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// JUnit XML: a test suite per subject, a test case per metric (failure, skipped when not
    /// judged; suspicious and info results pass with their reason in system-out).
    public static func junit(_ doc: CheckDocument) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let all = doc.subjects.flatMap(\.metrics)
        out += "<testsuites name=\"tierbench check\" tests=\"\(all.count)\" failures=\"\(all.filter { $0.verdict == .fail }.count)\" errors=\"0\" skipped=\"\(all.filter { $0.verdict == .notJudged }.count)\">\n"
        for s in doc.subjects {
            let name = "\(s.storageClass) (\(s.profile), \(s.size))"
            out += "  <testsuite name=\"\(xml(name))\" tests=\"\(s.metrics.count)\" failures=\"\(s.metrics.filter { $0.verdict == .fail }.count)\" errors=\"0\" skipped=\"\(s.metrics.filter { $0.verdict == .notJudged }.count)\">\n"
            out += "    <properties>\n"
            for (k, v) in [("profile", s.profile), ("size", s.size), ("source", s.source), ("target", doc.target ?? doc.results ?? "")] {
                out += "      <property name=\"\(k)\" value=\"\(xml(v))\"/>\n"
            }
            out += "    </properties>\n"
            for m in s.metrics {
                let summary = "expected \(m.expected.map { "\(num($0)) \(m.unit)" } ?? "-"), measured \(m.measured.map { "\(num($0)) \(m.unit)" } ?? "-"): \(m.reason)"
                out += "    <testcase classname=\"\(xml("tierbench.check.\(s.storageClass)"))\" name=\"\(xml(m.metric))\">\n"
                switch m.verdict {
                case .fail: out += "      <failure message=\"\(xml(summary))\" type=\"sla\">\(xml(summary))</failure>\n"
                case .notJudged: out += "      <skipped message=\"\(xml(summary))\"/>\n"
                case .pass, .suspicious, .info: out += "      <system-out>\(xml("\(m.verdict.rawValue): \(summary)"))</system-out>\n"
                }
                out += "    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    public static func xml(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // XML 1.0 refuses most control characters.
                if ch.value < 0x20 && ch != "\n" && ch != "\t" && ch != "\r" { out += "?" } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }
}
