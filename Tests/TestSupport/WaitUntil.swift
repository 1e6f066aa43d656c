import Foundation
import Glibc

/// Polls `check` every 50 ms until it returns true or `timeout` seconds pass.
public func waitUntil(timeout: Double, _ check: () -> Bool) -> Bool {
    let end = Date().addingTimeInterval(timeout)
    while Date() < end {
        if check() { return true }
        usleep(50_000)
    }
    return check()
}
