/// One line of a CRI container log file: `<RFC 3339 time> <stdout|stderr> <F|P> <message>\n`. `P` marks
/// a partial record (a line longer than the writer's limit, or split by a rotation): the message continues
/// in the next record and carries no newline of its own.
///
/// A value type; Sendable.
public struct CRILogRecord: Sendable, Hashable {
    public enum Stream: String, Sendable, Hashable {
        case stdout, stderr
    }

    public var timestamp: CRITimestamp
    public var stream: Stream
    public var isPartial: Bool
    /// The message without the trailing newline.
    public var message: [UInt8]

    public init(timestamp: CRITimestamp, stream: Stream, isPartial: Bool, message: [UInt8]) {
        self.timestamp = timestamp
        self.stream = stream
        self.isPartial = isPartial
        self.message = message
    }

    /// The line as written to the file, including the newline.
    public func encoded() -> [UInt8] {
        var line = timestamp.formatted()
        line.reserveCapacity(line.count + message.count + 12)
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: stream.rawValue.utf8)
        line.append(UInt8(ascii: " "))
        line.append(isPartial ? UInt8(ascii: "P") : UInt8(ascii: "F"))
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: message)
        line.append(UInt8(ascii: "\n"))
        return line
    }

    /// The message as `kubectl logs` prints it: full records get their newline back.
    public var logBytes: [UInt8] {
        isPartial ? message : message + [UInt8(ascii: "\n")]
    }

    /// Parses one line (without its newline); nil for a malformed line.
    public init?(line: ArraySlice<UInt8>) {
        let space = UInt8(ascii: " ")
        guard let first = line.firstIndex(of: space),
              let timestamp = CRITimestamp(parsing: Array(line[line.startIndex..<first]))
        else { return nil }
        let afterTime = line.index(after: first)
        guard let second = line[afterTime...].firstIndex(of: space),
              let stream = Stream(rawValue: String(decoding: line[afterTime..<second], as: UTF8.self))
        else { return nil }
        let afterStream = line.index(after: second)
        // Tags are `F`/`P`, optionally with more `:`-separated fields; absent in very old files.
        var messageStart = afterStream
        var partial = false
        if let third = line[afterStream...].firstIndex(of: space) {
            let tags = line[afterStream..<third]
            if !tags.isEmpty && tags.allSatisfy({ $0 == UInt8(ascii: "F") || $0 == UInt8(ascii: "P") || $0 == UInt8(ascii: ":") }) {
                partial = tags.first == UInt8(ascii: "P")
                messageStart = line.index(after: third)
            }
        } else if line[afterStream...].elementsEqual("F".utf8) || line[afterStream...].elementsEqual("P".utf8) {
            partial = line[afterStream] == UInt8(ascii: "P")
            messageStart = line.endIndex
        }
        self.init(timestamp: timestamp, stream: stream, isPartial: partial, message: Array(line[messageStart...]))
    }
}
