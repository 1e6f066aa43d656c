/// A history or gate error a user can cause: one line naming the input (flag or file) and the fix.
public struct HistoryError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
