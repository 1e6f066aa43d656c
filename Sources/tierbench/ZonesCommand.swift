import ArgumentParser
import Check
import Foundation
import Glibc
import Harness
import Profiles
import Workload
import Zones

struct Zones: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zones",
        abstract: "Benchmark a StorageClass's volumes in every availability zone of a cluster, through kubectl: render, run, cleanup.",
        discussion: """
            Per zone (and --per-zone index) a PersistentVolumeClaim of the class (volumeMode Block by default) and a Job \
            pinned to the zone by required node affinity run tierbench itself in the pod; a ConfigMap owns them all. \
            `zones run` exit status: 0 every zone passed, 3 a zone failed the tier or could not be measured, 1 error, \
            2 usage, 130/143 interrupted (everything created is deleted first).
            """,
        subcommands: [ZonesRender.self, ZonesRun.self, ZonesCleanup.self])
}

/// How to reach the cluster.
struct ClusterOptions: ParsableArguments {
    @Option(help: "Namespace for the run's objects (default: default).")
    var namespace: String = "default"
    @Option(help: "kubectl context (default: the current one).")
    var context: String?
    @Option(help: "kubeconfig file (default: kubectl's).")
    var kubeconfig: String?

    func kubectl() throws(ZonesFailure) -> Kubectl {
        do { return try Kubectl(context: context, kubeconfig: kubeconfig, namespace: namespace) } catch { throw .error(error.description) }
    }
}

/// A usage mistake (exit 2) or an error (exit 1), found before or while talking to the cluster.
enum ZonesFailure: Error {
    case usage(String)
    case error(String)

    func exit() -> any Error {
        switch self {
        case .usage(let m): return ValidationError(m)
        case .error(let m):
            printError("tierbench: error: \(m)")
            return ExitCode(1)
        }
    }
}

/// What to run where: the class, the size, the zones, the pods.
struct ZonePlanOptions: ParsableArguments {
    @Option(name: [.customShort("f"), .customLong("storageclass")], help: "StorageClass manifest (file or directory); without it the class is read from the cluster (kubectl get storageclass).")
    var storageclass: [String] = []
    @Option(name: .customLong("class"), help: "The StorageClass to benchmark.")
    var className: String
    @Option(help: "Volume size, a Kubernetes quantity (e.g. 100Gi).")
    var size: String
    @Option(help: "Zones, comma-separated (default: every zone with a schedulable node).")
    var zones: String?
    @Option(name: .customLong("per-zone"), help: "Volumes per zone, each on its own node (default 1).")
    var perZone: Int = 1
    @Option(help: "What runs in each pod: check (the tier's check suite, default), default (tierbench's default suite, judged against the tier), or a job file (shipped in the run's ConfigMap).")
    var suite: String = "check"
    @Option(help: "The tierbench container image (see `make image`).")
    var image: String = "tierbench:\(Runner.version)"
    @Option(name: .customLong("volume-mode"), help: "Block (default: the volume itself) or Filesystem.")
    var volumeMode: String = "Block"
    @Option(name: .customLong("node-selector"), help: "KEY=VALUE a benchmark node must have (repeatable).")
    var nodeSelector: [String] = []
    @Option(help: "KEY[=VALUE][:EFFECT] the pods tolerate, for dedicated benchmark nodes (repeatable).")
    var toleration: [String] = []
    @Option(parsing: .unconditional, help: "Limit of the whole run, and each Job's activeDeadlineSeconds (default 1h).")
    var timeout: String = "1h"
    @Option(help: "Container CPU request and limit (equal, so the benchmark is not throttled; default 2).")
    var cpu: String = "2"
    @Option(help: "Container memory request and limit (default 1Gi).")
    var memory: String = "1Gi"
    @Option(parsing: .unconditional, help: "Passed to the pods' tierbench: measured time per job.")
    var runtime: String?
    @Option(name: .customLong("ramp-time"), parsing: .unconditional, help: "Passed to the pods' tierbench: warm-up per job.")
    var rampTime: String?
    @Option(name: .customLong("step-time"), parsing: .unconditional, help: "Passed to check in the pods: time per queue-depth step.")
    var stepTime: String?
    @Option(parsing: .unconditional, help: "Passed to check in the pods: queue depth of the random jobs (skips the search).")
    var iodepth: String?
    @Option(name: .customLong("share-of-time"), parsing: .unconditional, help: "Passed to check in the pods: promised share of intervals.")
    var shareOfTime: String?
    @Option(help: "Profile directories that add to or replace the built-in ones (repeatable).")
    var profiles: [String] = []

