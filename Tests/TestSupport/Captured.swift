import Synchronization

/// A value a cue's action hands to the test (the action runs on the thread reading stderr).
public final class Captured<Value: Sendable>: Sendable {
    private let slot = Mutex<Value?>(nil)
    public init() {}
    public var value: Value? {
        get { slot.withLock { $0 } }
        set { slot.withLock { $0 = newValue } }
    }
}
