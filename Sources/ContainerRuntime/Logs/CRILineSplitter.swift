/// Cuts one output stream into CRI log messages: each newline ends a full message; a line that grows past
/// `maxLineBytes` without a newline is emitted in partial pieces of that size (containerd's 16 KiB).
///
/// A pure value type (bytes in, messages out); Sendable.
public struct CRILineSplitter: Sendable {
    /// A message without its newline, and whether it is partial.
    public struct Message: Sendable, Hashable {
        public var bytes: [UInt8]
        public var isPartial: Bool

        public init(bytes: [UInt8], isPartial: Bool) {
            self.bytes = bytes
            self.isPartial = isPartial
        }
    }

    public static let defaultMaxLineBytes = 16 * 1024

    public let maxLineBytes: Int
    private var pending: [UInt8] = []

    public init(maxLineBytes: Int = CRILineSplitter.defaultMaxLineBytes) {
        precondition(maxLineBytes > 0, "maxLineBytes must be positive, got \(maxLineBytes)")
        self.maxLineBytes = maxLineBytes
    }

    /// Feeds bytes read from the stream and returns the messages they complete.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [Message] {
        var messages: [Message] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                messages.append(Message(bytes: pending, isPartial: false))
                pending.removeAll(keepingCapacity: true)
            } else {
                pending.append(byte)
                if pending.count == maxLineBytes {
                    messages.append(Message(bytes: pending, isPartial: true))
                    pending.removeAll(keepingCapacity: true)
                }
            }
        }
        return messages
    }

    /// At end of stream: an unterminated last line becomes a full message (as containerd writes it).
    public mutating func finish() -> Message? {
        guard !pending.isEmpty else { return nil }
        defer { pending.removeAll() }
        return Message(bytes: pending, isPartial: false)
    }
}
