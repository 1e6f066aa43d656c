import Foundation
import Glibc
import Testing
import Workload
import TestSupport

/// Fuzzes the command line end to end: the real binary with random argv (real options with
/// fuzzed values, missing values, `--opt=value`, repeated and unknown options, junk), for a time
/// budget (TIERBENCH_FUZZ_SECONDS, default 5 s) from a printed seed (TIERBENCH_FUZZ_SEED).
/// Every case must exit 0, 1 or 2 (4 for `verify`, which checks blocks it did not write) and never
/// by a signal or with a Swift runtime trap on stderr; exit 2 must be exactly one line on stderr;
/// nothing may be left behind in the working directory (nor temporary files next to targets and
/// outputs), except the relative target or outputs a run was given.
///
/// A run must stay cheap even when every value is valid: options that set how much work a run does
/// are given at most once, and a valid value above a small bound is replaced (`--size` 2m,
/// `--bs`/`--offset`/`--offset-increment` 1m, `--runtime` 200ms, `--ramp-time` 100ms, `--iodepth`
/// 16, `--numjobs` 4); the default suite always gets a `--runtime` and `--ramp-time`.
@Suite struct CLIFuzzTests {
    static let seconds: Double = ProcessInfo.processInfo.environment["TIERBENCH_FUZZ_SECONDS"].flatMap(Double.init) ?? 5
    static let seed: UInt64 = ProcessInfo.processInfo.environment["TIERBENCH_FUZZ_SEED"].flatMap { UInt64($0) }
        ?? UInt64.random(in: 0...UInt64.max)

    @Test func randomArgumentsExitWithAStatusNeverACrash() async throws {
        let workers = 3
        let results = FuzzResults()
        let deadline = Date().addingTimeInterval(Self.seconds)
        // Workers block on child processes: each on a thread of its own (on Linux, Dispatch's
        // global queues share their few threads with the cooperative pool).
        await withTaskGroup(of: Void.self) { group in
            for w in 0..<workers {
                group.addTask {
                    await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                        Thread {
                            Self.work(seed: Self.seed &+ UInt64(w), until: deadline, results)
                            done.resume()
                        }.start()
                    }
                }
            }
        }
        let (cases, statuses, failures) = results.snapshot()
        let byStatus = statuses.sorted { $0.key < $1.key }.map { "exit \($0.key): \($0.value)" }.joined(separator: ", ")
        print("fuzz tierbench argv: \(cases) cases in \(Self.seconds) s on \(workers) workers (\(byStatus)), seed \(Self.seed) (TIERBENCH_FUZZ_SEED=\(Self.seed) to repeat)")
        #expect(cases > 0)
        for f in failures { Issue.record("\(f)") }
    }

    /// One worker's cases; its directories are removed when it returns (before the test ends).
    static func work(seed: UInt64, until deadline: Date, _ results: FuzzResults) {
        var seedGen = SplitMix64(state: seed)
        let worker = CLIFuzzWorker(seed: seedGen.next())
        // At least a few cases each, even when a busy machine starts the thread late.
        var done = 0
        while (Date() < deadline || done < 8) && results.failureCount < 10 {
            worker.runOneCase(results)
            done += 1
        }
    }

    /// Inputs the fuzzer found, each with what the CLI says now.
    @Test(arguments: [
        // A newline in an option's value made the message two lines and the CLI printed only the
        // first, "--size 4", losing the problem and the fix.
        (["run", "--rw", "read", "--size", "4\nk"], "--size 4\\nk: unknown unit"),
        (["run", "--rw", "read", "--iodepth", "8\n"], "--iodepth 8\\n is not a whole number"),
        (["run", "--rw", "\u{1B}[2Jread"], "--rw \\u{1b}[2Jread is not a workload"),
        // The default suite took a --size below its 1 MiB blocks, then asked for a smaller --bs.
        (["run", "--size", "4k"], "--size 4KiB is smaller than the default suite's 1MiB blocks"),
        // Sizes: exact decimals, and hex held to the same 8 EiB limit.
        (["run", "--rw", "read", "--size", "1000000.000001t"], "is not a whole number of bytes"),
        (["run", "--rw", "read", "--size", "0xffffffffffffffff"], "--size 0xffffffffffffffff is too large"),
        (["run", "--rw", "read", "--bs", "4\u{212A}"], "unknown unit"),
    ])
    func regressions(arguments: [String], message: String) throws {
        let s = Scratch()
        let o = try tierbench(arguments, cwd: s.path)
        #expect(o.status == 2)
        #expect(o.stderr.split(separator: "\n").count == 1, "\(o.stderr.debugDescription)")
        #expect(o.stderr.contains(message), "\(o.stderr.debugDescription)")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: s.path)) == [])
    }

    /// Errors raised at run time (`RunError.usage`) quote the target path and the job name as
    /// typed: a newline in either must not make exit 2 print two lines (printError escapes it).
    @Test func controlCharactersInTargetOrNameStayOnOneLine() throws {
        let s = Scratch()
        let file = s.dataFile("data.dat", bytes: 1 << 20)
        let cases: [[String]] = [
            ["run", "--rw", "read", "--size", "1m", "--target", "\(s.path)/no\nsuch/t.dat"],
            ["run", "--rw", "read", "--target", file, "--offset", "1020k", "--bs", "8k", "--name", "a\nb"],
        ]
        for arguments in cases {
            let o = try tierbench(arguments, cwd: s.path)
            #expect(o.status == 2, "\(o.stderr.debugDescription)")
            #expect(o.stderr.split(separator: "\n").count == 1, "\(o.stderr.debugDescription)")
            #expect(o.stderr.contains("\\n"), "the newline is shown escaped: \(o.stderr.debugDescription)")
        }
    }
}

