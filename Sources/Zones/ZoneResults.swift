import Check
import Foundation
import Harness
import Report
import Stats

/// Reading what a pod printed, and merging volumes: histograms added, never percentiles averaged.
public enum ZoneResults {
    public struct DecodeError: Error, CustomStringConvertible {
        public var description: String
    }

    /// A pod's `{"type": "result", ...}` line: `check`'s (verdict and measurements) or `run`'s
    /// (measurements, judged here against the tier).
    public static func decode(resultLine: String, subject: CheckSubject, promise: Promise) throws -> (SubjectVerdict, RunResult?) {
        guard let object = try JSONSerialization.jsonObject(with: Data(resultLine.utf8)) as? [String: Any] else {
            throw DecodeError(description: "not a JSON object")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        if let check = object["check"] as? [String: Any] {
            let doc = try decoder.decode(CheckDocument.self, from: JSONSerialization.data(withJSONObject: check))
            guard let verdict = doc.subjects.first else { throw DecodeError(description: "the check result has no subject") }
            let run = try (object["run"] as? [String: Any]).map { try JSONReport.decode(JSONSerialization.data(withJSONObject: $0)) }
            return (verdict, run)
        }
        var plain = object
        plain.removeValue(forKey: "type")
        let run = try JSONReport.decode(JSONSerialization.data(withJSONObject: plain))
        let judge = Judge(subject: subject, promise: promise)
        let metrics = MeasuredResults.jobs(of: run).flatMap(judge.judge)
        return (SubjectVerdict(subject: subject, promise: promise, depthSearch: nil, notes: [], metrics: metrics), run)
    }

    /// One job and direction over every measured volume: the counts summed, the latency histograms
    /// added, the rate over the shared window (first measured start to last measured end).
    public struct Merged: Codable, Sendable {
        public var job: String
        public var direction: String
        public var volumes: Int
        public var ios: UInt64
        public var bytes: UInt64
        /// From the earliest measured start to the latest measured end over the volumes (start
        /// times are known to the second).
        public var windowNs: UInt64
        public var iops: Double
        public var bandwidthBytesPerSecond: Double
        public var latNs: LatencyReport
    }

    public static func merge(_ runs: [RunResult], percentiles: PercentileList = .fioDefault) -> [Merged] {
        struct Acc {
            var volumes = 0, ios: UInt64 = 0, bytes: UInt64 = 0
            var latency = LatencyStat()
            var start = UInt64.max, end: UInt64 = 0
        }
        var order: [String] = []
        var acc: [String: Acc] = [:]
        for run in runs {
            let t0 = startNanoseconds(run.startTimeUTC)
            for agg in run.aggregates {
                let measuredStart = run.jobs.filter { $0.jobIndex == agg.jobIndex }.map(\.measuredStartNs).min() ?? 0
                for (dir, summary) in [("read", agg.read), ("write", agg.write)] {
                    guard let s = summary, s.ios > 0 else { continue }
                    let key = "\(agg.name)\u{0}\(dir)"
                    if acc[key] == nil { order.append(key); acc[key] = Acc() }
                    acc[key]!.volumes += 1
                    acc[key]!.ios += s.ios
                    acc[key]!.bytes += s.bytes
                    if let stat = LatencyStat(report: s.latNs) { acc[key]!.latency.add(stat) }
                    let start = t0 + measuredStart
                    acc[key]!.start = min(acc[key]!.start, start)
                    acc[key]!.end = max(acc[key]!.end, start + agg.runtimeNs)
                }
            }
        }
        return order.map { key in
            let a = acc[key]!
            let parts = key.split(separator: "\u{0}").map(String.init)
            let window = a.end > a.start ? a.end - a.start : 0
            let seconds = Double(window) / 1e9
            return Merged(job: parts[0], direction: parts[1], volumes: a.volumes, ios: a.ios, bytes: a.bytes, windowNs: window,
                          iops: seconds > 0 ? Double(a.ios) / seconds : 0, bandwidthBytesPerSecond: seconds > 0 ? Double(a.bytes) / seconds : 0,
                          latNs: a.latency.report(percentiles, bins: false))
        }
    }

    /// `2026-12-01T15:00:00Z` in nanoseconds since 1970.
    static func startNanoseconds(_ utc: String) -> UInt64 {
        let f = ISO8601DateFormatter()
        guard let d = f.date(from: utc) else { return 0 }
        return UInt64(max(0, d.timeIntervalSince1970) * 1e9)
    }
}
