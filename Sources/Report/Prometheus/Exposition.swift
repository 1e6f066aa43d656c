/// Prometheus' text exposition format (0.0.4), written so that the same text is also valid
/// OpenMetrics 1.0: only gauges and summaries (a counter's `_total` naming differs between the
/// two), no sample timestamps (milliseconds in one, seconds in the other), HELP text without
/// double quotes, and `# EOF` last (a comment to Prometheus' parser, the required end to
/// OpenMetrics'). node_exporter's textfile collector and the Pushgateway read it as it is.
public struct Exposition: Sendable {
    public enum Kind: String, Sendable { case gauge, summary }

    /// Label names and values in the order given; a nil or empty value leaves the label out
    /// (Prometheus treats an empty label as an absent one).
    public struct Labels: Sendable, ExpressibleByArrayLiteral {
        public var pairs: [(name: String, value: String)] = []
        public init(_ pairs: [(String, String?)]) { for (n, v) in pairs { set(n, v) } }
        public init(arrayLiteral elements: (String, String?)...) { self.init(elements) }
        public mutating func set(_ name: String, _ value: String?) {
            pairs.removeAll { $0.name == name }
            if let value, !value.isEmpty { pairs.append((name, value)) }
        }
        public func with(_ more: Labels) -> Labels {
            var out = self
            for p in more.pairs { out.set(p.name, p.value) }
            return out
        }
        public subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }

        /// Labels tierbench sets on each sample itself, and `job` (Prometheus' own, the
        /// Pushgateway's grouping key): a user's `--metric-label` may not take these.
        public static let reserved: Set<String> = ["job", "job_name", "direction", "quantile", "rw", "block_size_bytes", "iodepth", "metric", "kind", "version", "kernel"]

        /// `NAME=VALUE` each (`--metric-label zone=us-east-1a`): extra identity labels, e.g. the
        /// zone and node a run measured. A name tierbench sets per sample is refused.
        public static func parse(_ texts: [String], option: String = "--metric-label") throws(LabelError) -> Labels {
            var out = Labels()
            for text in texts {
                guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
                    throw LabelError("\(option) \(text) is not NAME=VALUE; give e.g. \(option) zone=us-east-1a")
                }
                let name = String(text[..<eq]), value = String(text[text.index(after: eq)...])
                guard Exposition.isValidName(name), !name.contains(":"), !name.hasPrefix("__") else {
                    throw LabelError("\(option) \(text): `\(name)` is not a label name (letters, digits and _, not starting with a digit or __)")
                }
                guard !reserved.contains(name) else {
                    throw LabelError("\(option) \(text): tierbench sets `\(name)` itself; give another name")
                }
                guard out[name] == nil else { throw LabelError("\(option) \(name) is given twice; give each label once") }
                guard !value.isEmpty else { throw LabelError("\(option) \(text) has no value; give NAME=VALUE") }
                out.set(name, value)
            }
            return out
        }
    }

    struct Sample: Sendable {
        var suffix: String
        var labels: Labels
        var value: Double
    }

    struct Family: Sendable {
        var name: String
        var help: String
        var kind: Kind
        var samples: [Sample] = []
    }

    private var families: [Family] = []

    public init() {}

    /// The metric names (families) in the order they were first added.
    public var names: [String] { families.map(\.name) }

    /// Every sample's name (a summary's `_sum` and `_count` included), as a query names them.
    public var sampleNames: Set<String> { Set(families.flatMap { f in f.samples.map { f.name + $0.suffix } }) }

    /// One gauge sample. `name` must be a valid metric name; a family keeps the first help text.
    public mutating func gauge(_ name: String, help: String, _ labels: Labels, _ value: Double) {
        append(name, help: help, kind: .gauge, Sample(suffix: "", labels: labels, value: value))
    }

    /// One summary: a sample per quantile (0-1), its sum and its count.
    public mutating func summary(_ name: String, help: String, _ labels: Labels, quantiles: [(Double, Double)], sum: Double, count: UInt64) {
        for (q, v) in quantiles {
            append(name, help: help, kind: .summary, Sample(suffix: "", labels: labels.with([("quantile", Self.number(q))]), value: v))
        }
        append(name, help: help, kind: .summary, Sample(suffix: "_sum", labels: labels, value: sum))
        append(name, help: help, kind: .summary, Sample(suffix: "_count", labels: labels, value: Double(count)))
    }

    /// Adds every family of `other` (samples of a family both have are put together).
    public mutating func append(contentsOf other: Exposition) {
        for f in other.families { for s in f.samples { append(f.name, help: f.help, kind: f.kind, s) } }
    }

    private mutating func append(_ name: String, help: String, kind: Kind, _ sample: Sample) {
        precondition(Self.isValidName(name), "not a metric name: \(name)")
        if let i = families.firstIndex(where: { $0.name == name }) {
            families[i].samples.append(sample)
        } else {
            families.append(Family(name: name, help: help, kind: kind, samples: [sample]))
        }
    }

    /// The text: per family its HELP and TYPE lines, then its samples; `# EOF` at the end.
    public func render() -> String {
        var out = ""
        for f in families {
            out += "# HELP \(f.name) \(Self.escapeHelp(f.help))\n"
            out += "# TYPE \(f.name) \(f.kind.rawValue)\n"
            for s in f.samples {
                out += f.name + s.suffix
                if !s.labels.pairs.isEmpty {
                    out += "{" + s.labels.pairs.map { "\($0.name)=\"\(Self.escapeLabel($0.value))\"" }.joined(separator: ",") + "}"
                }
                out += " " + Self.number(s.value) + "\n"
            }
        }
        return out + "# EOF\n"
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_" || first == ":" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "_" || $0 == ":" }
    }

    /// A sample value as Go's ParseFloat and OpenMetrics read it.
    public static func number(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    static func escapeLabel(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    static func escapeHelp(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\"": out += "'"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}

/// A `--metric-label` that cannot be used: one line naming it and the fix.
public struct LabelError: Error, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
