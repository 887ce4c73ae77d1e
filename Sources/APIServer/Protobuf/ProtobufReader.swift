/// The protobuf wire types (the low three bits of a tag).
enum ProtobufWireType: UInt8, Sendable, CustomStringConvertible {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case startGroup = 3
    case endGroup = 4
    case fixed32 = 5

    var description: String {
        switch self {
        case .varint: "varint"
        case .fixed64: "fixed64"
        case .lengthDelimited: "length-delimited"
        case .startGroup: "start-group"
        case .endGroup: "end-group"
        case .fixed32: "fixed32"
        }
    }
}

/// A sans-IO cursor over protobuf wire-format bytes: tags, varints, fixed-width values and
/// length-delimited payloads, with bounds checks that throw ``ProtobufDecodingError`` (never trap).
///
/// Value type; Sendable. A reader for a nested message shares the parent's buffer (no copy) and is
/// bounded by the nested message's range. Use one reader from one task.
struct ProtobufReader: Sendable {
    /// Largest field number protobuf allows (2^29 - 1).
    static let maximumFieldNumber: UInt64 = (1 << 29) - 1
    /// How deeply unknown groups may nest before skipping gives up.
    static let maximumGroupDepth = 64

    let buffer: [UInt8]
    /// The next byte to read.
    private(set) var position: Int
    /// One past the last byte this reader may read.
    let end: Int

    init(_ buffer: [UInt8]) {
        self.buffer = buffer
        self.position = buffer.startIndex
        self.end = buffer.endIndex
    }

    /// A reader over `range` of `buffer`; `range` must lie within the buffer (readers only create
    /// such ranges after checking them).
    private init(buffer: [UInt8], range: Range<Int>) {
        self.buffer = buffer
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    var isAtEnd: Bool { position >= end }

    /// Reads a base-128 varint. Like gogo-protobuf, bits beyond 64 in the tenth byte are dropped and an
    /// eleventh byte is an error.
    mutating func readVarint() throws(ProtobufDecodingError) -> UInt64 {
        let start = position
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard shift < 64 else { throw .varintOverflow(offset: start) }
            guard position < end else { throw .truncated(offset: start) }
            let byte = buffer[position]
            position += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    /// Reads a tag: the field number (1 ... 2^29 - 1) and the wire type.
    mutating func readTag() throws(ProtobufDecodingError) -> (field: Int, wireType: ProtobufWireType) {
        let start = position
        let key = try readVarint()
        let number = key >> 3
        guard number > 0, number <= Self.maximumFieldNumber else {
            throw .invalidFieldNumber(number, offset: start)
        }
        guard let wireType = ProtobufWireType(rawValue: UInt8(key & 7)) else {
            throw .invalidWireType(UInt8(key & 7), offset: start)
        }
        return (Int(number), wireType)
    }

    /// Reads 8 little-endian bytes.
    mutating func readFixed64() throws(ProtobufDecodingError) -> UInt64 {
        guard end - position >= 8 else { throw .truncated(offset: position) }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(buffer[position + index]) << (8 * UInt64(index)) }
        position += 8
        return value
    }

    /// Reads 4 little-endian bytes.
    mutating func readFixed32() throws(ProtobufDecodingError) -> UInt32 {
        guard end - position >= 4 else { throw .truncated(offset: position) }
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(buffer[position + index]) << (8 * UInt32(index)) }
        position += 4
        return value
    }

    /// Reads a length prefix and returns the range of the payload, which it skips.
    mutating func readLengthDelimitedRange() throws(ProtobufDecodingError) -> Range<Int> {
        let start = position
        let length = try readVarint()
        guard length <= UInt64(end - position) else { throw .truncated(offset: start) }
        let range = position..<(position + Int(length))
        position = range.upperBound
        return range
    }

    /// Reads a length-delimited payload as a reader of its own (sharing this buffer).
    mutating func readMessage() throws(ProtobufDecodingError) -> ProtobufReader {
        ProtobufReader(buffer: buffer, range: try readLengthDelimitedRange())
    }

    /// Reads a length-delimited payload as bytes.
    mutating func readBytes() throws(ProtobufDecodingError) -> [UInt8] {
        Array(buffer[try readLengthDelimitedRange()])
    }

    /// Reads a length-delimited payload as a string. Invalid UTF-8 becomes U+FFFD, as Go's JSON encoder
    /// would write it.
    mutating func readString() throws(ProtobufDecodingError) -> String {
        String(decoding: buffer[try readLengthDelimitedRange()], as: UTF8.self)
    }

    /// Skips the value of a field whose tag was just read (unknown fields), including whole groups.
    mutating func skipValue(wireType: ProtobufWireType, field: Int) throws(ProtobufDecodingError) {
        try skipValue(wireType: wireType, field: field, depth: 0)
    }

    private mutating func skipValue(wireType: ProtobufWireType, field: Int, depth: Int)
        throws(ProtobufDecodingError)
    {
        switch wireType {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .fixed32: _ = try readFixed32()
        case .lengthDelimited: _ = try readLengthDelimitedRange()
        case .endGroup: throw .unexpectedEndGroup(offset: position)
        case .startGroup:
            guard depth < Self.maximumGroupDepth else { throw .nestingTooDeep(limit: Self.maximumGroupDepth) }
            while true {
                guard !isAtEnd else { throw .truncated(offset: position) }
                let tag = try readTag()
                if tag.wireType == .endGroup {
                    guard tag.field == field else { throw .unexpectedEndGroup(offset: position) }
                    return
                }
                try skipValue(wireType: tag.wireType, field: tag.field, depth: depth + 1)
            }
        }
    }
}
