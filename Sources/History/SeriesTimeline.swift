import Foundation

/// A series over time with what the gate sees in it: its points, the boundaries (tool version,
/// kernel, engine, instance type) and acks that cut it into segments, the change points that
/// E-divisive finds in each segment, and the gate's verdict on each run judged as the newest:
/// against the runs before it, with the acks known now that start before it (an ack that starts
/// at a run accepts what the gate flagged there, so that run keeps its mark). For the history
/// view of `tierbench report`; every rule is the gate's own (`SeriesJudge`, `EDivisive`).
public struct SeriesTimeline: Sendable {
    public struct Point: Sendable {
        public var runID: Int64
        public var epoch: Double
        public var value: Double
        public var segment: SegmentKey
        /// The gate's verdict on this run (the newest point's is what `tierbench gate` says now).
        public var verdict: SeriesVerdict
    }

    public struct Boundary: Sendable {
        public var runID: Int64
        public var epoch: Double
        /// "kernel Linux 6.1 -> Linux 6.8".
        public var change: String
    }

    public struct Shift: Sendable {
        public var runID: Int64
        public var epoch: Double
        public var changePoint: ChangePoint
    }

    public var series: SeriesInfo
    /// The points shown (at or after the filter's `since`), oldest first.
    public var points: [Point]
    public var boundaries: [Boundary]
    public var acks: [AckRecord]
    public var changePoints: [Shift]
    /// The level between boundaries, acks and change points: the mean of the runs from
    /// `firstEpoch` to `lastEpoch`, both included (only the shown part of it).
    public var levels: [Level]

    public struct Level: Sendable {
        public var firstEpoch: Double
        public var lastEpoch: Double
        public var mean: Double
    }

    /// The verdict on the newest run: what `tierbench gate` says of the series now.
    public var newest: SeriesVerdict? { points.last?.verdict }

    /// The series the gate would judge (the filter's, or the gate's default metrics), each with
    /// its timeline; points before `filter.since` are not shown but are the history the first
    /// shown ones are judged against.
    public static func timelines(_ store: HistoryStore, filter: HistoryFilter, thresholds: GateThresholds = GateThresholds()) throws(HistoryError) -> [SeriesTimeline] {
        let gate = Gate(thresholds: thresholds, filter: filter)
        let chosen = gate.selectMetrics(try store.series(filter))
        let segments = try store.segments()
        let acks = Dictionary(grouping: try store.acks(), by: \.seriesID)
        let since = filter.since?.timeIntervalSince1970 ?? -.infinity
        let lookback = max(thresholds.lookback, thresholds.window + 1)
        let detector = EDivisive(window: thresholds.changePointWindow, pValue: thresholds.changePointPValue, minimumSegment: thresholds.changePointMinimumPoints)
        var out: [SeriesTimeline] = []
        for s in chosen {
            let stored = try store.points(series: s.id, limit: Int.max)
            let judged = stored.map { p in
                JudgedPoint(runID: p.runID, epoch: p.epoch, segment: segments[p.segmentID] ?? SegmentKey(toolVersion: "?", kernel: "?", engine: "?", instanceType: "?"),
                            value: p.value, samples: p.samples)
            }
            let seriesAcks = acks[s.id] ?? []
            var points: [Point] = []
            for (i, p) in judged.enumerated() where p.epoch >= since {
                // The runs before it, and the acks that start before it: an ack that starts at
                // this very run was made because the gate flagged it.
                let window = Array(judged[max(0, i + 1 - lookback)...i])
                let before = seriesAcks.filter { $0.sinceRunID != p.runID }
                let verdict = SeriesJudge.judge(window, metric: s.metric, series: s.name, seriesID: s.id, acks: before, thresholds: thresholds)
                points.append(Point(runID: p.runID, epoch: p.epoch, value: p.value, segment: p.segment, verdict: verdict))
            }
            // Segments: cut at every boundary and at every ack's first run.
            var cuts: [Int] = []
            var boundaries: [Boundary] = []
            for i in judged.indices.dropFirst() where judged[i].segment != judged[i - 1].segment {
                cuts.append(i)
                boundaries.append(Boundary(runID: judged[i].runID, epoch: judged[i].epoch, change: judged[i].segment.change(from: judged[i - 1].segment)))
            }
            for a in seriesAcks {
                if let i = judged.firstIndex(where: { ($0.epoch, $0.runID) >= (a.sinceEpoch, a.sinceRunID) }), i > 0 { cuts.append(i) }
            }
            let bounds = [0] + Set(cuts).sorted() + [judged.count]
            var shifts: [Shift] = []
            var levels: [Level] = []
            func level(_ a: Int, _ b: Int, _ mean: Double) {
                let kept = judged[a..<b].filter { $0.epoch >= since }
                if let first = kept.first, let last = kept.last { levels.append(Level(firstEpoch: first.epoch, lastEpoch: last.epoch, mean: mean)) }
            }
            for k in 0..<(bounds.count - 1) where bounds[k] < bounds[k + 1] {
                let lo = bounds[k], hi = bounds[k + 1]
                let values = judged[lo..<hi].map(\.value)
                let found = detector.changePoints(values)
                var start = 0
                for cp in found {
                    shifts.append(Shift(runID: judged[lo + cp.index].runID, epoch: judged[lo + cp.index].epoch, changePoint: cp))
                    level(lo + start, lo + cp.index, cp.meanBefore)
                    start = cp.index
                }
                let tail = values[start...]
                level(lo + start, hi, tail.reduce(0, +) / Double(tail.count))
            }
            out.append(SeriesTimeline(series: s, points: points, boundaries: boundaries.filter { $0.epoch >= since },
                                      acks: seriesAcks.filter { $0.sinceEpoch >= since }, changePoints: shifts.filter { $0.epoch >= since },
                                      levels: levels))
        }
        return out
    }
}
