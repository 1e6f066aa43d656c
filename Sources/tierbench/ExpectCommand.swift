import ArgumentParser
import Check
import Harness
import Profiles

struct Expect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What a tier promises for a volume: IOPS, throughput, burst, latency, counted I/O size, consistency; and a lint of the class.",
        discussion: """
            Give -f FILE_OR_DIR (StorageClasses, PersistentVolumeClaims, StatefulSets; --class NAME to pick a class) \
            or --tier NAME, and --size (claims are evaluated at their own size). In-tree classes are read as their CSI \
            class (CSI migration) unless --kubernetes-version is below 1.23. Each class and claim gets its own entry; one \
            that cannot be evaluated is reported in place with the reason and the fix. \
            Exit status: 0 every class and claim evaluated and accepted; 3 something needs a look (a class or claim the \
            cloud would refuse, or one that could not be evaluated); 1 the input could not be read (a missing file, \
            YAML or JSON that does not parse, no class or claim in it); 2 a usage error.
            """)

    @OptionGroup var tier: TierOptions
    @Option(name: .customLong("output-format"), help: "human (default) or json.")
    var outputFormat: DocumentFormat = .human
    @Option(help: "Write the output to this file instead of stdout.")
    var output: String?

    func run() throws {
        let doc: ExpectDocument
        do throws(TierOptionsError) {
            if let output {
                do { try OutputPlan.checkWritable(output, target: nil) } catch { throw .usage(error.message) }
            }
            let request: TierSelection.Request
            do { request = try tier.selection().request() } catch { throw TierOptionsError(error) }
            switch request {
            case .tier(let subject):
                doc = ExpectDocument(version: Runner.version, classes: [ExpectEntry(subject)])
            case .manifests(let manifests, let evaluator, let size):
                let e: ManifestEvaluation
                do { e = try evaluator.evaluate(manifests, className: tier.className, size: size) } catch { throw TierOptionsError(error) }
                doc = ExpectDocument(
                    version: Runner.version, semantics: evaluator.kubernetesVersion.map { $0 < CSIMigration.onByDefaultSince ? "in-tree" : "csi-migration" } ?? "csi-migration",
                    classes: e.classes.map(ExpectEntry.init), claims: e.claims.map(ClaimEntry.init),
                    problems: e.problems.map(ProblemEntry.init), notes: e.notes)
            }
        } catch {
            throw error.exit()
        }
        let text = outputFormat == .json ? try CheckReport.json(doc) : CheckReport.human(doc)
        if let output {
            do { try writeOutput(text, to: output) } catch { printError("tierbench: error: \(error.message)"); throw ExitCode(1) }
        } else if !writeAll(1, text) {
            throw ExitCode(1)
        }
        if doc.needsALook { throw ExitCode(3) }
    }
}
