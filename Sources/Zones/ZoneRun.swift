import Check
import Foundation
import Harness
import Profiles
import Report

/// What became of one volume of a run.
public struct VolumeOutcome: Sendable {
    public enum State: String, Sendable, Codable {
        /// The pod ran the suite and its result was collected.
        case measured
        /// Something kept it from being measured; `reason` says what.
        case failed
        /// The volume was created in another zone than the one asked for: not measured.
        case misplaced
        /// Not started (no node in the zone, the run was stopped first).
        case notRun = "not_run"
    }

    public var slot: VolumeSlot
    public var state: State = .notRun
    public var reason: String?
    public var node: String?
    public var instanceType: String?
    public var persistentVolume: String?
    /// The zones the volume's PV is pinned to.
    public var volumeZones: [String]?
    /// The verdict of the suite against the tier (the pod's own for `check`, judged here otherwise).
    public var verdict: SubjectVerdict?
    /// The suite's measurements (with histograms, for merging).
    public var run: RunResult?
}

/// A per-zone run: creates the owner ConfigMap, then each zone's claims and Jobs (at most
/// `parallel` zones at a time), follows them, collects each pod's framed result, and deletes
/// everything it created (unless `keep`), also when stopped by a signal.
public final class ZoneRunner: @unchecked Sendable {
    public let plan: ZonePlan
    public let kubectl: Kubectl
    public let subject: CheckSubject
    public let promise: Promise
    public var parallel: Int
    public var keep = false
    /// How long a claim may stay Pending with a ProvisioningFailed event, or a pod Unschedulable or
    /// failing to pull its image, before its zone is given up.
    public var stuckAfterSeconds: Double = 60
    /// The whole run's limit.
    public var timeoutSeconds: Double
    public var pollSeconds: Double = 1
    /// One line per zone state change (stderr).
    public var progress: @Sendable (String) -> Void = { _ in }
    /// Set by a signal handler: stop, delete, report.
    public var stopRequested: @Sendable () -> Bool = { false }

    public private(set) var outcomes: [VolumeOutcome]
    /// What the run created and deleted (for the report and the user).
    public private(set) var deleted: [String] = []
    public private(set) var leftBehind: [String] = []
    public private(set) var interrupted = false

    public init(plan: ZonePlan, kubectl: Kubectl, subject: CheckSubject, promise: Promise, parallel: Int, timeoutSeconds: Double) {
        self.plan = plan; self.kubectl = kubectl; self.subject = subject; self.promise = promise
        self.parallel = max(1, parallel); self.timeoutSeconds = timeoutSeconds
        outcomes = plan.slots.map { VolumeOutcome(slot: $0) }
    }

    struct Tracking {
        var started: Date?
        var stuckSince: Date?
        var lastShown = ""
        var done = false
        var lastLogPoll = Date.distantPast
    }

    /// Runs the plan. Errors that stop the whole run (kubectl missing, forbidden to create the
    /// owner) are thrown after cleaning up; per-zone failures are in `outcomes`.
    public func run() throws(KubectlError) {
        var created = false
        defer { if created && !keep { cleanup() } }

        // Zones without a schedulable node fail before anything is created for them.
        let nodes = try kubectl.items(["get", "nodes"], namespaced: false)
        let byZone = Self.schedulableNodes(nodes, selector: plan.nodeSelector)
        for i in outcomes.indices where byZone[outcomes[i].slot.zone, default: []].isEmpty {
            outcomes[i].state = .failed
            outcomes[i].reason = "no schedulable node in zone \(outcomes[i].slot.zone)" + (plan.nodeSelector.isEmpty ? "" : " matching the node selector")
            progress("\(outcomes[i].slot.zone): \(outcomes[i].reason!)")
        }
        for (zone, names) in byZone where plan.zones.contains(zone) && names.count < plan.perZone {
            progress("\(zone): \(names.count) schedulable node(s) for \(plan.perZone) volumes on different nodes; the others wait for a node")
        }

        let owner = try kubectl.create(plan.ownerConfigMap)
        created = true
        guard let uid = (owner["metadata"] as? [String: Any])?["uid"] as? String else {
            throw .failed(command: "create configmap", status: 0, message: "the created ConfigMap has no metadata.uid")
        }
        progress("run \(plan.runID): ConfigMap \(plan.ownerName) owns every object of the run (namespace \(plan.namespace))")

        var tracking = Array(repeating: Tracking(), count: outcomes.count)
        for i in outcomes.indices where outcomes[i].state == .failed { tracking[i].done = true }
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var pendingZones = plan.zones.filter { zone in outcomes.indices.contains { outcomes[$0].slot.zone == zone && !tracking[$0].done } }
        var runningZones: [String] = []

        while !stopRequested() {
            // Start zones while fewer than `parallel` run.
            while runningZones.count < parallel, let zone = pendingZones.first {
                pendingZones.removeFirst()
                runningZones.append(zone)
                for i in outcomes.indices where outcomes[i].slot.zone == zone {
                    let slot = outcomes[i].slot
                    do {
                        _ = try kubectl.create(plan.claim(slot, ownerUID: uid))
                        _ = try kubectl.create(plan.job(slot, ownerUID: uid))
                        tracking[i].started = Date()
                        show(i, &tracking, "claim pending")
                    } catch {
                        if case .forbidden = error { throw error }
                        finish(i, &tracking, .failed, "cannot create its claim or Job: \(error)")
                    }
                }
            }
            if outcomes.indices.allSatisfy({ tracking[$0].done }) { break }
            if Date() > deadline {
                for i in outcomes.indices where !tracking[i].done {
                    finish(i, &tracking, .failed, "the run's --timeout of \(Int(timeoutSeconds)) s passed before the volume was measured")
                }
                break
            }
            try poll(&tracking)
            runningZones.removeAll { zone in outcomes.indices.allSatisfy { outcomes[$0].slot.zone != zone || tracking[$0].done } }
            if outcomes.indices.allSatisfy({ tracking[$0].done }) { break }
            sleep(seconds: pollSeconds)
        }
        if stopRequested() {
            interrupted = true
            for i in outcomes.indices where !tracking[i].done {
                outcomes[i].reason = outcomes[i].state == .notRun && tracking[i].started == nil ? "not started: the run was stopped" : "stopped before the volume was measured"
                if tracking[i].started != nil { outcomes[i].state = .failed }
            }
        }
    }