    func suiteChoice() throws(ZonesFailure) -> ZoneSuite {
        switch suite {
        case "check": return .check
        case "default": return .defaultSuite
        default:
            guard let text = try? String(contentsOfFile: suite, encoding: .utf8) else {
                throw .usage("--suite \(suite): not check, default, or a readable job file; give one of those")
            }
            let base = (suite as NSString).lastPathComponent
            let name = base.allSatisfy { $0.isLetter || $0.isNumber || "._-".contains($0) } && !base.isEmpty ? base : "jobs.fio"
            return .jobFile(name: name, text: text)
        }
    }

    var suiteArguments: [String] {
        var a: [String] = []
        for (flag, value) in [("--runtime", runtime), ("--ramp-time", rampTime)] { if let value { a += [flag, value] } }
        if suite == "check" {
            for (flag, value) in [("--step-time", stepTime), ("--iodepth", iodepth), ("--share-of-time", shareOfTime)] { if let value { a += [flag, value] } }
        }
        return a
    }

    func timeoutSeconds() throws(ZonesFailure) -> Int {
        let ns: UInt64
        do { ns = try Units.parseDuration(timeout, option: "--timeout") } catch { throw .usage(error.message) }
        guard ns >= 10_000_000_000 else { throw .usage("--timeout \(timeout) is too short; give at least 10s") }
        return Int(ns / 1_000_000_000)
    }

    /// The class, its subject at the size (the tier's expectation), and the plan.
    func plan(kubectl: Kubectl?, zonesFromCluster: () throws(ZonesFailure) -> [String]) throws(ZonesFailure) -> (ZonePlan, CheckSubject, Promise) {
        guard perZone >= 1 && perZone <= 100 else { throw .usage("--per-zone \(perZone) is outside 1-100") }
        guard ["Block", "Filesystem"].contains(volumeMode) else { throw .usage("--volume-mode \(volumeMode) is not a volume mode; use Block or Filesystem") }
        let quantity: Quantity
        do { quantity = try Quantity.parse(size) } catch { throw .usage("--size \(size): \(error.reason); give a Kubernetes quantity such as 100Gi") }
        guard quantity.bytes > 0 else { throw .usage("--size \(size) must be above zero") }
        var selectors: [(key: String, value: String)] = []
        for s in nodeSelector {
            let parts = s.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { throw .usage("--node-selector \(s) is not KEY=VALUE") }
            selectors.append((parts[0], parts[1]))
        }
        var tolerations: [Toleration] = []
        for t in toleration {
            guard let parsed = Toleration(t) else { throw .usage("--toleration \(t) is not KEY[=VALUE][:EFFECT] (EFFECT NoSchedule, PreferNoSchedule or NoExecute)") }
            tolerations.append(parsed)
        }
        let chosenSuite = try suiteChoice()
        let deadline = try timeoutSeconds()

        // The class: from the files, or from the cluster.
        let manifests: Manifests
        if storageclass.isEmpty {
            guard let kubectl else { throw .usage("give --storageclass FILE, or access to the cluster to read StorageClass \(className)") }
            let json: String
            do { json = try kubectl.run(["get", "storageclass", className, "-o", "json"], namespaced: false) } catch { throw .error(error.description) }
            do { manifests = try Manifests.parse(text: json, file: "storageclass/\(className)") } catch { throw .error(error.description) }
        } else {
            do { manifests = try Manifests.load(storageclass) } catch { throw .error(error.description) }
        }
        let set: ProfileSet
        do { set = try ProfileSet.load(builtIn: try builtInProfilesDirectory(), extra: profiles) } catch let e as ValidationFailure { throw .usage(e.message) } catch { throw .usage("\(error)") }
        let evaluator = ClassEvaluator(profiles: set)
        let subject: CheckSubject
        do { subject = try evaluator.subject(manifests, className: className, claimName: nil, size: quantity) } catch {
            throw error.kind == .usage ? .usage(error.message) : .error(error.message)
        }
        guard let sc = manifests.classes.first(where: { $0.name == className }) else { throw .error("no StorageClass `\(className)`") }
        let zoneList: [String]
        if let zones {
            zoneList = zones.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !zoneList.isEmpty else { throw .usage("--zones \(zones) names no zone; give e.g. --zones us-east-1a,us-east-1b") }
        } else {
            zoneList = try zonesFromCluster()
            guard !zoneList.isEmpty else { throw .error("the cluster has no schedulable node with a topology.kubernetes.io/zone label; give --zones") }
        }
        let plan = ZonePlan(runID: ZonePlan.newRunID(), namespace: "default", storageClass: sc, size: quantity, zones: zoneList, perZone: perZone,
                            suite: chosenSuite, image: image, volumeMode: volumeMode, nodeSelector: selectors, tolerations: tolerations,
                            deadlineSeconds: deadline, suiteArguments: suiteArguments, cpu: cpu, memory: memory)
        return (plan, subject, Promise.of(subject.profile, shareOfTime: shareOfTime.flatMap(Double.init)))
    }
}

