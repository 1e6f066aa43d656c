import Foundation
import FoundationNetworking
import Glibc

/// The virtual environment `make test-setup` fills from PyPI (fio-plot, junitparser, selenium, prometheus-client).
let venvPython = "/opt/tierbench-venv/bin/python"

/// Whether the venv's python can import every module named.
func venvHas(_ modules: String...) -> Bool {
    guard access(venvPython, X_OK) == 0 else { return false }
    return (try? execute(venvPython, ["-c", "import " + modules.joined(separator: ", ")]))?.status == 0
}

/// Ports this test process has handed out (tests run in parallel; no two get the same one).
nonisolated(unsafe) private var portsGiven = Set<Int>()
private let portsLock = NSLock()

/// A TCP port nobody listens on at 127.0.0.1 right now (bound to port 0, read back, closed),
/// never one this process handed out before.
func freePort() -> Int {
    while true {
        let (fd, port) = boundPort()
        close(fd)
        portsLock.lock()
        let fresh = portsGiven.insert(port).inserted
        portsLock.unlock()
        if fresh && port > 0 { return port }
    }
}

/// A port held bound (not listening) until `close(fd)`: connecting to it is refused, and no one
/// else can take it meanwhile.
func boundPort() -> (fd: Int32, port: Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return (fd, Int(UInt16(bigEndian: addr.sin_port)))
}

/// One HTTP GET; nil when nothing answered within `timeout` seconds.
func httpGet(_ url: String, timeout: Double = 3) -> (status: Int, body: String)? {
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

/// Polls `check` every 50 ms until it returns true or `timeout` seconds pass.
func waitUntil(timeout: Double, _ check: () -> Bool) -> Bool {
    let end = Date().addingTimeInterval(timeout)
    while Date() < end {
        if check() { return true }
        usleep(50_000)
    }
    return check()
}

/// A server the test starts (Prometheus, a Pushgateway, node_exporter) on 127.0.0.1, its output
/// in a file of its scratch directory, stopped by its PID (SIGTERM, then SIGKILL) when released.
final class LocalService {
    let name: String
    let port: Int
    let scratch = Scratch()
    let process = Process()

    init(_ program: String, _ arguments: (Int, Scratch) -> [String], name: String) throws {
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

    var url: String { "http://127.0.0.1:\(port)" }
    var log: String { (try? String(contentsOfFile: scratch.file("output.log"), encoding: .utf8)) ?? "" }

    /// Polls `path` until it answers 200 (every 50 ms, at most `timeout` seconds).
    func ready(_ path: String, timeout: Double = 20) -> Bool {
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
