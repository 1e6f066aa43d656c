import Foundation
import Harness
import Report
import Testing
import TestSupport

/// The fio json+ layout against checked-in documents (fixtures/README.md says how they were made),
/// so it is checked where fio is not installed, and key by key (order, kind, array lengths), where
/// FioJSONTests compares key sets and values with a live fio: real fio 3.33's `--output-format=json+`,
/// and tierbench's fio-json of a known result (tierbench's own JSON of the same job, rendered here).
@Suite struct FioJSONLayoutTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("fixtures").path

    static func fixture(_ name: String) throws -> String {
        try String(contentsOfFile: "\(fixtures)/\(name)", encoding: .utf8)
    }

    /// fio's document and tierbench's fio-json of the known result.
    static func documents() throws -> (fio: OrderedJSON, ours: OrderedJSON) {
        let fio = try OrderedJSON(parsing: try fixture("fio-3.33-randrw.json"))
        let known = try JSONReport.decode(Data(try fixture("tierbench-randrw.json").utf8))
        return (fio, try OrderedJSON(parsing: try FioJSONReport.render(known)))
    }

    /// Where tierbench's document departs from fio's layout, one line each. Compared: every
    /// object's keys, in order; every value's kind; array lengths. Not compared, by design (see
    /// FioJSONTests.exceptions): `bins` keys (latency values of that run; only their kind),
    /// `job options` and `global options` (merged, fio's keys must be among tierbench's), the
    /// entries of `disk_util` (tierbench samples no device counters).
    static func differences(fio: OrderedJSON, ours: OrderedJSON, path: String = "") -> [String] {
        guard fio.kind == ours.kind else { return ["\(path): fio has \(fio.kind), tierbench \(ours.kind)"] }
        switch (fio, ours) {
        case let (.object(f), .object(t)):
            if path.hasSuffix("/bins") {
                return t.compactMap { $0.value.kind == "number" ? nil : "\(path)/\($0.key): \($0.value.kind), not a count" }
            }
            var found: [String] = []
            let fioKeys = f.map(\.key).filter { $0 != "job options" && $0 != "global options" }
            let ourKeys = t.map(\.key).filter { $0 != "job options" && $0 != "global options" }
            if fioKeys != ourKeys { found.append("\(path): keys \(ourKeys), fio \(fioKeys)") }
            for (key, value) in f where key != "job options" && key != "global options" {
                if let theirs = t.first(where: { $0.key == key })?.value {
                    found += differences(fio: value, ours: theirs, path: "\(path)/\(key)")
                }
            }
            return found
        case let (.array(f), .array(t)):
            if path == "/disk_util" { return [] }
            var found = f.count == t.count ? [] : ["\(path): \(t.count) entries, fio \(f.count)"]
            for (i, (a, b)) in zip(f, t).enumerated() { found += differences(fio: a, ours: b, path: "\(path)[\(i)]") }
            return found
        default:
            return []
        }
    }

    /// The option names of the first job, global options merged in (fio-plot's view).
    static func optionNames(_ document: OrderedJSON) -> Set<String> {
        guard case let .object(top) = document else { return [] }
        var names = Set<String>()
        if case let .object(global)? = top.first(where: { $0.key == "global options" })?.value { names.formUnion(global.map(\.key)) }
        if case let .array(jobs)? = top.first(where: { $0.key == "jobs" })?.value, case let .object(job)? = jobs.first,
           case let .object(options)? = job.first(where: { $0.key == "job options" })?.value {
            names.formUnion(options.map(\.key))
        }
        return names
    }

    static func keyCount(_ document: OrderedJSON) -> Int {
        switch document {
        case let .object(members): members.count + members.map { keyCount($0.value) }.reduce(0, +)
        case let .array(elements): elements.map(keyCount).reduce(0, +)
        default: 0
        }
    }

    @Test func fioJSONOfAKnownResultHasFiosLayoutKeyByKey() throws {
        let (fio, ours) = try Self.documents()
        guard case let .object(top) = fio, case let .string(version)? = top.first(where: { $0.key == "fio version" })?.value else {
            Issue.record("the fio fixture has no \"fio version\""); return
        }
        #expect(version.hasPrefix("fio-3."), "the fixture is real fio's: \(version)")
        #expect(Self.keyCount(fio) > 300, "the whole document is compared, not a part")
        let found = Self.differences(fio: fio, ours: ours)
        #expect(found.isEmpty, "tierbench's fio-json departs from fio 3.33's json+ layout:\n\(found.joined(separator: "\n"))")
        let missing = Self.optionNames(fio).subtracting(Self.optionNames(ours))
        #expect(missing.isEmpty, "options fio lists that tierbench does not: \(missing.sorted())")
    }

    /// The comparison finds what it is for: two keys swapped, a number written as a string, a
    /// key dropped, each in fio's own document.
    @Test func aDepartureFromFiosLayoutIsFound() throws {
        let fio = try Self.fixture("fio-3.33-randrw.json")
        let reference = try OrderedJSON(parsing: fio)
        #expect(Self.differences(fio: reference, ours: reference).isEmpty)
        let swapped = fio.replacingOccurrences(of: "\"io_bytes\"", with: "\"tmp_bytes\"")
            .replacingOccurrences(of: "\"io_kbytes\"", with: "\"io_bytes\"").replacingOccurrences(of: "\"tmp_bytes\"", with: "\"io_kbytes\"")
        let asString = fio.replacingOccurrences(of: "\"groupid\" : 0", with: "\"groupid\" : \"0\"")
        let dropped = fio.replacingOccurrences(of: "\"short_ios\" : 0,", with: "")
        for (name, text) in [("swapped", swapped), ("string", asString), ("dropped", dropped)] {
            try #require(text != fio, "\(name): the fixture has the text this test edits")
            let found = Self.differences(fio: reference, ours: try OrderedJSON(parsing: text))
            #expect(!found.isEmpty, "\(name) was not found")
        }
    }
}