    func sleep(seconds: Double) {
        var left = seconds
        while left > 0 && !stopRequested() {
            usleep(UInt32(min(left, 0.1) * 1_000_000))
            left -= 0.1
        }
    }

    func show(_ i: Int, _ tracking: inout [Tracking], _ state: String) {
        guard tracking[i].lastShown != state else { return }
        tracking[i].lastShown = state
        let s = outcomes[i].slot
        progress("\(s.zone)\(plan.perZone > 1 ? "/\(s.index)" : ""): \(state)")
    }

    func finish(_ i: Int, _ tracking: inout [Tracking], _ state: VolumeOutcome.State, _ reason: String?) {
        outcomes[i].state = state
        outcomes[i].reason = reason
        tracking[i].done = true
        show(i, &tracking, state == .measured ? "done: \(outcomes[i].verdict?.verdict.rawValue.uppercased() ?? "measured")" : "\(state.rawValue): \(reason ?? "")")
    }

    /// One look at every object of the run.
    func poll(_ tracking: inout [Tracking]) throws(KubectlError) {
        let objects = try kubectl.items(["get", "persistentvolumeclaims,jobs,pods", "-l", plan.runSelector])
        func named(_ kind: String, _ name: String) -> [String: Any]? {
            objects.first { $0["kind"] as? String == kind && meta($0)["name"] as? String == name }
        }
        var events: [[String: Any]]?
        func eventsFor(_ name: String) throws(KubectlError) -> [[String: Any]] {
            if events == nil { events = try kubectl.items(["get", "events"]) }
            return events!.filter { ($0["involvedObject"] as? [String: Any])?["name"] as? String == name }
        }
        for i in outcomes.indices where !tracking[i].done && tracking[i].started != nil {
            let slot = outcomes[i].slot
            guard let pvc = named("PersistentVolumeClaim", slot.name) else {
                finish(i, &tracking, .failed, "its claim \(slot.name) disappeared (deleted from outside the run?)")
                continue
            }
            let pvcPhase = (pvc["status"] as? [String: Any])?["phase"] as? String ?? "Pending"
            let pods = objects.filter { $0["kind"] as? String == "Pod" && (meta($0)["labels"] as? [String: Any])?["job-name"] as? String == slot.name }
            let pod = pods.first
            let job = named("Job", slot.name)

            // The volume's zone, once bound: it must be the zone asked for.
            if pvcPhase == "Bound", outcomes[i].persistentVolume == nil, let pvName = (pvc["spec"] as? [String: Any])?["volumeName"] as? String {
                outcomes[i].persistentVolume = pvName
                if let pv = try? kubectl.json(["get", "persistentvolume", pvName], namespaced: false) {
                    let zones = Self.zones(ofPersistentVolume: pv)
                    outcomes[i].volumeZones = zones
                    if !zones.isEmpty && !zones.contains(slot.zone) {
                        _ = try? kubectl.run(["delete", "job", slot.name, "--wait=false"])
                        finish(i, &tracking, .misplaced, "the volume \(pvName) was created in \(zones.joined(separator: ", ")), not \(slot.zone) (volumeBindingMode Immediate?); not measured")
                        continue
                    }
                }
            }
            if pvcPhase == "Pending" {
                if let failed = try eventsFor(slot.name).last(where: { $0["reason"] as? String == "ProvisioningFailed" }) {
                    let message = failed["message"] as? String ?? "no message"
                    if stuck(i, &tracking) {
                        finish(i, &tracking, .failed, "claim stuck Pending: ProvisioningFailed: \(message)")
                        continue
                    }
                    show(i, &tracking, "claim pending (ProvisioningFailed: \(message))")
                } else if pod == nil || (pod.map(podPhase) ?? "Pending") == "Pending" {
                    show(i, &tracking, "claim pending")
                }
            }
            if let pod {
                if let node = (pod["spec"] as? [String: Any])?["nodeName"] as? String, outcomes[i].node == nil {
                    outcomes[i].node = node
                    outcomes[i].instanceType = try? nodeInstanceType(node)
                }
                let phase = podPhase(pod)
                let status = pod["status"] as? [String: Any] ?? [:]
                let container = (status["containerStatuses"] as? [[String: Any]])?.first
                let state = container?["state"] as? [String: Any] ?? [:]
                if phase == "Pending" {
                    let scheduled = (status["conditions"] as? [[String: Any]])?.first { $0["type"] as? String == "PodScheduled" }
                    if scheduled?["status"] as? String == "False", scheduled?["reason"] as? String == "Unschedulable" {
                        let message = scheduled?["message"] as? String ?? "no message"
                        if stuck(i, &tracking) { finish(i, &tracking, .failed, "pod unschedulable: \(message)"); continue }
                        show(i, &tracking, "pod pending (unschedulable: \(message))")
                    } else if let waiting = state["waiting"] as? [String: Any], let reason = waiting["reason"] as? String,
                              ["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError"].contains(reason)
                    {
                        let message = waiting["message"] as? String ?? ""
                        if reason == "InvalidImageName" || stuck(i, &tracking) {
                            finish(i, &tracking, .failed, "\(reason): \(message.isEmpty ? plan.image : message)")
                            continue
                        }
                        show(i, &tracking, "pod pending (\(reason))")
                    } else if pvcPhase == "Bound" {
                        show(i, &tracking, "claim bound, pod pending")
                    }
                } else if phase == "Running" {
                    tracking[i].stuckSince = nil
                    if Date().timeIntervalSince(tracking[i].lastLogPoll) > 5 {
                        tracking[i].lastLogPoll = Date()
                        let podName = meta(pod)["name"] as? String ?? ""
                        let tail = (try? kubectl.run(["logs", podName, "--tail", "20"])) ?? ""
                        let note = tail.split(separator: "\n").last { $0.hasPrefix("tierbench: note: ") }.map { String($0.dropFirst("tierbench: note: ".count)) }
                        show(i, &tracking, "running" + (note.map { ": \($0)" } ?? ""))
                    } else if !tracking[i].lastShown.hasPrefix("running") {
                        show(i, &tracking, "running")
                    }
                } else if phase == "Succeeded" || phase == "Failed" {
                    collect(i, &tracking, pod: pod, terminated: state["terminated"] as? [String: Any])
                    continue
                }
            }
            if let job, let failed = ((job["status"] as? [String: Any])?["conditions"] as? [[String: Any]])?.first(where: { $0["type"] as? String == "Failed" && $0["status"] as? String == "True" }) {
                let reason = failed["reason"] as? String ?? "Failed"
                if reason == "DeadlineExceeded" {
                    finish(i, &tracking, .failed, "deadline exceeded: the Job ran longer than its activeDeadlineSeconds (\(plan.deadlineSeconds) s)")
                } else {
                    finish(i, &tracking, .failed, "Job failed: \(reason): \(failed["message"] as? String ?? "")")
                }
            }
        }
    }

