import Foundation

/// `tierbench gate`: the newest run of each series (or a result file not recorded yet) judged
/// against its history.
public struct Gate: Sendable {
    public var thresholds: GateThresholds
    public var filter: HistoryFilter
    /// Metrics judged when `filter.metrics` is empty: IOPS, bandwidth, mean and p99 latency (fio
    /// results without total-latency percentiles: completion latency p99).
    public static let defaultMetrics = [MetricNames.iops, MetricNames.bandwidth, MetricNames.latMean, MetricNames.latP99]

    public init(thresholds: GateThresholds = GateThresholds(), filter: HistoryFilter = HistoryFilter()) {
        self.thresholds = thresholds; self.filter = filter
    }

    /// Judges every matching series at its newest point.
    public func judge(_ store: HistoryStore) throws(HistoryError) -> GateReport {
        let all = try store.series(filter)
        let chosen = selectMetrics(all)
        let segments = try store.segments()
        let acks = Dictionary(grouping: try store.acks(), by: \.seriesID)
        var verdicts: [SeriesVerdict] = []
        let lookback = max(thresholds.lookback, thresholds.window + 1)
        let pointsBySeries = try store.read { db in
            try chosen.map { try HistoryStore.points(db, series: $0.id, limit: lookback) }
        }
        for (s, stored) in zip(chosen, pointsBySeries) where !stored.isEmpty {
            let points = stored.map { p in
                JudgedPoint(runID: p.runID, epoch: p.epoch, segment: segments[p.segmentID] ?? SegmentKey(toolVersion: "?", kernel: "?", engine: "?", instanceType: "?"),
                            value: p.value, samples: p.samples)
            }
            var v = SeriesJudge.judge(points, metric: s.metric, series: s.name, seriesID: s.id, acks: acks[s.id] ?? [], thresholds: thresholds)
            v.key = s.seriesKey
            verdicts.append(v)
        }
        return GateReport(history: store.path, candidate: nil, thresholds: thresholds, series: verdicts)
    }

    /// Judges a result that is not in the history yet, as if it were the newest run.
    public func judge(_ candidate: RunRecord, file: String, store: HistoryStore) throws(HistoryError) -> GateReport {
        let known = Dictionary(try store.series().map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let segments = try store.segments()
        let acks = Dictionary(grouping: try store.acks(), by: \.seriesID)
        let epoch = candidate.startedAt.timeIntervalSince1970
        let lookback = max(thresholds.lookback, thresholds.window + 1)
        var points = candidate.seriesPoints
        let infos = points.map { p in
            known[p.key.key] ?? SeriesInfo(id: 0, key: p.key.key, name: p.key.name, job: p.key.job, parametersHash: p.key.parametersHash,
                                           direction: p.key.direction, metric: p.key.metric, identity: p.key.identity, labels: p.key.labels, points: 1, lastEpoch: epoch)
        }
        let keep = Set(selectMetrics(infos.filter { s in
            var f = filter
            f.since = nil
            return (f.series.map { SeriesPattern.matches($0, s) } ?? true) && (f.metrics.isEmpty || f.metrics.contains(s.metric))
        }).map(\.key))
        points = points.filter { keep.contains($0.key.key) }
        var verdicts: [SeriesVerdict] = []
        for point in points {
            let info = known[point.key.key]
            var judged: [JudgedPoint] = []
            if let info {
                judged = try store.points(series: info.id, limit: lookback).filter { $0.epoch <= epoch }.map { p in
                    JudgedPoint(runID: p.runID, epoch: p.epoch, segment: segments[p.segmentID] ?? point.segment, value: p.value, samples: p.samples)
                }
            }
            judged.append(JudgedPoint(runID: 0, epoch: epoch, segment: point.segment, value: point.value, samples: point.samples))
            var v = SeriesJudge.judge(judged, metric: point.key.metric, series: point.key.name, seriesID: info?.id,
                                      acks: info.flatMap { acks[$0.id] } ?? [], thresholds: thresholds)
            v.key = point.key
            if info == nil { v.reason = "a new series (nothing recorded for it yet): no verdict" }
            verdicts.append(v)
        }
        return GateReport(history: store.path, candidate: file, thresholds: thresholds, series: verdicts)
    }

    /// The filter's metrics, or the default ones (completion-latency p99 where a workload has no total-latency p99).
    func selectMetrics(_ series: [SeriesInfo]) -> [SeriesInfo] {
        if !filter.metrics.isEmpty { return series.filter { filter.metrics.contains($0.metric) || filter.metrics.contains("all") } }
        func workload(_ s: SeriesInfo) -> String { [s.job, s.parametersHash, s.direction, s.identity, s.labels].joined(separator: "|") }
        let withLatP99 = Set(series.filter { $0.metric == MetricNames.latP99 }.map(workload))
        let withLatMean = Set(series.filter { $0.metric == MetricNames.latMean }.map(workload))
        return series.filter { s in
            Self.defaultMetrics.contains(s.metric)
                || (s.metric == "clat_p99_ns" && !withLatP99.contains(workload(s)))
                || (s.metric == "clat_mean_ns" && !withLatMean.contains(workload(s)))
        }
    }
}

/// What the gate found (`tierbench-gate/1`).
public struct GateReport: Sendable, Codable {
    public var schema = "tierbench-gate/1"
    public var history: String
    /// The result file judged before recording, if any.
    public var candidate: String?
    public var thresholds: GateThresholds
    public var series: [SeriesVerdict]
    public var regressions: Int
    public var improvements: Int
    public var tooLittleHistory: Int
    /// True when a series fails the gate (a regression, or an improvement with --fail-on-improvement).
    public var failed: Bool

    public init(history: String, candidate: String?, thresholds: GateThresholds, series: [SeriesVerdict]) {
        self.history = history; self.candidate = candidate; self.thresholds = thresholds
        let order: [SeriesStatus: Int] = [.regression: 0, .improvement: 1, .tooLittleHistory: 2, .ok: 3]
        self.series = series.sorted { (order[$0.status]!, $0.series) < (order[$1.status]!, $1.series) }
        regressions = series.filter { $0.status == .regression }.count
        improvements = series.filter { $0.status == .improvement }.count
        tooLittleHistory = series.filter { $0.status == .tooLittleHistory }.count
        failed = series.contains { $0.failing }
    }
}
