import Foundation
import Workload

/// `tierbench explain`: every job's effective options and where each came from.
extension JobPlan {
    /// The value tierbench uses for `key` when nothing set it, from the resolved spec.
    static func defaultDisplay(_ key: String, _ spec: JobSpec?) -> String {
        guard let spec else { return "-" }
        switch key {
        case "name": return spec.name
        case "rw": return spec.rw.rawValue
        case "rwmixread": return String(spec.rwmixread)
        case "bs": return String(spec.blockSizeBytes)
        case "iodepth": return String(spec.iodepth)
        case "iodepth-batch": return String(spec.iodepthBatch)
        case "numjobs": return String(spec.numjobs)
        case "size": return spec.sizeBytes.map { String($0) } ?? "to the end of the target"
        case "offset": return String(spec.offsetBytes)
        case "offset-increment": return String(spec.offsetIncrementBytes)
        case "runtime": return spec.runtimeNanoseconds.map { "\($0)ns" } ?? "none"
        case "ramp-time": return "\(spec.rampTimeNanoseconds)ns"
        case "time-based": return String(spec.timeBased)
        case "direct": return spec.direct ? "1" : "0"
        case "ioengine": return spec.ioengine.rawValue
        case "randseed": return String(spec.randseed)
        case "norandommap": return String(!spec.randomMap)
        case "continue-on-error": return String(spec.continueOnError)
        case "verify": return spec.verify.map { "\($0)" } ?? "off"
        case "verify-backlog": return spec.verifyBacklog.map { String($0) } ?? "off"
        case "do-verify": return spec.verifyCheck == VerifyCheck.none ? "false" : "true"
        case "verify-only": return String(spec.verifyCheck == .only)
        case "stonewall", "new-group", "group-reporting": return "false"
        case "target": return "a temporary file (1 GiB unless a job gives size)"
        case "percentiles": return "fio's list (1 ... 99.99)"
        default: return "off"
        }
    }

    /// One row per option of every job, then the run-level ones.
    public func explainText() -> String {
        var out = ""
        func row(_ key: String, _ value: String, _ origin: String) {
            out += "  " + key.padding(toLength: Swift.max(key.count, 20), withPad: " ", startingAt: 0) + " "
                + value.padding(toLength: Swift.max(value.count, 16), withPad: " ", startingAt: 0) + "  " + origin + "\n"
        }
        for (i, job) in jobs.enumerated() {
            out += "job \(job.name) (\(job.file):\(job.line))\n"
            let spec = i < specs.count ? specs[i] : nil
            for option in TierbenchOptions.all where option.kind != .run {
                if let e = job.entry(option.key) {
                    row(option.key, e.value, e.origin.description + (e.spelled != option.key && e.origin != .commandLine ? " as \(e.spelled)" : ""))
                } else {
                    row(option.key, Self.defaultDisplay(option.key, spec), "default")
                }
            }
        }
        out += "run\n"
        row("target", target?.value ?? Self.defaultDisplay("target", specs.first), target?.origin.description ?? "default")
        row("percentiles", percentiles?.value ?? Self.defaultDisplay("percentiles", specs.first), percentiles?.origin.description ?? "default")
        return out
    }

    /// The same as JSON: `jobs[].options[]` with `option`, `value`, `origin` (and `file`, `line`),
    /// `jobs[].spec` the resolved job, then `target`, `percentiles`, `notes`, `warnings`.
    public func explainJSON() throws -> String {
        func entry(_ key: String, _ e: OptionEntry?, _ fallback: String) -> [String: Any] {
            var d: [String: Any] = ["option": key, "value": e?.value ?? fallback, "origin": originName(e?.origin ?? .defaultValue)]
            if let e, case .global(let f, let l) = e.origin { d["file"] = f; d["line"] = l; d["spelled"] = e.spelled }
            if let e, case .job(let f, let l) = e.origin { d["file"] = f; d["line"] = l; d["spelled"] = e.spelled }
            return d
        }
        var jobList: [[String: Any]] = []
        for (i, job) in jobs.enumerated() {
            let spec = i < specs.count ? specs[i] : nil
            var options: [[String: Any]] = []
            for option in TierbenchOptions.all where option.kind != .run {
                options.append(entry(option.key, job.entry(option.key), Self.defaultDisplay(option.key, spec)))
            }
            var d: [String: Any] = ["name": job.name, "file": job.file, "line": job.line, "options": options]
            if let spec {
                d["spec"] = try JSONSerialization.jsonObject(with: JSONEncoder().encode(spec))
            }
            jobList.append(d)
        }
        let doc: [String: Any] = [
            "jobs": jobList,
            "target": entry("target", target, Self.defaultDisplay("target", nil)),
            "percentiles": entry("percentiles", percentiles, Self.defaultDisplay("percentiles", nil)),
            "notes": notes, "warnings": warnings,
        ]
        let data = try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    func originName(_ o: OptionOrigin) -> String {
        switch o {
        case .defaultValue: "default"
        case .fioDefault: "fio default"
        case .global: "global"
        case .job: "job"
        case .commandLine: "command line"
        }
    }
}
