import Foundation

/// Why kubectl could not do what tierbench asked, in the user's terms.
public enum KubectlError: Error, Sendable, CustomStringConvertible {
    /// No kubectl on PATH (or at `KUBECTL`).
    case missing(String)
    /// No current context and none given.
    case noContext(String)
    /// RBAC refused a verb on a resource.
    case forbidden(verb: String, resource: String, message: String)
    /// Anything else: the command and what kubectl said.
    case failed(command: String, status: Int32, message: String)

    public var description: String {
        switch self {
        case .missing(let m), .noContext(let m): return m
        case .forbidden(let verb, let resource, let message):
            return "kubectl: forbidden to \(verb) \(resource) (\(message)); grant the Role in docs/zones.md (tierbench zones needs get, list, create and delete on configmaps, persistentvolumeclaims and jobs; get and list on pods, pods/log and events; get and list on nodes, persistentvolumes and storageclasses)"
        case .failed(let command, let status, let message):
            return "kubectl \(command) failed (exit status \(status)): \(message)"
        }
    }
}

/// The one way tierbench talks to Kubernetes: the user's kubectl, with the user's kubeconfig and
/// context (so every cloud's authentication works), and JSON back. Only this type runs kubectl.
public struct Kubectl: Sendable {
    public var executable: String
    public var context: String?
    public var kubeconfig: String?
    public var namespace: String

    /// Finds kubectl (`KUBECTL`, else PATH).
    public init(context: String?, kubeconfig: String?, namespace: String) throws(KubectlError) {
        let env = ProcessInfo.processInfo.environment
        if let k = env["KUBECTL"], !k.isEmpty {
            guard access(k, X_OK) == 0 else { throw .missing("KUBECTL=\(k) is not an executable; point it at kubectl or unset it") }
            executable = k
        } else {
            let dirs = (env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
            let candidates: [String] = dirs.map { "\($0)/kubectl" }
            guard let found = candidates.first(where: { access($0, X_OK) == 0 }) else {
                throw .missing("kubectl is not on PATH; install kubectl (the version of your cluster) or set KUBECTL=/path/to/kubectl")
            }
            executable = found
        }
        self.context = context
        self.kubeconfig = kubeconfig
        self.namespace = namespace
    }

    var globalArguments: [String] {
        (kubeconfig.map { ["--kubeconfig", $0] } ?? []) + (context.map { ["--context", $0] } ?? []) + ["--request-timeout", "30s"]
    }

    /// Runs kubectl and returns its stdout; a failure is typed (forbidden, no context, other).
    @discardableResult
    public func run(_ arguments: [String], input: String? = nil, namespaced: Bool = true) throws(KubectlError) -> String {
        let args = globalArguments + (namespaced ? ["--namespace", namespace] : []) + arguments
        let (status, out, err) = Self.execute(executable, args, input: input)
        guard status == 0 else { throw Self.classify(arguments, status: status, stderr: err) }
        return out
    }

    /// `kubectl ARGS -o json`, decoded.
    public func json(_ arguments: [String], namespaced: Bool = true) throws(KubectlError) -> [String: Any] {
        let out = try run(arguments + ["-o", "json"], namespaced: namespaced)
        guard let obj = (try? JSONSerialization.jsonObject(with: Data(out.utf8))) as? [String: Any] else {
            throw .failed(command: arguments.joined(separator: " "), status: 0, message: "its output is not a JSON object")
        }
        return obj
    }

    /// The items of a list (`get pvc,job,pod -l ...`).
    public func items(_ arguments: [String], namespaced: Bool = true) throws(KubectlError) -> [[String: Any]] {
        (try json(arguments, namespaced: namespaced)["items"] as? [[String: Any]]) ?? []
    }

    /// Creates one object; returns it as the server stored it (with its uid).
    public func create(_ object: Tree) throws(KubectlError) -> [String: Any] {
        let out = try run(["create", "--validate=false", "-f", "-", "-o", "json"], input: object.json)
        guard let obj = (try? JSONSerialization.jsonObject(with: Data(out.utf8))) as? [String: Any] else {
            throw .failed(command: "create", status: 0, message: "its output is not a JSON object")
        }
        return obj
    }

    /// The current context, or a clear error when there is none.
    public func currentContext() throws(KubectlError) -> String {
        if let context { return context }
        do {
            return try run(["config", "current-context"], namespaced: false).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw .noContext("kubectl has no current context (\(error)); give --context NAME or select one with kubectl config use-context")
        }
    }

    static func classify(_ arguments: [String], status: Int32, stderr: String) -> KubectlError {
        let message = stderr.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.last ?? "no message"
        if let m = stderr.firstMatch(of: /cannot (\w+) resource "([^"]+)"(?: in API group "([^"]*)")?/) {
            let group = m.3.map(String.init) ?? ""
            let resource = group.isEmpty ? String(m.2) : "\(m.2).\(group)"
            return .forbidden(verb: String(m.1), resource: resource, message: message)
        }
        if stderr.contains("current-context is not set") {
            return .noContext("kubectl has no current context; give --context NAME or select one with kubectl config use-context")
        }
        return .failed(command: arguments.prefix(3).joined(separator: " "), status: status, message: message)
    }

    /// Runs a program, feeding `input` and reading stdout and stderr concurrently.
    static func execute(_ program: String, _ arguments: [String], input: String?) -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = arguments
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input == nil ? FileHandle.nullDevice : inp
        do { try p.run() } catch { return (127, "", "cannot run \(program): \(error.localizedDescription)") }
        if let input {
            inp.fileHandleForWriting.write(Data(input.utf8))
            try? inp.fileHandleForWriting.close()
        }
        let errBox = Box()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errBox.data, as: UTF8.self))
    }

    final class Box: @unchecked Sendable { var data = Data() }
}
