/// What an HTML report shows, as data: sections of facts, tables and charts. Every view (a run, a
/// check, a zones result, a history) is built in Swift as one of these; the page's
/// script (`PageScript`) draws any of them, so a new view needs no new script.
public struct Page: Encodable, Sendable {
    public var title: String
    public var subtitle: String?
    public var sections: [Section]
    public var generator: String
    public init(title: String, subtitle: String? = nil, sections: [Section], generator: String) {
        self.title = title; self.subtitle = subtitle; self.sections = sections; self.generator = generator
    }
}

/// How a verdict or state is shown: a colour from the colour-blind-safe palette plus a word, so
/// colour is never the only cue.
public enum Tone: String, Encodable, Sendable {
    /// `outlier`: a zone far from the median of zones (zones view).
    case pass, fail, warn, info, neutral, outlier
}

public struct Badge: Encodable, Sendable {
    public var text: String
    public var tone: Tone
    public init(_ text: String, _ tone: Tone) { self.text = text; self.tone = tone }
}

public struct Section: Encodable, Sendable {
    /// The document kind it shows ("run", "check"), for the page's tests and anchors.
    public var kind: String
    public var id: String
    public var title: String
    public var subtitle: String?
    public var badge: Badge?
    public var blocks: [Block]
    public init(kind: String, id: String, title: String, subtitle: String? = nil, badge: Badge? = nil, blocks: [Block]) {
        self.kind = kind; self.id = id; self.title = title; self.subtitle = subtitle; self.badge = badge; self.blocks = blocks
    }
}

public struct Table: Encodable, Sendable {
    public var title: String?
    public var header: [String]
    public var rows: [[String]]
    /// Per row, the tone of its last cell (a verdict), or nil.
    public var tones: [Tone?]?
    /// Columns holding numbers (right-aligned).
    public var numeric: [Int]
    public init(title: String? = nil, header: [String], rows: [[String]], tones: [Tone?]? = nil, numeric: [Int] = []) {
        self.title = title; self.header = header; self.rows = rows; self.tones = tones; self.numeric = numeric
    }
}

public indirect enum Block: Encodable, Sendable {
    /// Key-value pairs (environment, parameters).
    case facts(title: String, rows: [[String]])
    case table(Table)
    case chart(Chart)
    /// Lines of text (notes, warnings).
    case notes(title: String, lines: [String])
    /// Preformatted text (the command line).
    case code(title: String, text: String)
    /// A titled group of blocks (a job), its charts laid out in a grid.
    case group(id: String, title: String, subtitle: String?, blocks: [Block])

    enum Key: String, CodingKey { case type, title, rows, table, chart, lines, text, id, subtitle, blocks }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        switch self {
        case .facts(let title, let rows): try c.encode("facts", forKey: .type); try c.encode(title, forKey: .title); try c.encode(rows, forKey: .rows)
        case .table(let t): try c.encode("table", forKey: .type); try c.encode(t, forKey: .table)
        case .chart(let ch): try c.encode("chart", forKey: .type); try c.encode(ch, forKey: .chart)
        case .notes(let title, let lines): try c.encode("notes", forKey: .type); try c.encode(title, forKey: .title); try c.encode(lines, forKey: .lines)
        case .code(let title, let text): try c.encode("code", forKey: .type); try c.encode(title, forKey: .title); try c.encode(text, forKey: .text)
        case .group(let id, let title, let subtitle, let blocks):
            try c.encode("group", forKey: .type); try c.encode(id, forKey: .id); try c.encode(title, forKey: .title)
            try c.encodeIfPresent(subtitle, forKey: .subtitle); try c.encode(blocks, forKey: .blocks)
        }
    }
}

/// How an axis prints its numbers: `iops` (k/M), `bytesPerSecond` (KiB/s ... GiB/s),
/// `nanoseconds` (ns, µs, ms, s), `seconds` (s, min, h: elapsed time), `date` (seconds since
/// 1970 as a UTC date and time), `percent`, `nines` (p50, p99, p99.9), `plain` (the number and
/// `label`'s unit).
public enum AxisUnit: String, Encodable, Sendable {
    case iops, bytesPerSecond, nanoseconds, seconds, date, percent, nines, plain
}

public enum AxisScale: String, Encodable, Sendable { case linear, log }

public struct Axis: Encodable, Sendable {
    public var label: String
    public var unit: AxisUnit
    public var scale: AxisScale
    /// Start a linear axis at zero (rates), or fit the data (latency).
    public var fromZero: Bool
    public init(_ label: String, unit: AxisUnit, scale: AxisScale = .linear, fromZero: Bool = true) {
        self.label = label; self.unit = unit; self.scale = scale; self.fromZero = fromZero
    }
}

/// A palette entry (Okabe and Ito's colour-blind-safe set), by role.
public enum SeriesColor: String, Encodable, Sendable {
    case read, write, mixed, expected, third, fourth
}

