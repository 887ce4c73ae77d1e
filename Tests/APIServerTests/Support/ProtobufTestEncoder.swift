@testable import APIServer
import Foundation
import KubeAPI
import KubeCore

/// Test support: encodes JSON trees as protobuf, driven by the same schemas and layouts as the decoder,
/// the way gogo-protobuf writes the upstream types (optionally writing every empty non-pointer field, as
/// proto2 does, and optionally packing repeated scalars).
///
/// Value type; Sendable.
struct ProtobufTestEncoder: Sendable {
    /// Write zero values for absent non-pointer scalars, strings and structs (what kubectl sends).
    var writeEmptyFields = false
    /// Pack repeated varint and fixed64 fields into one length-delimited field.
    var packRepeatedScalars = false

    struct EncodingError: Error, CustomStringConvertible {
        var description: String
    }

    /// Encodes `object` as the message of the type `typeName`.
    func encode(_ object: JSONValue, typeName: String) throws -> [UInt8] {
        guard let layout = ProtobufMessageLayout.named(typeName) else {
            throw EncodingError(description: "no layout for \(typeName)")
        }
        guard case .object(let members) = object else { throw EncodingError(description: "\(typeName): not an object") }
        return try encodeMessage(members, layout: layout)
    }

    /// `k8s\0` + `runtime.Unknown` around `raw`.
    static func envelope(apiVersion: String, kind: String, raw: [UInt8]) -> [UInt8] {
        let typeMeta = PB.string(1, apiVersion) + PB.string(2, kind)
        return ProtobufEnvelope.magic + PB.bytes(1, typeMeta) + PB.bytes(2, raw) + PB.string(3, "") + PB.string(4, "")
    }

    private func encodeMessage(_ members: [String: JSONValue], layout: ProtobufMessageLayout) throws -> [UInt8] {
        var out: [UInt8] = []
        for (number, slot) in layout.slots.sorted(by: { $0.key < $1.key }) {
            switch slot {
            case .embedded(let inner):
                out += PB.bytes(number, try encodeMessage(members, layout: inner))
            case .field(let field):
                if let value = members[field.name], value != .null {
                    out += try encodeField(field.type, value, number: number)
                } else if writeEmptyFields, !field.pointer {
                    out += emptyField(field.type, number: number)
                }
            }
        }
        return out
    }

    private func emptyField(_ type: FieldType, number: Int) -> [UInt8] {
        switch type {
        case .string, .bytes: PB.string(number, "")
        case .int32, .int64, .bool: PB.varint(number, 0)
        case .double: PB.tag(number, 1) + [UInt8](repeating: 0, count: 8)
        case .quantity: PB.bytes(number, PB.string(1, "0"))
        case .intOrString: PB.bytes(number, PB.varint(1, 0) + PB.varint(2, 0) + PB.string(3, ""))
        case .time, .microTime, .json, .object: PB.bytes(number, [])
        case .array, .map: []
        }
    }

