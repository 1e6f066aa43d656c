import Foundation
import Testing
@testable import JobFiles
import TestSupport

/// Every job option of `run`/`explain` given on the command line overrides the job files'
/// value: through the binary, each one shows origin `command line` in explain. The options come
/// from `--help`, so a flag added to the command line but not to the override fails here.
@Suite struct CommandLineOverrideTests {
    /// A valid value per option (flags have none); extra arguments an option needs.
    static let values: [String: String] = [
        "rw": "randwrite", "rwmixread": "70", "bs": "8k", "bsrange": "4k-8k", "bssplit": "4k/100",
        "random-distribution": "zipf:1.2", "rate": "1m", "rate-iops": "100", "thinktime": "2ms", "thinktime-blocks": "4",
        "loops": "2", "iodepth": "8", "iodepth-batch": "2", "numjobs": "2", "size": "2m", "offset": "4k",
        "offset-increment": "2m", "runtime": "5s", "ramp-time": "1s", "direct": "1", "randseed": "5",
        "ioengine": "io_uring", "name": "renamed", "verify": "crc32c", "verify-backlog": "4",
        "target": "/tmp/tierbench-override-target", "percentiles": "50,99",
    ]
    static let needs: [String: [String]] = ["thinktime-blocks": ["--thinktime", "1ms"], "verify-backlog": ["--verify", "crc32c"]]
    /// `explain`'s options that are not job options.
    static let notJobOptions: Set<String> = ["ignore-unsupported", "output-format", "help", "version"]

    @Test func everyJobOptionOnTheCommandLineOverridesTheFiles() throws {
        let help = try tierbench(["explain", "--help"])
        #expect(help.status == 0, "\(help.stderr)")
        let options = help.stdout.split(separator: "\n").compactMap { line -> String? in
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix("--") else { return nil }
            return String(t.dropFirst(2).prefix { $0.isLetter || $0.isNumber || $0 == "-" })
        }.filter { !Self.notJobOptions.contains($0) }
        #expect(options.count >= 29, "\(help.stdout)")
        // The ones the review found ignored.
        for name in ["bsrange", "bssplit", "random-distribution", "rate", "rate-iops", "thinktime", "thinktime-blocks", "loops"] {
            #expect(options.contains(name), "\(name)")
        }
        let s = Scratch()
        let file = s.write("g.fio", "[global]\nsize=1m\n[j]\nrw=randrw\n")
        for name in options {
            let option = try #require(TierbenchOptions.byKey[name], "--\(name) is not a TierbenchOptions key (the job files' table)")
            var args = ["explain", file, "--output-format", "json"] + (Self.needs[name] ?? []) + ["--\(name)"]
            if option.kind != .flag { args.append(try #require(Self.values[name], "no test value for --\(name)")) }
            let out = try tierbench(args)
            #expect(out.status == 0, "--\(name): \(out.stderr)")
            let doc = try #require(jsonObject(out.stdout), "--\(name): \(out.stdout)")
            let entry: [String: Any]?
            if option.kind == .run {
                entry = doc[name] as? [String: Any]
            } else {
                let job = (doc["jobs"] as? [[String: Any]])?.first
                entry = (job?["options"] as? [[String: Any]])?.first { $0["option"] as? String == name }
            }
            #expect(entry?["origin"] as? String == "command line", "--\(name): \(entry ?? [:])")
            #expect(entry?["value"] as? String == (option.kind == .flag ? "true" : Self.values[name]), "--\(name)")
        }
    }
}
