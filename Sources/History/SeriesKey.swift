/// What a series is: one metric of one workload (job name and parameter hash) in one direction
/// on one target identity (tier or class and zone, or host and device), with the run's labels.
public struct SeriesKey: Sendable, Hashable, Codable {
    public var job: String
    public var parametersHash: String
    public var direction: String
    public var metric: String
    public var identity: String
    /// `key=value,...`, sorted (the well-known labels left out: they are in the identity or boundaries).
    public var labels: String

    public init(job: String, parametersHash: String, direction: String, metric: String, identity: String, labels: String) {
        self.job = job; self.parametersHash = parametersHash; self.direction = direction; self.metric = metric
        self.identity = identity; self.labels = labels
    }

    /// The unique text stored in the database.
    public var key: String { [job, parametersHash, direction, metric, identity, labels].joined(separator: "|") }

    /// What people read: `randread-4k read iops @ host=db1 device=nvme0n1 ... {team=storage}`.
    public var name: String {
        "\(job) \(direction) \(metric) @ \(identity)" + (labels.isEmpty ? "" : " {\(labels)}")
    }
}

/// The boundaries inside a series: a change of any of these starts a new segment, which is
/// never judged against the old one.
public struct SegmentKey: Sendable, Hashable, Codable {
    public var toolVersion: String
    public var kernel: String
    public var engine: String
    public var instanceType: String

    public init(toolVersion: String, kernel: String, engine: String, instanceType: String) {
        self.toolVersion = toolVersion; self.kernel = kernel; self.engine = engine; self.instanceType = instanceType
    }

    /// "kernel Linux 6.1 -> Linux 6.8, engine psync -> io_uring".
    public func change(from old: SegmentKey) -> String {
        var parts: [String] = []
        if old.toolVersion != toolVersion { parts.append("tool \(old.toolVersion) -> \(toolVersion)") }
        if old.kernel != kernel { parts.append("kernel \(old.kernel) -> \(kernel)") }
        if old.engine != engine { parts.append("engine \(old.engine) -> \(engine)") }
        if old.instanceType != instanceType { parts.append("instance type \(old.instanceType) -> \(instanceType)") }
        return parts.joined(separator: ", ")
    }
}

/// One value of a series in a run, ready to be stored or judged.
public struct SeriesPoint: Sendable {
    public var key: SeriesKey
    public var segment: SegmentKey
    public var value: Double
    /// The run's interval samples of this metric, when it has them.
    public var samples: [Double]
}

extension RunRecord {
    /// The run's series points: every series metric of every job and direction.
    public var seriesPoints: [SeriesPoint] {
        var out: [SeriesPoint] = []
        let identity = self.identity, labels = identityLabels
        for job in jobs {
            let segment = SegmentKey(toolVersion: "\(tool) \(toolVersion)", kernel: kernel ?? "-", engine: job.engine, instanceType: instanceType ?? "-")
            for d in job.directions {
                for (metric, value) in d.metrics where MetricNames.isSeriesMetric(metric) && value.isFinite {
                    let key = SeriesKey(job: job.name, parametersHash: job.parametersHash, direction: d.direction.rawValue, metric: metric,
                                        identity: identity, labels: labels)
                    out.append(SeriesPoint(key: key, segment: segment, value: value, samples: d.samples[metric] ?? []))
                }
            }
        }
        return out.sorted { $0.key.key < $1.key.key }
    }
}