    private func encodeField(_ type: FieldType, _ value: JSONValue, number: Int) throws -> [UInt8] {
        switch (type, value) {
        case (.array(let element), .array(let elements)):
            if packRepeatedScalars, element.packableWireType != nil {
                let payload = try elements.flatMap { try scalarPayload(element, $0) }
                return PB.bytes(number, payload)
            }
            return try elements.flatMap { try encodeField(element, $0, number: number) }
        case (.map(.array(let element)), .object(let entries)):
            // map[string][]string: each value is a message repeating the elements as field 1 (ExtraValue).
            return try entries.sorted(by: { $0.key < $1.key }).flatMap { key, value in
                guard case .array(let items) = value else { throw EncodingError(description: "\(key): not a list") }
                let wrapped = try items.flatMap { try encodeField(element, $0, number: 1) }
                return PB.bytes(number, PB.string(1, key) + PB.bytes(2, wrapped))
            }
        case (.map(let valueType), .object(let entries)):
            return try entries.sorted(by: { $0.key < $1.key }).flatMap { key, value in
                PB.bytes(number, PB.string(1, key) + (try encodeField(valueType, value, number: 2)))
            }
        case (.int32, _), (.int64, _), (.bool, _), (.double, _):
            return PB.tag(number, Int(type.wireType.rawValue)) + (try scalarPayload(type, value))
        case (.string, .string(let text)):
            return PB.string(number, text)
        case (.bytes, .string(let text)):
            guard let data = Data(base64Encoded: text) else { throw EncodingError(description: "bad base64 \(text)") }
            return PB.bytes(number, Array(data))
        case (.quantity, .string(let text)):
            return PB.bytes(number, PB.string(1, text))
        case (.intOrString, .integer(let int)):
            return PB.bytes(number, PB.varint(1, 0) + PB.varint(2, int) + PB.string(3, ""))
        case (.intOrString, .string(let text)):
            return PB.bytes(number, PB.varint(1, 1) + PB.varint(2, 0) + PB.string(3, text))
        case (.time, .string(let text)):
            let time = try RFC3339Time(parsing: text)
            return PB.bytes(number, PB.varint(1, time.secondsSince1970) + PB.varint(2, 0))
        case (.microTime, .string(let text)):
            let micros = try MicroTime(parsing: text).microsecondsSince1970
            let (seconds, remainder) = micros.quotientAndRemainder(dividingBy: 1_000_000)
            return PB.bytes(number, PB.varint(1, seconds) + PB.varint(2, remainder * 1000))
        case (.json, _):
            return PB.bytes(number, PB.bytes(1, JSONValueWriter.bytes(value)))
        case (.object(let name), .object(let members)):
            guard let layout = ProtobufMessageLayout.named(name) else { throw EncodingError(description: "no \(name)") }
            return PB.bytes(number, try encodeMessage(members, layout: layout))
        default:
            throw EncodingError(description: "cannot encode \(value) as \(type)")
        }
    }

    /// The bytes of one scalar without its tag.
    private func scalarPayload(_ type: FieldType, _ value: JSONValue) throws -> [UInt8] {
        switch (type, value) {
        case (.int32, .integer(let int)), (.int64, .integer(let int)): PB.rawVarint(UInt64(bitPattern: int))
        case (.bool, .bool(let flag)): PB.rawVarint(flag ? 1 : 0)
        case (.double, .number(let number)): PB.littleEndian(number.bitPattern)
        case (.double, .integer(let int)): PB.littleEndian(Double(int).bitPattern)
        default: throw EncodingError(description: "cannot encode \(value) as \(type)")
        }
    }
}

/// Hand-assembled protobuf fields for tests.
enum PB {
    static func rawVarint(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
        return out
    }

    static func littleEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    static func tag(_ number: Int, _ wireType: Int) -> [UInt8] {
        rawVarint(UInt64(number) << 3 | UInt64(wireType))
    }

    /// A varint field (negative numbers take 10 bytes, as Go writes int32 and int64).
    static func varint(_ number: Int, _ value: Int64) -> [UInt8] {
        tag(number, 0) + rawVarint(UInt64(bitPattern: value))
    }

    static func bytes(_ number: Int, _ payload: [UInt8]) -> [UInt8] {
        tag(number, 2) + rawVarint(UInt64(payload.count)) + payload
    }

    static func string(_ number: Int, _ text: String) -> [UInt8] {
        bytes(number, Array(text.utf8))
    }

    /// An embedded message built from its fields.
    static func message(_ number: Int, _ fields: [UInt8]...) -> [UInt8] {
        bytes(number, fields.flatMap { $0 })
    }

    /// One `map<string,string>` entry.
    static func entry(_ number: Int, _ key: String, _ value: String) -> [UInt8] {
        bytes(number, string(1, key) + string(2, value))
    }

    /// Bytes from a hex string; spaces and newlines are ignored.
    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.filter(\.isHexDigit))
        return stride(from: 0, to: digits.count - 1, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
    }
}