/// Every zone with a schedulable node, from `kubectl get nodes`.
func clusterZones(_ kubectl: Kubectl, selector: [String]) throws(ZonesFailure) -> [String] {
    let nodes: [[String: Any]]
    do { nodes = try kubectl.items(["get", "nodes"], namespaced: false) } catch { throw .error(error.description) }
    let pairs = selector.map { $0.split(separator: "=", maxSplits: 1).map(String.init) }.filter { $0.count == 2 }.map { (key: $0[0], value: $0[1]) }
    return ZoneRunner.schedulableNodes(nodes, selector: pairs).keys.sorted()
}

struct ZonesRender: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print the run's manifests (ConfigMap, and per zone a PersistentVolumeClaim and a Job) as YAML, for review, GitOps or kubectl apply.")

    @OptionGroup var options: ZonePlanOptions
    @OptionGroup var cluster: ClusterOptions

    func run() throws {
        do throws(ZonesFailure) {
            let needsCluster = options.storageclass.isEmpty || options.zones == nil
            let kubectl = needsCluster ? try cluster.kubectl() : nil
            var (plan, _, _) = try options.plan(kubectl: kubectl) { () throws(ZonesFailure) in try clusterZones(kubectl!, selector: options.nodeSelector) }
            plan.namespace = cluster.namespace
            if !writeAll(1, plan.renderYAML()) { throw .error("cannot write to stdout") }
        } catch {
            throw error.exit()
        }
    }
}

struct ZonesRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Create the run's claims and Jobs, follow them per zone, collect each pod's result, delete everything, and compare the zones.",
        discussion: "Exit status: 0 every zone passed; 3 a zone failed the tier, could not be measured, or got a volume in another zone; 1 error; 2 usage; 130/143 interrupted.")

    @OptionGroup var options: ZonePlanOptions
    @OptionGroup var cluster: ClusterOptions
    @Option(help: "Zones benchmarked at the same time (default: all).")
    var parallel: Int?
    @Flag(help: "Keep the claims, Jobs and ConfigMap after the run (delete them later with zones cleanup --run ID).")
    var keep = false
    @Option(name: .customLong("stuck-after"), parsing: .unconditional, help: "Give a zone up when its claim stays Pending with a ProvisioningFailed event, or its pod stays unschedulable or cannot pull its image, this long (default 60s).")
    var stuckAfter: String = "60s"
    @Option(name: .customLong("outlier-margin"), parsing: .unconditional, help: "A zone this far below the median of zones (above it, for latency) is an outlier (default 0.2).")
    var outlierMargin: Double = 0.2
    @Option(name: .customLong("output-format"), help: "human (default) or json (tierbench-zones/1).")
    var outputFormat: DocumentFormat = .human
    @Option(help: "Write the report to this file instead of stdout.")
    var output: String?
    @Option(help: "Also write a JUnit XML file: a test suite per zone.")
    var junit: String?
    @OptionGroup var historyFlags: HistoryFlags

    func run() throws {
        let doc: ZonesDocument
        var outcomes: [VolumeOutcome] = []
        do throws(ZonesFailure) {
            if let parallel, parallel < 1 { throw .usage("--parallel \(parallel) must be at least 1") }
            guard outlierMargin > 0 && outlierMargin < 1 else { throw .usage("--outlier-margin \(outlierMargin) is not in (0, 1); give e.g. 0.2") }
            for (path, option) in [(output, "--output"), (junit, "--junit")] {
                if let path { do { try OutputPlan.checkWritable(path, target: nil, option: option) } catch { throw .usage(error.message) } }
            }
            let stuckNs: UInt64
            do { stuckNs = try Units.parseDuration(stuckAfter, option: "--stuck-after") } catch { throw .usage(error.message) }
            let kubectl = try cluster.kubectl()
            do { _ = try kubectl.currentContext() } catch { throw .error(error.description) }
            var (plan, subject, promise) = try options.plan(kubectl: kubectl) { () throws(ZonesFailure) in try clusterZones(kubectl, selector: options.nodeSelector) }
            plan.namespace = cluster.namespace
            if plan.storageClass.volumeBindingMode ?? "Immediate" == "Immediate" {
                printError("tierbench: warning: StorageClass `\(plan.storageClass.name)` binds Immediate: each volume is created in a zone the provisioner picks, maybe not the zone of its pod; volumes in another zone are reported as misplaced, not measured (WaitForFirstConsumer avoids this)")
            }
            RunControl.shared.installSignalHandlers()
            let runner = ZoneRunner(plan: plan, kubectl: kubectl, subject: subject, promise: promise, parallel: parallel ?? plan.zones.count,
                                    timeoutSeconds: Double(plan.deadlineSeconds) + 120)
            runner.keep = keep
            runner.stuckAfterSeconds = Double(stuckNs) / 1e9
            runner.progress = { printError("tierbench: \($0)") }
            runner.stopRequested = { RunControl.shared.stopRequestedBy != nil }
            do { try runner.run() } catch {
                // The runner has deleted what it created (unless --keep).
                for name in runner.deleted { printError("tierbench: deleted \(name)") }
                throw .error(error.description)
            }
            if runner.interrupted { printError("tierbench: stopped by a signal: \(runner.deleted.isEmpty ? "nothing to delete" : "deleted \(runner.deleted.joined(separator: ", "))")") }
            doc = ZonesDocument(plan: plan, runner: runner, subject: subject, version: Runner.version, outlierMargin: outlierMargin)
            outcomes = runner.outcomes
        } catch {
            throw error.exit()
        }
        let text = outputFormat == .json ? try doc.json() : doc.human()
        var writeFailed = false
        if let output {
            do { try writeOutput(text, to: output) } catch { printError("tierbench: error: \(error.message)"); writeFailed = true }
        } else if !writeAll(1, text) {
            writeFailed = true
        }
        if let junit {
            do { try writeOutput(doc.junit(), to: junit, option: "--junit") } catch { printError("tierbench: error: \(error.message)"); writeFailed = true }
        }
        if !historyFlags.record(zones: outcomes, storageClass: doc.storageClass, tier: doc.profile) { writeFailed = true }
        if let stopped = stoppedBySignal() { throw stopped }
        if writeFailed { throw ExitCode(1) }
        if doc.failed { throw ExitCode(3) }
    }
}

