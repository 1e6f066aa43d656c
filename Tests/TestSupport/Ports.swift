import Foundation
import Glibc
import Synchronization

/// Ports this test process has handed out (tests run in parallel; no two get the same one).
private let portsGiven = Mutex(Set<Int>())

/// A TCP port nobody listens on at 127.0.0.1 right now (bound to port 0, read back, closed),
/// never one this process handed out before.
public func freePort() -> Int {
    while true {
        let (fd, port) = boundPort()
        close(fd)
        if port > 0 && portsGiven.withLock({ $0.insert(port).inserted }) { return port }
    }
}

/// A port held bound (not listening) until `close(fd)`: connecting to it is refused, and no one
/// else can take it meanwhile.
public func boundPort() -> (fd: Int32, port: Int) {
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
