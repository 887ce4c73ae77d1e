/// One message of the attach protocol spoken on a container shim's `attach.sock` (a Unix stream socket in the
/// container's state directory) between an attach client (`ContainerAttachSession`, in the node agent) and
/// the shim that owns the container's stdio.
///
/// Wire format: every frame is `type` (1 byte), `length` (4 bytes, big-endian) and `length` payload bytes
/// (at most `maximumPayload`).
///
/// | type | direction       | frame        | payload                                              |
/// |------|-----------------|--------------|------------------------------------------------------|
/// | 0x01 | client → shim   | `open`       | 1 byte flags: bit 0 = the client sends stdin         |
/// | 0x02 | client → shim   | `stdin`      | bytes for the container's stdin (or terminal)        |
/// | 0x03 | client → shim   | `closeStdin` | empty: the client's stdin reached end of file        |
/// | 0x04 | client → shim   | `resize`     | columns, rows (2 bytes each, big-endian)             |
/// | 0x81 | shim → client   | `welcome`    | 1 byte flags: bit 0 = stdin open, bit 1 = terminal   |
/// | 0x82 | shim → client   | `stdout`     | output bytes (all output with a terminal)            |
/// | 0x83 | shim → client   | `stderr`     | error output bytes                                   |
///
/// A session: the client connects and sends `open` first; the shim answers `welcome`, and from then on
/// every byte the container writes reaches the client (output written before `welcome` is only in the
/// log). The shim ends the session by shutting down its side of the connection after the last output
/// frame: when the container's output ended (it exited), when the client's stdin ended and the container is
/// not `stdinOnce`, or when the client fell too far behind (the container is never blocked by a client).
/// The client ends it by closing the connection. With `stdinOnce`, the container's stdin is closed when the
/// first client that sent stdin ends its stdin or goes away.
///
/// A value type; Sendable.
public enum AttachFrame: Sendable, Hashable {
    case open(stdin: Bool)
    case stdin([UInt8])
    case closeStdin
    case resize(columns: UInt16, rows: UInt16)
    case welcome(stdinOpen: Bool, tty: Bool)
    case stdout([UInt8])
    case stderr([UInt8])

    /// The largest payload a frame may carry (bigger writes are split by the encoder's callers).
    public static let maximumPayload = 1 << 20
    /// type + length.
    public static let headerSize = 5

    enum Kind: UInt8 {
        case open = 0x01
        case stdin = 0x02
        case closeStdin = 0x03
        case resize = 0x04
        case welcome = 0x81
        case stdout = 0x82
        case stderr = 0x83
    }

    /// The frame's bytes on the wire. Payloads over `maximumPayload` must be split first (see `frames`).
    public var encoded: [UInt8] {
        let (kind, payload): (Kind, [UInt8]) = switch self {
        case .open(let stdin): (.open, [stdin ? 1 : 0])
        case .stdin(let bytes): (.stdin, bytes)
        case .closeStdin: (.closeStdin, [])
        case .resize(let columns, let rows):
            (.resize, [UInt8(columns >> 8), UInt8(columns & 0xff), UInt8(rows >> 8), UInt8(rows & 0xff)])
        case .welcome(let stdinOpen, let tty): (.welcome, [(stdinOpen ? 1 : 0) | (tty ? 2 : 0)])
        case .stdout(let bytes): (.stdout, bytes)
        case .stderr(let bytes): (.stderr, bytes)
        }
        precondition(payload.count <= Self.maximumPayload, "attach frame payload over the maximum; split it first")
        let length = UInt32(payload.count)
        var bytes: [UInt8] = [kind.rawValue, UInt8(length >> 24), UInt8((length >> 16) & 0xff),
                              UInt8((length >> 8) & 0xff), UInt8(length & 0xff)]
        bytes.append(contentsOf: payload)
        return bytes
    }

    /// `bytes` as stdin, stdout or stderr frames of at most `maximumPayload` each, encoded back to back.
    public static func encodedData(_ bytes: some Collection<UInt8>, as make: ([UInt8]) -> AttachFrame) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + headerSize)
        var rest = bytes[...]
        repeat {
            let chunk = rest.prefix(maximumPayload)
            result.append(contentsOf: make(Array(chunk)).encoded)
            rest = rest.dropFirst(chunk.count)
        } while !rest.isEmpty
        return result
    }
}

/// A violation of the attach protocol (unknown frame type, oversized or malformed payload).
///
/// A value type; Sendable.
public struct AttachProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { "attach protocol error: \(reason)" }
}
