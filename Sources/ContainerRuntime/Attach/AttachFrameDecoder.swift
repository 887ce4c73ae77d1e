/// Splits a byte stream of the attach protocol into `AttachFrame`s (sans-IO: feed it what was read, take
/// the complete frames out; a partial frame waits for more bytes).
///
/// A value type; not shared between threads (each connection's reader owns one).
public struct AttachFrameDecoder: Sendable {
    private var buffer: [UInt8] = []
    private var start = 0

    public init() {}

    /// Bytes buffered that do not form a complete frame yet.
    public var pendingByteCount: Int { buffer.count - start }

    /// Appends bytes read from the connection.
    public mutating func push(_ bytes: some Collection<UInt8>) {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 64 * 1024 && start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete frame, nil if more bytes are needed. Throws on an unknown type, a payload over
    /// `AttachFrame.maximumPayload` or a payload that does not fit its type; the connection should then be
    /// closed (the decoder stays failed at the same frame).
    public mutating func next() throws(AttachProtocolError) -> AttachFrame? {
        guard buffer.count - start >= AttachFrame.headerSize else { return nil }
        let typeByte = buffer[start]
        guard let kind = AttachFrame.Kind(rawValue: typeByte) else {
            throw AttachProtocolError("unknown frame type 0x\(String(typeByte, radix: 16))")
        }
        let length = (Int(buffer[start + 1]) << 24) | (Int(buffer[start + 2]) << 16) | (Int(buffer[start + 3]) << 8)
            | Int(buffer[start + 4])
        guard length <= AttachFrame.maximumPayload else {
            throw AttachProtocolError("frame of \(length) bytes is over the maximum of \(AttachFrame.maximumPayload)")
        }
        let payloadStart = start + AttachFrame.headerSize
        guard buffer.count - payloadStart >= length else { return nil }
        let payload = Array(buffer[payloadStart..<(payloadStart + length)])
        let frame: AttachFrame
        switch kind {
        case .open:
            guard payload.count == 1 else { throw AttachProtocolError("open frame needs 1 flag byte, got \(length)") }
            frame = .open(stdin: payload[0] & 1 != 0)
        case .stdin:
            frame = .stdin(payload)
        case .closeStdin:
            guard payload.isEmpty else { throw AttachProtocolError("closeStdin frame must be empty, got \(length) bytes") }
            frame = .closeStdin
        case .resize:
            guard payload.count == 4 else { throw AttachProtocolError("resize frame needs 4 bytes, got \(length)") }
            frame = .resize(columns: UInt16(payload[0]) << 8 | UInt16(payload[1]),
                            rows: UInt16(payload[2]) << 8 | UInt16(payload[3]))
        case .welcome:
            guard payload.count == 1 else { throw AttachProtocolError("welcome frame needs 1 flag byte, got \(length)") }
            frame = .welcome(stdinOpen: payload[0] & 1 != 0, tty: payload[0] & 2 != 0)
        case .stdout:
            frame = .stdout(payload)
        case .stderr:
            frame = .stderr(payload)
        }
        start = payloadStart + length
        return frame
    }
}
