import ArgumentParser
import History

/// The options that pick series of a history: `gate`, `history` and `report` take them.
struct SeriesSelectFlags: ParsableArguments {
    @Option(help: "Only runs or series with this label (key=value; tier, class and zone match the target identity). Repeatable.")
    var label: [String] = []
    @Option(help: "Only series matching this: a series id, a glob (*, ?) or a part of the name (see tierbench history series).")
    var series: String?
    @Option(help: "Only this metric (repeatable), e.g. iops, bw_bytes_per_second, lat_mean_ns, lat_p99_ns, lat_p99.9_ns; gate: `all` for every series metric.")
    var metric: [String] = []
    @Option(help: "Only runs since: an age (30d, 12h, 2w, 90m) or a date (2026-11-01).")
    var since: String?

    /// Whether any of them was given.
    var picksSeries: Bool { series != nil || !label.isEmpty || !metric.isEmpty || since != nil }

    func filter() throws -> HistoryFilter {
        var f = HistoryFilter()
        do {
            f.labels = try Labels.parse(label)
            f.since = try since.map { text throws(HistoryError) in try SinceParser.parse(text) }
        } catch { throw ValidationError(error.message) }
        f.series = series
        f.metrics = metric
        return f
    }
}

/// `gate` and `history`: a history database (`--history`) and the series to pick in it.
struct SeriesFilterFlags: ParsableArguments {
    @Option(help: "The SQLite history (from --history on run or check, or history import).")
    var history: String
    @OptionGroup var pick: SeriesSelectFlags

    var series: String? { pick.series }
    func filter() throws -> HistoryFilter { try pick.filter() }
}
