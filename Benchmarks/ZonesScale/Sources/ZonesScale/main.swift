import Foundation
import Profiles
import Report
import Zones

// Usage: ZonesScale RESULT.json [ZONES] [PER_ZONE]
// RESULT.json: a tierbench/1 result (tierbench run --output-format json), used as every volume's.
let args = CommandLine.arguments
guard args.count >= 2 else { print("usage: ZonesScale RESULT.json [ZONES] [PER_ZONE]"); exit(2) }
let zones = args.count > 2 ? Int(args[2])! : 50
let perZone = args.count > 3 ? Int(args[3])! : 4
let run = try JSONReport.decode(Data(contentsOf: URL(fileURLWithPath: args[1])))

func median(_ f: () -> Void) -> (median: Double, best: Double) {
    var t: [Double] = []
    for _ in 0..<7 {
        let s = DispatchTime.now().uptimeNanoseconds
        f()
        t.append(Double(DispatchTime.now().uptimeNanoseconds - s) / 1e6)
    }
    t.sort()
    return (t[3], t[0])
}

let sc = StorageClass(name: "gp3", provisioner: "ebs.csi.aws.com", parameters: ["type": "gp3"], volumeBindingMode: "WaitForFirstConsumer")
let plan = ZonePlan(runID: "0a1b2c3d", namespace: "bench", storageClass: sc, size: try! Quantity.parse("100Gi"),
                    zones: (0..<zones).map { "zone-\($0)" }, perZone: perZone, image: "tierbench:1")
var bytes = 0
let render = median { bytes = plan.renderYAML().utf8.count + plan.manifests(ownerUID: "u").map(\.json.utf8.count).reduce(0, +) }
print("render \(zones) zones x \(perZone) volumes (\(plan.slots.count * 2 + 1) objects, YAML and JSON, \(bytes) bytes): median \(String(format: "%.1f", render.median)) ms, best \(String(format: "%.1f", render.best)) ms")
let runs = Array(repeating: run, count: plan.slots.count)
var rows = 0
let merge = median { rows = ZoneResults.merge(runs).count }
let bins = run.aggregates.compactMap { $0.read?.latNs.bins?.count }.reduce(0, +) + run.aggregates.compactMap { $0.write?.latNs.bins?.count }.reduce(0, +)
print("merge \(runs.count) volumes (\(run.aggregates.count) jobs each, \(bins) histogram bins per volume) into \(rows) rows: median \(String(format: "%.1f", merge.median)) ms, best \(String(format: "%.1f", merge.best)) ms")