    func stuck(_ i: Int, _ tracking: inout [Tracking]) -> Bool {
        let since = tracking[i].stuckSince ?? Date()
        tracking[i].stuckSince = since
        return Date().timeIntervalSince(since) >= stuckAfterSeconds
    }

    /// A finished pod: its framed result from the log, or why there is none.
    func collect(_ i: Int, _ tracking: inout [Tracking], pod: [String: Any], terminated: [String: Any]?) {
        let podName = meta(pod)["name"] as? String ?? ""
        let exitCode = (terminated?["exitCode"] as? NSNumber)?.intValue
        let reason = terminated?["reason"] as? String
        if reason == "OOMKilled" {
            finish(i, &tracking, .failed, "OOMKilled: the container went over its memory limit (\(plan.memory)); raise --memory")
            return
        }
        let log: String
        do { log = try kubectl.run(["logs", podName]) } catch {
            finish(i, &tracking, .failed, "the pod ended (exit code \(exitCode.map(String.init) ?? "?")) and its log cannot be read: \(error)")
            return
        }
        guard let line = log.split(separator: "\n").last(where: { $0.hasPrefix("{\"") && $0.contains("\"type\":\"result\"") }) else {
            let last = log.split(separator: "\n").suffix(5).joined(separator: " | ")
            finish(i, &tracking, .failed, "the container failed (exit code \(exitCode.map(String.init) ?? "?")\(reason.map { ", \($0)" } ?? "")) without a result; its last log lines: \(last.isEmpty ? "(none)" : last)")
            return
        }
        do {
            let (verdict, run) = try ZoneResults.decode(resultLine: String(line), subject: subject, promise: promise)
            outcomes[i].verdict = verdict
            outcomes[i].run = run
            finish(i, &tracking, .measured, nil)
        } catch {
            finish(i, &tracking, .failed, "its result line cannot be read: \(error)")
        }
    }