/// What the workers found, shared between them.
final class FuzzResults: @unchecked Sendable {
    private let lock = NSLock()
    private var cases = 0
    private var statuses: [Int32: Int] = [:]
    private var failures: [String] = []

    var failureCount: Int { lock.withLock { failures.count } }
    func record(status: Int32, problems: [String], arguments: [String]) {
        lock.withLock {
            cases += 1
            statuses[status, default: 0] += 1
            if !problems.isEmpty {
                failures.append("tierbench \(arguments.map(\.debugDescription).joined(separator: " ")): \(problems.joined(separator: "; ")) (seed \(CLIFuzzTests.seed))")
            }
        }
    }
    func snapshot() -> (Int, [Int32: Int], [String]) { lock.withLock { (cases, statuses, failures) } }
}

/// One worker: its own working directory (which must stay empty), a side directory with the
/// targets and outputs it offers (an existing 1 MiB file, a directory, new paths), and a seeded
/// generator.
final class CLIFuzzWorker {
    let cwd = Scratch()
    let side = Scratch()
    let io = Scratch()
    var gen: ArgGenerator
    var dataFile: String { side.file("data.dat") }
    var directory: String { side.file("dir") }

    init(seed: UInt64) {
        gen = ArgGenerator(rng: Xoshiro256(seed: seed))
        _ = side.dataFile("data.dat", bytes: 1 << 20)
        mkdir(directory, 0o755)
    }

    /// Options whose valid values set how much work a run does: given at most once, bounded.
    static let bounded: [String: (kind: ArgGenerator.Kind, limit: UInt64, safe: String)] = [
        "--size": (.size, 2 << 20, "1m"), "--bs": (.size, 1 << 20, "4k"), "--offset": (.size, 1 << 20, "0"),
        "--offset-increment": (.size, 1 << 20, "64k"), "--runtime": (.duration, 200_000_000, "100ms"),
        "--ramp-time": (.duration, 100_000_000, "0"), "--iodepth": (.integer, 16, "4"), "--numjobs": (.integer, 4, "2"),
    ]

