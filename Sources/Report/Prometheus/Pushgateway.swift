import Foundation
import Glibc

/// Pushes an exposition to a Prometheus Pushgateway (`--push URL`): one HTTP PUT to
/// `URL/metrics/job/JOB/LABEL@base64/VALUE...`, which replaces every metric of that group, so a
/// nightly run of the same subject replaces the one before and Prometheus keeps the history.
/// Plain HTTP only, over a socket of its own (no HTTP library, nothing else linked).
public struct Pushgateway: Sendable {
    public let url: String
    public let host: String
    public let port: String
    /// The path before `/metrics` (a Pushgateway behind a path prefix), without a trailing slash.
    public let pathPrefix: String
    public static let job = "tierbench"

    /// Parses `http://HOST[:PORT][/PREFIX]`; the message names `option` and the fix.
    public init(_ url: String, option: String = "--push") throws(PushError) {
        self.url = url
        guard url.hasPrefix("http://") else {
            if url.hasPrefix("https://") { throw PushError("\(option) \(url): https is not supported; give the Pushgateway's plain http:// address (e.g. http://pushgateway:9091)") }
            throw PushError("\(option) \(url) is not an http:// URL; give the Pushgateway's address, e.g. http://pushgateway:9091")
        }
        let rest = url.dropFirst("http://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = String(rest[..<slash])
        var prefix = String(rest[slash...])
        while prefix.hasSuffix("/") { prefix.removeLast() }
        guard !authority.isEmpty, !authority.contains("@"), !prefix.contains("?"), !prefix.contains("#") else {
            throw PushError("\(option) \(url): give http://HOST[:PORT][/PATH], without user, query or fragment")
        }
        var h = authority, p = "80"
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw PushError("\(option) \(url): unclosed [ in the host") }
            h = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { p = String(after.dropFirst()) } else if !after.isEmpty { throw PushError("\(option) \(url): give http://[ADDRESS]:PORT") }
        } else if let colon = authority.lastIndex(of: ":") {
            h = String(authority[..<colon]); p = String(authority[authority.index(after: colon)...])
        }
        guard !h.isEmpty, let n = Int(p), (1...65535).contains(n) else {
            throw PushError("\(option) \(url): the port must be a number 1-65535, e.g. http://pushgateway:9091")
        }
        host = h; port = p; pathPrefix = prefix
    }

    /// The group's path: job, then each label as `NAME@base64/VALUE` (base64url, so values with
    /// slashes, such as paths, survive).
    public func path(grouping: Exposition.Labels) -> String {
        var path = "\(pathPrefix)/metrics/job/\(Self.job)"
        for (name, value) in grouping.pairs {
            let b64 = Data(value.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            path += "/\(name)@base64/\(b64)"
        }
        return path
    }

    /// PUTs `text` into the group named by `grouping`. Throws with the status and the
    /// Pushgateway's own words when it refuses, or with the socket error.
    public func push(_ text: String, grouping: Exposition.Labels, timeoutSeconds: Int = 10) throws(PushError) {
        let body = Array(text.utf8)
        let hostHeader = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let head = "PUT \(path(grouping: grouping)) HTTP/1.1\r\nHost: \(hostHeader)\r\nUser-Agent: tierbench\r\n"
            + "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let response = try exchange(Array(head.utf8) + body, timeoutSeconds: timeoutSeconds)
        let text = String(decoding: response, as: UTF8.self)
        let statusLine = text.split(separator: "\r\n", maxSplits: 1).first.map(String.init) ?? ""
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw PushError("--push \(url): the answer is not HTTP (\(statusLine.prefix(60))); give the Pushgateway's address")
        }
        guard (200..<300).contains(status) else {
            let bodyText = text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: " ")
                .split(whereSeparator: \.isNewline).joined(separator: " ").prefix(200)
            throw PushError("--push \(url): the Pushgateway answered \(status)\(bodyText.isEmpty ? "" : ": \(bodyText)")")
        }
    }

    private func exchange(_ request: [UInt8], timeoutSeconds: Int) throws(PushError) -> [UInt8] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, port, &hints, &list)
        guard rc == 0, let first = list else {
            throw PushError("--push \(url): cannot resolve \(host) (\(String(cString: gai_strerror(rc)))); give a reachable Pushgateway")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var ai: UnsafeMutablePointer<addrinfo>? = first
        while let a = ai {
            defer { ai = a.pointee.ai_next }
            let fd = socket(a.pointee.ai_family, a.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), a.pointee.ai_protocol)
            guard fd >= 0 else { lastError = String(cString: strerror(errno)); continue }
            defer { close(fd) }
            var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            guard connect(fd, a.pointee.ai_addr, a.pointee.ai_addrlen) == 0 else { lastError = String(cString: strerror(errno)); continue }
            var sent = 0
            while sent < request.count {
                let n = request.withUnsafeBytes { send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw PushError("--push \(url): sending failed (\(String(cString: strerror(errno))))") }
                sent += n
            }
            var response: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 16 << 10)
            while response.count < 1 << 20 {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
                if n < 0 && errno == EINTR { continue }
                if n < 0 { throw PushError("--push \(url): no answer (\(String(cString: strerror(errno))))") }
                if n == 0 { break }
                response += buffer[0..<n]
            }
            return response
        }
        throw PushError("--push \(url): cannot connect to \(host):\(port) (\(lastError)); start the Pushgateway or give its address")
    }
}

/// A push that could not be made: one line naming --push, the URL and what to do.
public struct PushError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
