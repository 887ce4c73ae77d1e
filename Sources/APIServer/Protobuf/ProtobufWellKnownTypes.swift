import KubeAPI
import KubeCore

/// The apimachinery types with a custom wire form, decoded to their JSON form:
/// `Quantity {1: string}`, `IntOrString {1: type (0 int, 1 string), 2: intVal, 3: strVal}`,
/// `Time` / `MicroTime` `{1: seconds, 2: nanos}` (an empty message is the zero time, JSON `null`) and
/// `RawExtension` / `FieldsV1` `{1: raw JSON bytes}`. Unknown fields inside them are skipped.
///
/// Stateless; Sendable.
enum ProtobufWellKnownTypes {
    /// Seconds of 0001-01-01T00:00:00Z (Go's zero time) and of 9999-12-31T23:59:59Z.
    static let zeroTimeSeconds: Int64 = -62_135_596_800
    static let lastSecondOfYear9999: Int64 = 253_402_300_799

    /// Decodes the message in `reader` as `type` (one of the types above).
    static func decode(_ type: FieldType, from reader: inout ProtobufReader, path: String)
        throws(ProtobufDecodingError) -> JSONValue
    {
        switch type {
        case .quantity:
            let text = try readString(field: 1, from: &reader, path: path)
            return .string(text.isEmpty ? "0" : text)
        case .intOrString:
            return try decodeIntOrString(from: &reader, path: path)
        case .time, .microTime:
            return try decodeTime(from: &reader, micro: type == .microTime, path: path)
        case .json:
            let raw = try readRaw(from: &reader, path: path)
            if raw.isEmpty { return .null }
            do {
                return try JSONValueParser.parse(raw)
            } catch {
                throw .invalidJSON(field: path, reason: "\(error)")
            }
        default:
            throw .unsupportedSchema("\(path): \(type) is not a well-known type")
        }
    }

    private static func decodeIntOrString(from reader: inout ProtobufReader, path: String)
        throws(ProtobufDecodingError) -> JSONValue
    {
        var kind: UInt64 = 0
        var intValue: Int32 = 0
        var stringValue = ""
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            switch (tag.field, tag.wireType) {
            case (1, .varint): kind = try reader.readVarint()
            case (2, .varint): intValue = Int32(truncatingIfNeeded: try reader.readVarint())
            case (3, .lengthDelimited): stringValue = try reader.readString()
            case (1, _), (2, _):
                throw .wrongWireType(field: path, expected: .varint, actual: tag.wireType)
            case (3, _):
                throw .wrongWireType(field: path, expected: .lengthDelimited, actual: tag.wireType)
            default: try reader.skipValue(wireType: tag.wireType, field: tag.field)
            }
        }
        return kind == 1 ? .string(stringValue) : .integer(Int64(intValue))
    }

    private static func decodeTime(from reader: inout ProtobufReader, micro: Bool, path: String)
        throws(ProtobufDecodingError) -> JSONValue
    {
        if reader.isAtEnd { return .null }
        var seconds: Int64 = 0
        var nanos: Int32 = 0
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            switch (tag.field, tag.wireType) {
            case (1, .varint): seconds = Int64(bitPattern: try reader.readVarint())
            case (2, .varint): nanos = Int32(truncatingIfNeeded: try reader.readVarint())
            case (1, _), (2, _): throw .wrongWireType(field: path, expected: .varint, actual: tag.wireType)
            default: try reader.skipValue(wireType: tag.wireType, field: tag.field)
            }
        }
        let range = zeroTimeSeconds...lastSecondOfYear9999
        // Time drops the fraction on decode (upstream Time.Unmarshal); MicroTime keeps microseconds.
        guard micro else {
            guard range.contains(seconds) else { throw .timeOutOfRange(field: path, seconds: seconds) }
            return seconds == zeroTimeSeconds ? .null : .string(RFC3339Time(secondsSince1970: seconds).description)
        }
        // Go normalises nanos outside [0, 1e9) into the seconds (time.Unix).
        var (carry, nanoseconds) = Int64(nanos).quotientAndRemainder(dividingBy: 1_000_000_000)
        if nanoseconds < 0 {
            nanoseconds += 1_000_000_000
            carry -= 1
        }
        let (total, overflow) = seconds.addingReportingOverflow(carry)
        guard !overflow, range.contains(total) else { throw .timeOutOfRange(field: path, seconds: seconds) }
        let micros = total * 1_000_000 + nanoseconds / 1000
        if micros == zeroTimeSeconds * 1_000_000 { return .null }
        return .string(MicroTime(microsecondsSince1970: micros).description)
    }

    /// Field 1 of a message as a string (Quantity).
    private static func readString(field number: Int, from reader: inout ProtobufReader, path: String)
        throws(ProtobufDecodingError) -> String
    {
        var text = ""
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            if tag.field == number {
                guard tag.wireType == .lengthDelimited else {
                    throw .wrongWireType(field: path, expected: .lengthDelimited, actual: tag.wireType)
                }
                text = try reader.readString()
            } else {
                try reader.skipValue(wireType: tag.wireType, field: tag.field)
            }
        }
        return text
    }

    /// Field 1 of a `RawExtension` / `FieldsV1` message: the raw JSON bytes.
    private static func readRaw(from reader: inout ProtobufReader, path: String) throws(ProtobufDecodingError)
        -> [UInt8]
    {
        var raw: [UInt8] = []
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            if tag.field == 1 {
                guard tag.wireType == .lengthDelimited else {
                    throw .wrongWireType(field: path, expected: .lengthDelimited, actual: tag.wireType)
                }
                raw = try reader.readBytes()
            } else {
                try reader.skipValue(wireType: tag.wireType, field: tag.field)
            }
        }
        return raw
    }
}