struct ZonesCleanup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cleanup",
        abstract: "Delete what zones runs left behind (found by the label app.kubernetes.io/name=tierbench): one run, the runs older than a duration, or all.")

    @OptionGroup var cluster: ClusterOptions
    @Option(name: .customLong("run"), help: "Only this run (its ID, as printed by zones run).")
    var runID: String?
    @Option(name: .customLong("older-than"), parsing: .unconditional, help: "Only runs whose ConfigMap is older than this, e.g. 2h.")
    var olderThan: String?

    func run() throws {
        do throws(ZonesFailure) {
            var minimumAge: Double?
            if let olderThan {
                do { minimumAge = Double(try Units.parseDuration(olderThan, option: "--older-than")) / 1e9 } catch { throw .usage(error.message) }
            }
            let kubectl = try cluster.kubectl()
            let selector = runID.map { "\(ZonePlan.labelPrefix)/run=\($0)" } ?? "app.kubernetes.io/name=tierbench"
            let objects: [[String: Any]]
            do { objects = try kubectl.items(["get", "configmaps,persistentvolumeclaims,jobs", "-l", selector]) } catch { throw .error(error.description) }
            let iso = ISO8601DateFormatter()
            var runs: [String: Date] = [:]
            for o in objects {
                let m = o["metadata"] as? [String: Any] ?? [:]
                guard let run = (m["labels"] as? [String: Any])?["\(ZonePlan.labelPrefix)/run"] as? String else { continue }
                let created = (m["creationTimestamp"] as? String).flatMap(iso.date) ?? Date()
                runs[run] = min(runs[run] ?? created, created)
            }
            let chosen = runs.filter { minimumAge == nil || Date().timeIntervalSince($0.value) >= minimumAge! }.keys.sorted()
            if chosen.isEmpty { writeAll(1, "nothing to delete\n"); return }
            for run in chosen {
                let s = "\(ZonePlan.labelPrefix)/run=\(run)"
                let names = objects.filter { ((($0["metadata"] as? [String: Any])?["labels"] as? [String: Any])?["\(ZonePlan.labelPrefix)/run"] as? String) == run }
                    .map { "\($0["kind"] as? String ?? "?")/\(($0["metadata"] as? [String: Any])?["name"] as? String ?? "?")" }
                do { try kubectl.run(["delete", "jobs,persistentvolumeclaims,configmaps", "-l", s, "--wait=false", "--ignore-not-found", "--cascade=background"]) } catch {
                    throw .error(error.description)
                }
                writeAll(1, "run \(run): deleted \(names.joined(separator: ", "))\n")
            }
        } catch {
            throw error.exit()
        }
    }
}