    /// Every other option of `run` (and a few of `verify`), with the kind of value it takes.
    static let others: [(String, ArgGenerator.Kind)] = [
        ("--rwmixread", .integer), ("--iodepth-batch", .integer), ("--randseed", .integer), ("--direct", .choice(["0", "1", "yes", "off", "2"])),
        ("--ioengine", .choice(["io_uring", "psync", "auto", "io-uring", "libaio"])), ("--interval", .duration), ("--status-interval", .duration),
        ("--progress", .choice(["auto", "always", "never", "sometimes"])),
        ("--output-format", .choice(["human", "json", "csv", "fio-json", "json,csv", "human,json,fio-json,csv", "json,json", "xml", ",", ""])),
        ("--percentiles", .choice(["50,99,99.9", "1:5:10", "0", "100", "101", "50,,99", "nan", "1e-300"])),
        ("--verify", .choice(["crc32c", "pattern", "md5"])), ("--verify-backlog", .integer),
        ("--time-based", .flag), ("--norandommap", .flag), ("--continue-on-error", .flag), ("--allow-device-writes", .flag),
        ("--overwrite", .flag), ("--checksum-reads", .flag), ("--require-newest-run", .flag),
        ("--help", .flag), ("-h", .flag), ("--version", .flag),
    ]

    func runOneCase(_ results: FuzzResults) {
        var allowed = Set<String>()
        let arguments = makeArguments(allowed: &allowed)
        let (status, problems) = run(arguments, allowed: allowed)
        results.record(status: status, problems: problems, arguments: arguments)
    }

    func makeArguments(allowed: inout Set<String>) -> [String] {
        var groups: [[String]] = []
        let subcommand = gen.below(100)
        let verify = subcommand < 5
        // The workload and the target.
        let rw: String? = gen.chance(12) ? nil : gen.chance(85) ? gen.pick(["read", "write", "randread", "randwrite", "rw", "randrw", "seqread", "mixed"]) : Self.defang(gen.value(.text))
        if let rw { groups.append(gen.optionGroup("--rw", rw)) }
        let target = pickTarget(allowed: &allowed)
        if let target { groups.append(gen.optionGroup("--target", target)) }
        // The bounded options.
        for (name, spec) in Self.bounded.sorted(by: { $0.key < $1.key }) {
            let required = (name == "--size" && target != dataFile) || ((name == "--runtime" || name == "--ramp-time") && rw == nil)
            guard required || gen.chance(name == "--size" ? 60 : 30) else { continue }
            groups.append(gen.optionGroup(name, Self.bound(gen.value(spec.kind), spec.kind, spec.limit, safe: spec.safe)))
        }
        // The rest, outputs, and junk.
        for _ in 0..<gen.below(6) {
            let (name, kind) = gen.pick(Self.others)
            if case .flag = kind { groups.append([name]); continue }
            groups.append(gen.chance(8) ? [name] : gen.optionGroup(name, Self.defang(gen.value(kind))))
        }
        for _ in 0..<(gen.chance(30) ? 1 + gen.below(3) : 0) {
            groups.append(gen.optionGroup("--output", pickOutput(allowed: &allowed)))
        }
        if gen.chance(15) { groups.append(gen.optionGroup("--name", Self.defang(gen.value(.text)))) }
        for _ in 0..<(gen.chance(25) ? 1 + gen.below(2) : 0) { groups.append([Self.defang(gen.value(.junk))]) }
        gen.shuffle(&groups)
        var arguments = groups.flatMap { $0 }
        if verify { arguments.insert("verify", at: 0) } else if subcommand < 90 { arguments.insert("run", at: 0) } else if subcommand < 92 { arguments.insert(gen.pick(["help", "run", "--"]), at: 0) }
        // argv is C strings.
        return arguments.map { $0.replacingOccurrences(of: "\u{0}", with: "") }
    }

    /// A valid value above the limit becomes `safe`; anything else is kept for the parser to refuse.
    static func bound(_ value: String, _ kind: ArgGenerator.Kind, _ limit: UInt64, safe: String) -> String {
        let parsed: UInt64?
        switch kind {
        case .size: parsed = try? Units.parseSize(value, option: "")
        case .duration: parsed = try? Units.parseDuration(value, option: "")
        default: parsed = (try? Units.parseInteger(value, option: "")).map { UInt64($0) }
        }
        return parsed.map { $0 > limit } == true ? safe : value
    }

