import Check
import Foundation

extension GateReport {
    /// The human table: series, baseline, newest, change, significance, since when; then
    /// boundaries, acks, the thresholds used and the result.
    public func human(onlyChanges: Bool = false) -> String {
        var out = "tierbench gate: \(series.count) series in \(history)" + (candidate.map { ", judging \($0) as the newest run (not recorded)" } ?? "") + "\n"
        out += "rules: \(thresholds.summary)\n\n"
        let shown = onlyChanges ? series.filter { $0.status != .ok } : series
        var rows: [[String]] = [["STATUS", "SERIES", "BASELINE", "NEWEST", "CHANGE", "SIGNIFICANCE", "SINCE"]]
        for v in shown {
            let status: String
            switch v.status {
            case .regression: status = "REGRESSION"
            case .improvement: status = v.failing ? "IMPROVEMENT (fails)" : "improvement"
            case .tooLittleHistory: status = "too little history"
            case .ok: status = "ok"
            }
            let w = v.window
            let significance = w.map { w in
                "p \(Format.p(w.pValue)), \(Format.number(w.sigmas, digits: 2)) sd" + (w.mannWhitneyPValue == nil ? " (t)" : "")
            } ?? "\(v.historyRuns) of \(thresholds.minimumRuns) runs"
            let since: String
            if let s = v.shift, s.largeEnough, v.status != .ok {
                since = "run \(s.sinceRunID == 0 ? "new" : String(s.sinceRunID)) on \(Format.date(s.sinceEpoch)): \(Format.signedPercent(s.relativeChange))"
            } else if w?.flagged == true {
                since = v.newestRunID == 0 ? "this result" : "run \(v.newestRunID) (newest)"
            } else {
                since = "-"
            }
            rows.append([status, v.series, w.map { Format.value($0.baseline, v.metric) } ?? "-", Format.value(v.newest, v.metric),
                         w.map { Format.signedPercent($0.relativeChange) } ?? "-", significance, since])
        }
        if shown.isEmpty { out += onlyChanges ? "no series changed\n" : "no series to judge\n" } else { out += table(rows) }
        let boundaries = series.filter { $0.boundary != nil }
        if !boundaries.isEmpty {
            out += "\nsegments (a change here starts a new segment, never judged against the old one):\n"
            for v in boundaries { out += "  \(v.series): since run \(v.boundaryRunID.map { $0 == 0 ? "new" : String($0) } ?? "?") (\(v.boundary!))\n" }
        }
        let acks = series.flatMap(\.acks)
        if !acks.isEmpty {
            out += "\nacks (known changes; the series is judged only against runs since):\n"
            for a in acks { out += "  \(a.series): since run \(a.sinceRunID) on \(Format.date(a.sinceEpoch)): \(a.reason) (acked \(a.createdAt))\n" }
        }
        for v in series where v.status == .regression || v.status == .improvement {
            out += "\n\(v.status == .regression ? "regression" : "improvement"): \(v.series): \(v.reason)"
        }
        if regressions + improvements > 0 { out += "\n" }
        let exitCode = failed ? 3 : 0
        out += "\nresult: \(failed ? "FAIL" : "pass"): \(regressions) regression\(regressions == 1 ? "" : "s"), \(improvements) improvement\(improvements == 1 ? "" : "s"), "
            + "\(tooLittleHistory) with too little history, \(series.count - regressions - improvements - tooLittleHistory) ok (exit \(exitCode))\n"
        return out
    }

    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// JUnit XML: one test case per series; a failure per failing series, skipped without a verdict.
    public func junit() -> String {
        let failures = series.filter(\.failing).count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"tierbench gate\" tests=\"\(series.count)\" failures=\"\(failures)\">\n"
        out += "  <testsuite name=\"tierbench gate \(xml(history))\" tests=\"\(series.count)\" failures=\"\(failures)\" skipped=\"\(tooLittleHistory)\">\n"
        out += "    <properties><property name=\"rules\" value=\"\(xml(thresholds.summary))\"/></properties>\n"
        for v in series {
            out += "    <testcase classname=\"\(xml(v.series.replacingOccurrences(of: " \(v.metric) ", with: " ")))\" name=\"\(xml(v.metric))\">\n"
            if v.failing {
                out += "      <failure message=\"\(xml(v.status.rawValue)): \(xml(v.reason))\">\(xml(v.reason))</failure>\n"
            } else if v.status == .tooLittleHistory {
                out += "      <skipped message=\"\(xml(v.reason))\"/>\n"
            } else {
                out += "      <system-out>\(xml(v.status.rawValue)): \(xml(v.reason))</system-out>\n"
            }
            out += "    </testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }
}

/// XML escaping for the JUnit report: the one Check's reports use.
func xml(_ s: String) -> String { CheckReport.xml(s) }

/// Columns padded to their widest cell, two spaces apart.
func table(_ rows: [[String]]) -> String { rows.isEmpty ? "" : CheckReport.table(rows, indent: "") }