    func nodeInstanceType(_ node: String) throws -> String? {
        let n = try kubectl.json(["get", "node", node], namespaced: false)
        return (meta(n)["labels"] as? [String: Any])?["node.kubernetes.io/instance-type"] as? String
    }

    func podPhase(_ pod: [String: Any]) -> String { (pod["status"] as? [String: Any])?["phase"] as? String ?? "Pending" }

    /// Deletes everything the run created: the owner ConfigMap and, in case the garbage collector
    /// is slow or absent, the claims and Jobs by label; then waits until they are gone.
    public func cleanup() {
        let names = (try? kubectl.items(["get", "configmaps,persistentvolumeclaims,jobs", "-l", plan.runSelector]))?.map {
            "\(($0["kind"] as? String) ?? "?")/\(meta($0)["name"] as? String ?? "?")"
        } ?? []
        _ = try? kubectl.run(["delete", "jobs,persistentvolumeclaims,configmaps", "-l", plan.runSelector, "--wait=false", "--ignore-not-found", "--cascade=background"])
        var left = names
        let until = Date().addingTimeInterval(120)
        while Date() < until {
            guard let now = try? kubectl.items(["get", "configmaps,persistentvolumeclaims,jobs,pods", "-l", plan.runSelector]) else { break }
            left = now.map { "\(($0["kind"] as? String) ?? "?")/\(meta($0)["name"] as? String ?? "?")" }
            if left.isEmpty { break }
            usleep(200_000)
        }
        deleted = names.filter { !left.contains($0) }
        leftBehind = left
    }

    /// Zone -> schedulable node names (not cordoned, Ready, matching the node selector).
    public static func schedulableNodes(_ nodes: [[String: Any]], selector: [(key: String, value: String)]) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for n in nodes {
            let labels = meta(n)["labels"] as? [String: String] ?? [:]
            guard let zone = labels["topology.kubernetes.io/zone"] ?? labels["failure-domain.beta.kubernetes.io/zone"] else { continue }
            if (n["spec"] as? [String: Any])?["unschedulable"] as? Bool == true { continue }
            let ready = ((n["status"] as? [String: Any])?["conditions"] as? [[String: Any]])?.first { $0["type"] as? String == "Ready" }
            if let ready, ready["status"] as? String != "True" { continue }
            guard selector.allSatisfy({ labels[$0.key] == $0.value }) else { continue }
            out[zone, default: []].append(meta(n)["name"] as? String ?? "?")
        }
        return out
    }

    /// The zone values of a PV's required node affinity (any `.../zone` key).
    static func zones(ofPersistentVolume pv: [String: Any]) -> [String] {
        let terms = (((pv["spec"] as? [String: Any])?["nodeAffinity"] as? [String: Any])?["required"] as? [String: Any])?["nodeSelectorTerms"] as? [[String: Any]] ?? []
        return terms.flatMap { ($0["matchExpressions"] as? [[String: Any]]) ?? [] }
            .filter { ($0["key"] as? String).map { $0.hasSuffix("/zone") } ?? false }
            .flatMap { ($0["values"] as? [String]) ?? [] }
    }
}

func meta(_ o: [String: Any]) -> [String: Any] { o["metadata"] as? [String: Any] ?? [:] }
