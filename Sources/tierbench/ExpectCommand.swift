import ArgumentParser
import Check
import Harness

struct Expect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What a tier promises for a volume: IOPS, throughput, burst, latency, counted I/O size, consistency; and a lint of the class.",
        discussion: """
            Give --storageclass FILE (and --class NAME to pick one) or --tier NAME, and --size. Exit status 0, \
            3 when the cloud would refuse a class as given (a lint finding with effect `rejected`), 2 for a usage error.
            """)

    @OptionGroup var tier: TierOptions
    @Option(name: .customLong("output-format"), help: "human (default) or json.")
    var outputFormat: String = "human"
    @Option(help: "Write the output to this file instead of stdout.")
    var output: String?

    func run() throws {
        let doc: ExpectDocument
        do throws(ValidationFailure) {
            guard ["human", "json"].contains(outputFormat) else {
                throw ValidationFailure("--output-format \(outputFormat) is not a format of expect; use human or json")
            }
            if let output { try OutputPlan.checkWritable(output, target: nil) }
            doc = ExpectDocument(version: Runner.version, classes: try tier.subjects().map(ExpectEntry.init))
        } catch {
            throw ValidationError(error.message)
        }
        let text = outputFormat == "json" ? try CheckReport.json(doc) : CheckReport.human(doc)
        if let output {
            do { try writeOutput(text, to: output) } catch { printError("tierbench: error: \(error.message)"); throw ExitNow(code: 1) }
        } else if !writeAll(1, text) {
            throw ExitNow(code: 1)
        }
        if doc.classes.contains(where: \.rejected) { throw ExitNow(code: 3) }
    }
}