    /// Junk and values must not be one of the bounded options in disguise (`--size=10g`).
    static func defang(_ token: String) -> String {
        for name in bounded.keys where token.hasPrefix(name) { return "-" + token }
        return token
    }

    func pickTarget(allowed: inout Set<String>) -> String? {
        switch gen.below(100) {
        case 0..<15: return nil  // a temporary directory in the cwd, removed afterwards
        case 15..<35: return side.file("new.dat")
        case 35..<55: return dataFile
        case 55..<63: return directory
        case 63..<67: return "."
        case 67..<77: allowed.insert("t.dat"); return "t.dat"
        case 77..<92:
            let path = gen.pick(["/dev/null", "/dev/zero", "/proc/self/status", "/", "", "/nonexistent/x.dat", side.file("missing/x.dat"), "-"])
            if path == "-" { allowed.insert(path) }
            return path
        default:
            let name = "fz-" + gen.value(.text).map { $0 == "/" || $0.isControl ? "_" : $0 }.prefix(60)
            allowed.insert(String(name))
            return String(name)
        }
    }

    func pickOutput(allowed: inout Set<String>) -> String {
        switch gen.below(100) {
        case 0..<40: return side.file("out\(gen.below(3)).txt")
        case 40..<55: let name = gen.pick(["o.json", "o.csv"]); allowed.insert(name); return name
        case 55..<90:
            let path = gen.pick(["/dev/null", directory, "", "/nonexistent/o.json", side.file("missing/o.json"), "/proc/self/status", "-"])
            if path == "-" { allowed.insert(path) }
            return path
        default:
            let name = "fz-" + gen.value(.text).map { $0 == "/" || $0.isControl ? "_" : $0 }.prefix(60)
            allowed.insert(String(name))
            return String(name)
        }
    }

    /// Runs one case and checks it; cleans up for the next.
    func run(_ arguments: [String], allowed: Set<String>) -> (Int32, [String]) {
        var problems: [String] = []
        let outPath = io.file("stdout"), errPath = io.file("stderr")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tierbenchPath)
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: cwd.path)
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = FileHandle(forWritingAtPath: outPath), err = FileHandle(forWritingAtPath: errPath)
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in finished.signal() }
        do { try p.run() } catch { return (-1, ["could not start: \(error)"]) }
        if finished.wait(timeout: .now() + 30) == .timedOut {
            problems.append("still running after 30 s (killed)")
            kill(p.processIdentifier, SIGKILL)
            finished.wait()
        }
        try? out?.close()
        try? err?.close()
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        let status = p.terminationStatus

        if p.terminationReason == .uncaughtSignal {
            problems.append("killed by signal \(status)")
        } else if !([0, 1, 2] + (arguments.first == "verify" ? [4] : [])).contains(status) {
            problems.append("exit status \(status)")
        }
        for marker in ["Fatal error", "Swift runtime failure", "Stack dump", "Current stack trace", "Illegal instruction", "Segmentation fault", "💣"]
        where stderr.contains(marker) {
            problems.append("'\(marker)' on stderr: \(stderr.prefix(400).debugDescription)")
        }
        if status == 2 && p.terminationReason == .exit {
            let lines = stderr.split(separator: "\n")
            if lines.count != 1 || !lines[0].hasPrefix("tierbench: error: ") {
                problems.append("exit 2 with \(lines.count) lines on stderr: \(stderr.prefix(400).debugDescription)")
            }
        }

        // The working directory: only what the arguments named, and only if the run went ahead.
        let fm = FileManager.default
        for entry in (try? fm.contentsOfDirectory(atPath: cwd.path)) ?? [] {
            if status == 2 || !allowed.contains(entry) { problems.append("left \(entry.debugDescription) in its working directory") }
            try? fm.removeItem(atPath: cwd.file(entry))
        }
        // Next to targets and outputs: no temporary files; the existing file stays as it was.
        for entry in (try? fm.contentsOfDirectory(atPath: side.path)) ?? [] where entry.hasSuffix(".tmp") || entry.hasPrefix(".tierbench") {
            problems.append("left \(entry.debugDescription) next to its target or output")
        }
        for entry in (try? fm.contentsOfDirectory(atPath: directory)) ?? [] {
            problems.append("left \(entry.debugDescription) in the directory it was given as --target")
            try? fm.removeItem(atPath: "\(directory)/\(entry)")
        }
        var st = stat()
        if stat(dataFile, &st) != 0 || st.st_size != 1 << 20 {
            problems.append("the existing 1 MiB target is gone or resized")
            unlink(dataFile)
            _ = side.dataFile("data.dat", bytes: 1 << 20)
        }
        for entry in (try? fm.contentsOfDirectory(atPath: side.path)) ?? [] where entry != "data.dat" && entry != "dir" {
            try? fm.removeItem(atPath: side.file(entry))
        }
        return (status, problems)
    }
}