public struct Series: Encodable, Sendable {
    public var name: String
    public var color: SeriesColor
    public var dashed: Bool
    /// Line charts: draw a marker at every point (few points, e.g. a percentile ladder).
    public var markers: Bool
    /// Line charts: x of point i is `x0 + i * dx` when `xs` is nil (a regular time series).
    public var x0: Double?
    public var dx: Double?
    public var xs: [Double]?
    /// Line charts: y per point (nil: no value, a gap); bar charts: one value per category.
    public var ys: [Double?]
    /// Bar charts: a tone per value (the verdict colour), nil for the series colour.
    public var tones: [Tone?]?
    /// Bar charts: drawn as an outline (what was expected), not filled.
    public var outline: Bool
    /// Histograms: bin edges (count + 1 values) for the `ys` counts.
    public var edges: [Double]?

    public init(name: String, color: SeriesColor, dashed: Bool = false, markers: Bool = false, x0: Double? = nil, dx: Double? = nil,
                xs: [Double]? = nil, ys: [Double?], tones: [Tone?]? = nil, outline: Bool = false, edges: [Double]? = nil) {
        self.name = name; self.color = color; self.dashed = dashed; self.markers = markers; self.x0 = x0; self.dx = dx
        // x keeps 10 significant digits: a date in seconds since 1970 stays exact to the second.
        self.xs = xs?.map { Page.compact($0, digits: 10) }; self.ys = ys.map { $0.map { Page.compact($0) } }; self.tones = tones; self.outline = outline
        self.edges = edges?.map { Page.compact($0) }
    }
}

/// A horizontal reference line: across the whole chart, or over one bar chart category.
public struct Mark: Encodable, Sendable {
    public var value: Double
    public var label: String
    /// The category it belongs to (bar charts), or nil for the whole width.
    public var category: Int?
    public init(value: Double, label: String, category: Int? = nil) { self.value = value; self.label = label; self.category = category }
}

/// Something that happened at one x of a line chart, drawn over the series: a vertical line
/// (`y` nil) or a marker at a point, each kind in its own colour, line style or shape, and word.
public struct ChartEvent: Encodable, Sendable {
    public enum Kind: String, Encodable, Sendable {
        /// A new segment of a history series: the tool version, kernel, engine or instance type changed.
        case boundary
        /// `history ack`: a known change accepted from this run on.
        case ack
        /// A sustained shift found by change-point detection: the new level starts here.
        case changePoint = "change_point"
        /// The gate found a regression (or an improvement) at this run.
        case regression, improvement
    }
    public var x: Double
    public var y: Double?
    public var kind: Kind
    /// What it was, in words (the marker's tooltip).
    public var label: String
    public init(x: Double, y: Double? = nil, kind: Kind, label: String) {
        self.x = Page.compact(x, digits: 10); self.y = y.map { Page.compact($0) }; self.kind = kind; self.label = label
    }
}

public enum ChartType: String, Encodable, Sendable {
    /// Series over x (time, or percentile); many points are drawn downsampled to the pixel
    /// columns, each column's minimum and maximum kept.
    case line
    /// Grouped bars per category (check: expected and measured per metric).
    case bars
    /// Bars between bin edges (a latency distribution on a log axis).
    case histogram
}

public struct Chart: Encodable, Sendable {
    public var id: String
    public var type: ChartType
    public var title: String
    public var x: Axis
    public var y: Axis
    public var series: [Series]
    public var categories: [String]?
    public var marks: [Mark]
    /// What the marks stand for, in the legend ("threshold: 90% of expected").
    public var markLegend: String?
    /// Line charts: boundaries, acks, change points, regressions at their x.
    public var events: [ChartEvent]
    public var caption: String?
    public init(id: String, type: ChartType, title: String, x: Axis, y: Axis, series: [Series], categories: [String]? = nil,
                marks: [Mark] = [], markLegend: String? = nil, events: [ChartEvent] = [], caption: String? = nil) {
        self.id = id; self.type = type; self.title = title; self.x = x; self.y = y; self.series = series
        self.categories = categories; self.marks = marks; self.markLegend = markLegend; self.events = events; self.caption = caption
    }
}

extension Page {
    /// A value rounded to 5 significant digits (charts need no more, and the report stays small).
    static func compact(_ v: Double, digits significant: Int = 5) -> Double {
        guard v.isFinite, v != 0 else { return v.isFinite ? 0 : 0 }
        var digits = significant - 1
        var m = abs(v)
        while m >= 10 && digits > -15 { m /= 10; digits -= 1 }
        while m < 1 && digits < 20 { m *= 10; digits += 1 }
        if digits <= 0 {
            var p = 1.0
            for _ in 0..<(-digits) { p *= 10 }
            return (v / p).rounded() * p
        }
        var p = 1.0
        for _ in 0..<digits { p *= 10 }
        return (v * p).rounded() / p
    }
}
