/// Appends protobuf wire-format fields to a byte buffer, with proto3's rules for scalars: a string, bool,
/// integer or double equal to its zero value is not written. Nested messages are always written (their
/// presence is meaningful), as a length prefix and the bytes a nested writer produced.
///
/// Value type; Sendable. Use one writer from one task.
struct ProtobufWriter: Sendable {
    /// The bytes written so far.
    private(set) var bytes: [UInt8] = []

    init() {}

    /// A base-128 varint.
    mutating func appendVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// The key of field `number` with `wireType`.
    mutating func appendTag(_ number: Int, _ wireType: ProtobufWireType) {
        appendVarint(UInt64(number) << 3 | UInt64(wireType.rawValue))
    }

    /// A string field; empty strings are not written.
    mutating func string(_ number: Int, _ value: String) {
        guard !value.isEmpty else { return }
        lengthDelimited(number, Array(value.utf8))
    }

    /// One element of a repeated string field: written even when empty (its position counts).
    mutating func repeatedString(_ number: Int, _ value: String) {
        lengthDelimited(number, Array(value.utf8))
    }

    /// A bool field; false is not written.
    mutating func bool(_ number: Int, _ value: Bool) {
        guard value else { return }
        appendTag(number, .varint)
        bytes.append(1)
    }

    /// An int64 field (two's-complement varint); zero is not written.
    mutating func int64(_ number: Int, _ value: Int64) {
        guard value != 0 else { return }
        appendTag(number, .varint)
        appendVarint(UInt64(bitPattern: value))
    }

    /// A double field (fixed64, little-endian); zero is not written.
    mutating func double(_ number: Int, _ value: Double) {
        guard value != 0 else { return }
        appendTag(number, .fixed64)
        let pattern = value.bitPattern
        for index in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: pattern >> (8 * UInt64(index)))) }
    }

    /// A length-delimited field holding `payload`.
    mutating func lengthDelimited(_ number: Int, _ payload: [UInt8]) {
        appendTag(number, .lengthDelimited)
        appendVarint(UInt64(payload.count))
        bytes.append(contentsOf: payload)
    }

    /// A nested message field whose content `build` writes (written even when empty).
    mutating func message(_ number: Int, _ build: (inout ProtobufWriter) -> Void) {
        var nested = ProtobufWriter()
        build(&nested)
        lengthDelimited(number, nested.bytes)
    }
}