/// Values for options: valid ones, their mutations, look-alikes and junk.
struct ArgGenerator {
    enum Kind { case size, duration, integer, choice([String]), text, junk, flag }
    var rng: Xoshiro256

    mutating func below(_ n: Int) -> Int { Int(rng.next(below: UInt64(n))) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ list: [T]) -> T { list[below(list.count)] }
    mutating func shuffle<T>(_ list: inout [T]) {
        guard list.count > 1 else { return }
        for i in stride(from: list.count - 1, to: 0, by: -1) { list.swapAt(i, below(i + 1)) }
    }

    static let atoms = [
        "", " ", "\t", "\n", "-", "+", ".", "0x", "x", "e3", "k", "K", "KiB", "m", "g", "t", "p", "b", "ns", "us", "ms", "s", "min", "h", "d",
        "nan", "inf", "-0", "0", "1", "4096", "99999999T", "9223372036854775807", "9223372036854775808", "18446744073709551616",
        "\u{FF14}", "\u{212A}", "\u{00A0}", "e\u{301}", "\u{1F680}", "\u{1B}[31m", ",", ":", "=", "--", "'", "\"", "\\", "$HOME", "%s", "*",
    ]
    static let junk = ["--", "-", "---", "-x", "--rww", "--Size", "--size-", "-size", "--bogus=1", "--=", "run", "verify", "help", "--rw=read=x", "-hh", "--h"]

    mutating func value(_ kind: Kind) -> String {
        let base: String
        switch kind {
        case .size: base = pick(["4k", "512", "1m", "64k", "0x1000", "1.5k", "0", "8191p", "0.5m", "4K", "1g"])
        case .duration: base = pick(["100ms", "50ms", "10ms", "1s", "0", "250us", "1.5s", "5ms", "1h"])
        case .integer: base = pick(["0", "1", "4", "16", "100", "101", "4096", "257", "-1", "+3"])
        case .choice(let values): base = pick(values)
        case .text: base = pick(["job", "x", "read", "a b", "ünï", ""])
        case .junk: return chance(50) ? pick(Self.junk) : mutate(pick(Self.junk))
        case .flag: return ""
        }
        return chance(45) ? base : mutate(base)
    }

    mutating func mutate(_ s: String) -> String {
        var scalars = Array(s.unicodeScalars)
        for _ in 0..<(1 + below(3)) {
            let at = below(scalars.count + 1)
            switch below(5) {
            case 0: scalars.insert(contentsOf: pick(Self.atoms).unicodeScalars, at: at)
            case 1: if at < scalars.count { scalars.remove(at: at) }
            case 2: scalars += scalars[at...]
            case 3: scalars.insert(contentsOf: String(rng.next() >> UInt64(below(64))).unicodeScalars, at: at)
            default: if at < scalars.count { scalars[at] = Unicode.Scalar(UInt8(32 + below(95))) }
            }
        }
        return String(String.UnicodeScalarView(scalars))
    }

    /// `--opt value` or `--opt=value`.
    mutating func optionGroup(_ name: String, _ value: String) -> [String] {
        chance(20) ? ["\(name)=\(value)"] : [name, value]
    }
}

fileprivate extension Character {
    var isControl: Bool { unicodeScalars.contains { $0.properties.generalCategory == .control } }
}
