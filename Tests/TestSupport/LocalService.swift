import Foundation
import FoundationNetworking
import Glibc

/// The virtual environment `make test-setup` fills from PyPI (fio-plot, junitparser, selenium, prometheus-client).
public let venvPython = "/opt/tierbench-venv/bin/python"

/// Whether the venv's python can import every module named.
public func venvHas(_ modules: String...) -> Bool {
    guard access(venvPython, X_OK) == 0 else { return false }
    return (try? execute(venvPython, ["-c", "import " + modules.joined(separator: ", ")]))?.status == 0
}

/// One HTTP GET; nil when nothing answered within `timeout` seconds.
public func httpGet(_ url: String, timeout: Double = 3) -> (status: Int, body: String)? {
    nonisolated(unsafe) var out: (Int, String)?
    let done = DispatchSemaphore(value: 0)
    var request = URLRequest(url: URL(string: url)!)
    request.timeoutInterval = timeout
    URLSession.shared.dataTask(with: request) { data, response, _ in
        if let h = response as? HTTPURLResponse { out = (h.statusCode, String(decoding: data ?? Data(), as: UTF8.self)) }
        done.signal()
    }.resume()
    done.wait()
    return out
}

/// A server the test starts (Prometheus, a Pushgateway, node_exporter) on 127.0.0.1, its output
/// in a file of its scratch directory, stopped by its PID (SIGTERM, then SIGKILL) when released.
public final class LocalService {
    public let name: String
    public let port: Int
    public let scratch = Scratch()
    public let process = Process()

    public init(_ program: String, _ arguments: (Int, Scratch) -> [String], name: String) throws {
        self.name = name
        port = freePort()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments(port, scratch)
        process.currentDirectoryURL = URL(fileURLWithPath: scratch.path)
        _ = FileManager.default.createFile(atPath: scratch.file("output.log"), contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.file("output.log")))
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    public var url: String { "http://127.0.0.1:\(port)" }
    public var log: String { (try? String(contentsOfFile: scratch.file("output.log"), encoding: .utf8)) ?? "" }

    /// Polls `path` until it answers 200 (every 50 ms, at most `timeout` seconds).
    public func ready(_ path: String, timeout: Double = 20) -> Bool {
        waitUntil(timeout: timeout) { process.isRunning && httpGet(url + path, timeout: 1)?.status == 200 }
    }

    deinit {
        let pid = process.processIdentifier
        if process.isRunning {
            kill(pid, SIGTERM)
            if !waitUntil(timeout: 5, { !process.isRunning }) { kill(pid, SIGKILL) }
        }
        process.waitUntilExit()
    }
}
