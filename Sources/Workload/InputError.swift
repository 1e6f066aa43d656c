/// A mistake in what the user gave tierbench: the message names the input and the fix.
/// The CLI prints it as one line and exits with status 2.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
