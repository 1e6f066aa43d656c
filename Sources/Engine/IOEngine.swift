/// The seam between the harness's I/O loop and the kernel, after fio's `ioengine_ops`:
/// queue I/Os into slots, submit them, reap completions. Implementations own their buffers
/// (one per slot) and allocate nothing per I/O.
public protocol IOEngine: ~Copyable {
    /// The most I/Os this engine holds in flight (1 for synchronous engines).
    var maxInFlight: Int { get }
    /// The slot buffers (index = slot).
    var buffers: AlignedBuffers { get }
    /// What the engine is and how it was set up, for the results.
    var description: EngineDescription { get }

    /// Queues one I/O on `slot` to the engine's file `file` (an index in the descriptors it was
    /// made with), using `length` bytes of the slot's buffer from `bufferOffset`.
    /// Returns false when the engine has no room now (e.g. the SQ is full): submit and reap first.
    mutating func queue(slot: Int, file: Int, write: Bool, offset: UInt64, length: Int, bufferOffset: Int) -> Bool

    /// Queues an fsync of the engine's file `file` on `slot` (an fdatasync when `dataOnly`); it
    /// completes like an I/O, with 0 or -errno. Returns false when the engine has no room now.
    mutating func queueSync(slot: Int, file: Int, dataOnly: Bool) -> Bool

    /// Hands everything queued to the kernel without waiting; I/Os the kernel finishes on the
    /// spot become ready completions. The harness reads the clock after this: "submitted".
    /// - Throws: `EngineError` when the kernel refuses the submission itself (not an I/O error:
    ///   those arrive as completions with a negative result).
    mutating func submit() throws(EngineError)

    /// Copies ready completions into `into`, first waiting up to `timeoutNanoseconds` for at
    /// least `waitFor` of them (0: do not wait). Returns how many were copied (0 on timeout).
    mutating func reap(waitFor: Int, timeoutNanoseconds: UInt64, into: UnsafeMutableBufferPointer<Completion>) throws(EngineError) -> Int
}

extension IOEngine where Self: ~Copyable {
    /// Queues one I/O to the engine's first (or only) file.
    public mutating func queue(slot: Int, write: Bool, offset: UInt64, length: Int, bufferOffset: Int) -> Bool {
        queue(slot: slot, file: 0, write: write, offset: offset, length: length, bufferOffset: bufferOffset)
    }

    /// Queues a sync of the engine's first (or only) file.
    public mutating func queueSync(slot: Int, dataOnly: Bool) -> Bool { queueSync(slot: slot, file: 0, dataOnly: dataOnly) }
}

/// One finished I/O: its slot and the kernel's result (bytes, or -errno).
public struct Completion: Sendable {
    public var slot: Int32
    public var result: Int32
    public init(slot: Int32 = 0, result: Int32 = 0) { self.slot = slot; self.result = result }
}

/// The engine actually used and its options, as reported with every result.
public struct EngineDescription: Codable, Sendable, Equatable {
    /// `io_uring` or `psync`.
    public var name: String
    public var registeredBuffers: Bool
    public var registeredFile: Bool
    /// io_uring set-up flags the kernel accepted (e.g. "SINGLE_ISSUER|DEFER_TASKRUN").
    public var ringFlags: String?
    /// Why this engine: the default, the option that asked for it, or the fallback's cause.
    public var reason: String
    /// What else is worth saying about its options (a registration refused, and why).
    public var notes: [String]

    public init(name: String, registeredBuffers: Bool = false, registeredFile: Bool = false, ringFlags: String? = nil,
                reason: String = "", notes: [String] = []) {
        self.name = name; self.registeredBuffers = registeredBuffers
        self.registeredFile = registeredFile; self.ringFlags = ringFlags; self.reason = reason; self.notes = notes
    }
}

/// A failure of the engine itself (setup or submission), as opposed to an I/O error.
public struct EngineError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let errno: Errno?
    public init(_ message: String, errno: Errno? = nil) { self.message = message; self.errno = errno }
    public var description: String { message }
}
