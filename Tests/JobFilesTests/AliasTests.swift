import Foundation
import Testing
@testable import JobFiles
import TestSupport

/// fio's option aliases: each behaves as its canonical option, and the table is fio's own list.
@Suite struct AliasTests {
    /// A value each option takes (tierbench's supported options), else "1".
    static let sampleValues: [String: String] = [
        "rw": "randread", "bs": "8k", "bsrange": "1k-4k", "mem": "malloc", "iodepth_batch_submit": "2",
        "runtime": "30", "offset": "4k", "nrfiles": "1", "stonewall": "1", "steadystate": "iops:1%",
    ]

    func outcome(_ name: String, _ value: String) -> String {
        do {
            let job = try FioJobFile.parse(text: "[j]\nrw=read\n\(name)=\(value)\n", file: "t.fio").jobs[0]
            return job.entries.filter { $0.origin == .job(file: "t.fio", line: 3) }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        } catch {
            return "error: " + error.description.replacingOccurrences(of: "`\(name)`", with: "`OPTION`")
        }
    }

    @Test func eachAliasBehavesAsItsCanonicalOption() throws {
        for (alias, canonical) in FioOptionTable.aliases.sorted(by: { $0.key < $1.key }) {
            let value = Self.sampleValues[canonical] ?? "1"
            #expect(outcome(alias, value) == outcome(canonical, value), "\(alias)=\(value) and \(canonical)=\(value) differ")
        }
        // The ones the review found refused as unknown.
        #expect(outcome("timeout", "30") == "runtime=30s")
        #expect(outcome("fileoffset", "4k") == "offset=4096")
        #expect(outcome("nr_files", "1") == "")
        #expect(outcome("nr_files", "2") == "nrfiles=2")
        for alias in ["ratemin", "ratecycle"] {
            #expect(outcome(alias, "1") == "error: t.fio:3:1: option `OPTION`: valid fio option, but tierbench does not support it (--ignore-unsupported skips it with a warning)")
        }
        let job = try FioJobFile.parse(text: "[j]\ntimeout=30\n", file: "t.fio").jobs[0]
        #expect(job.entry("runtime")?.spelled == "timeout")  // explain: "as timeout"
    }

    /// Every alias fio 3.33 reports (`fio --cmdhelp=NAME` for every option name, and
    /// `fio --enghelp=ENGINE,NAME` for every engine option) is in the table, pointing where fio
    /// points; and every entry of the table is one of fio's aliases.
    @Test func aliasTableIsFios() throws {
        guard let fio = fioPath else { try Test.cancel("fio is not installed: nothing to compare the aliases with") }
        let listed = try execute(fio, ["--cmdhelp=all"]).stdout.split(separator: "\n").compactMap { line in
            line.split(separator: ":").first.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        var names = Set(listed).union(FioOptionNames.all).union(FioOptionTable.aliases.keys).union(FioOptionTable.aliases.values)
        names = names.filter { $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" } && !$0.isEmpty }
        // One shell runs fio for every name (a process per fio call from here would be slower).
        let script = """
            fio="$1"; shift
            for n in "$@"; do echo "@@ core $n"; "$fio" --cmdhelp="$n" 2>&1; done
            for e in $("$fio" --enghelp 2>&1 | tail -n +2); do
              for o in $("$fio" --enghelp="$e" 2>/dev/null | sed -n 's/^\\([a-z0-9_-]*\\) *:.*/\\1/p'); do
                echo "@@ $e $o"; "$fio" --enghelp="$e,$o" 2>&1
              done
            done
            """
        let out = try execute("/bin/sh", ["-c", script, "sh", fio] + names.sorted())
        var pairs: [(canonical: String, alias: String, engine: String)] = []
        for chunk in out.stdout.components(separatedBy: "@@ ").dropFirst() {
            let lines = chunk.split(separator: "\n").map(String.init)
            guard let header = lines.first, lines.count > 1, !lines[1].hasPrefix("No such") else { continue }
            let engine = String(header.split(separator: " ").first ?? "")
            guard let canonical = lines[1].split(separator: ":").first?.trimmingCharacters(in: .whitespaces),
                  let aliasLine = lines.first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("alias:") }) else { continue }
            let alias = aliasLine.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)
            if !pairs.contains(where: { $0.canonical == canonical && $0.alias == alias }) { pairs.append((canonical, alias, engine)) }
        }
        #expect(pairs.count >= 20, "fio reported too few aliases; the parse of its output is off:\n\(out.stdout.prefix(2000))")
        func resolve(_ name: String) -> String { FioOptionTable.aliases[name] ?? name }
        for p in pairs {
            // `proto` is an alias in two engines (net: protocol, rdma: verb): one of them is enough.
            let canonicals = pairs.filter { $0.alias == p.alias }.map(\.canonical)
            #expect(canonicals.contains { resolve($0) == resolve(p.alias) }, "fio (\(p.engine)): \(p.alias) is an alias of \(p.canonical), the table has \(p.alias) -> \(resolve(p.alias)), \(p.canonical) -> \(resolve(p.canonical))")
            #expect(FioOptionNames.all.contains(p.alias), "\(p.alias) (fio's alias of \(p.canonical)) is not in FioOptionNames")
            #expect(FioOptionNames.all.contains(p.canonical), "\(p.canonical) is not in FioOptionNames")
        }
        for (alias, target) in FioOptionTable.aliases {
            #expect(pairs.contains { Set([$0.alias, $0.canonical]) == Set([alias, target]) }, "the table's \(alias) -> \(target) is not an alias fio reports")
        }
        print("aliases: \(pairs.count) compared with \(fio)")
    }
}
