/// Why a protobuf request body could not be decoded. Every case becomes a 400
/// (`error decoding protobuf body: <description>`); none is a programming error.
///
/// Value type; Sendable. Offsets are byte offsets into the buffer being read (the envelope, or the
/// object's `raw` bytes).
enum ProtobufDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The body does not start with the 4-byte magic `k8s\0`.
    case missingMagic
    /// The input ended inside a tag, a varint, a fixed-width value or a length-delimited field.
    case truncated(offset: Int)
    /// A varint longer than 10 bytes.
    case varintOverflow(offset: Int)
    /// Field number 0 or above 2^29 - 1.
    case invalidFieldNumber(UInt64, offset: Int)
    /// Wire type 6 or 7.
    case invalidWireType(UInt8, offset: Int)
    /// An end-group tag with no matching start-group tag.
    case unexpectedEndGroup(offset: Int)
    /// A known field arrived with a wire type its schema type cannot have.
    case wrongWireType(field: String, expected: ProtobufWireType, actual: ProtobufWireType)
    /// Messages or groups nested deeper than the decoder allows.
    case nestingTooDeep(limit: Int)
    /// A `RawExtension` / `FieldsV1` payload that is not JSON.
    case invalidJSON(field: String, reason: String)
    /// A `Time` / `MicroTime` outside the years 0000-9999 (Go's JSON encoding rejects those too).
    case timeOutOfRange(field: String, seconds: Int64)
    /// `runtime.Unknown.contentEncoding` is set (upstream never sends one for request bodies).
    case unsupportedContentEncoding(String)
    /// A schema names a type the registry does not know, or a field type protobuf cannot carry.
    case unsupportedSchema(String)

    var description: String {
        switch self {
        case .missingMagic:
            "the body does not start with the protobuf magic \"k8s\\x00\""
        case .truncated(let offset):
            "unexpected end of input at byte \(offset)"
        case .varintOverflow(let offset):
            "varint at byte \(offset) is longer than 10 bytes"
        case .invalidFieldNumber(let number, let offset):
            "invalid field number \(number) at byte \(offset)"
        case .invalidWireType(let wireType, let offset):
            "invalid wire type \(wireType) at byte \(offset)"
        case .unexpectedEndGroup(let offset):
            "unexpected end-group tag at byte \(offset)"
        case .wrongWireType(let field, let expected, let actual):
            "field \(field): wrong wire type \(actual) (expected \(expected))"
        case .nestingTooDeep(let limit):
            "messages nested deeper than \(limit) levels"
        case .invalidJSON(let field, let reason):
            "field \(field): embedded JSON is invalid: \(reason)"
        case .timeOutOfRange(let field, let seconds):
            "field \(field): time \(seconds)s since 1970 is outside the years 0000-9999"
        case .unsupportedContentEncoding(let encoding):
            "unsupported contentEncoding \"\(encoding)\""
        case .unsupportedSchema(let detail):
            "unsupported schema: \(detail)"
        }
    }
}
