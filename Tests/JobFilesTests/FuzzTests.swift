import Foundation
import Testing
@testable import JobFiles

/// Random job files from fragments of valid and broken syntax (seeded, bounded): the parsers and
/// the plan either produce jobs or throw a `JobFileError`; never a crash or a hang.
@Suite struct FuzzTests {
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let seed: UInt64 = ProcessInfo.processInfo.environment["TIERBENCH_FUZZ_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)

    @Test func randomFioFilesNeverCrash() {
        var rng = SplitMix64(state: Self.seed)
        let names = ["rw", "bs", "size", "offset", "bsrange", "bssplit", "iodepth", "runtime", "thinktime", "rate", "rate_iops",
                     "percentile_list", "kb_base", "ioengine", "fixedbufs", "verify", "filename", "numjobs", "rwmixwrite",
                     "time_based", "stonewall", "blocksize", "bogus", "name", "include", "randrepeat"]
        let values = ["4k", "1m,2m", "1k-4k", "4k/50:8k/50", "(2*$ncpus)", "$pagesize*4", "(1^99999999999)", "(-(0-9223372036854775807-1))",
                      String(repeating: "(", count: 500) + "1", "0x10", "99:99.9", "1000", "io_uring", "libaio", "crc32c", "md5",
                      "${HOME}", "${", "", "18446744073709551616", "1.5g", "-1", "10%", "randread", "randread:8", "1e3", "4k,8k,16k",
                      "zipf:1.2", "\u{1B}[2J", "1/0", "(9223372036854775807+1)"]
        var outcomes = [0, 0]
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...8, using: &rng) {
                switch Int.random(in: 0..<10, using: &rng) {
                case 0: text += "[\(["global", "job", "a b", ""].randomElement(using: &rng)!)]\n"
                case 1: text += "; comment\n"
                case 2: text += "\(names.randomElement(using: &rng)!)\n"
                default: text += "\(names.randomElement(using: &rng)!)=\(values.randomElement(using: &rng)!)\n"
                }
            }
            do {
                let parsed = try FioJobFile.parse(text: text, file: "fuzz.fio", environment: ["HOME": "/root"], ignoreUnsupported: Bool.random(using: &rng))
                _ = try JobPlan.make([parsed])
                outcomes[0] += 1
            } catch {
                #expect(!error.description.isEmpty)
                #expect(!(error.description.contains("\n")), "\(error.description)")
                outcomes[1] += 1
            }
        }
        print("fuzz job files: \(outcomes[0]) planned, \(outcomes[1]) refused, seed \(Self.seed) (TIERBENCH_FUZZ_SEED=\(Self.seed) to repeat)")
    }
}
