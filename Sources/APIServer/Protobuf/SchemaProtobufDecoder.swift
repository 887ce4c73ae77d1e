import Foundation
import KubeAPI
import KubeCore

/// Decodes a protobuf message (upstream `generated.proto` numbering) into the JSON tree the JSON path
/// would have produced, driven by ``TypeSchema``s from ``APIRegistry`` (via ``ProtobufMessageLayout``).
///
/// Proto2 as gogo-protobuf writes it: every non-pointer field is sent, even when empty; the decoder drops
/// values Go's `omitempty` would drop (empty strings, 0, false, empty lists and maps, zero times) unless the
/// field is a pointer or has no `omitempty`. Non-pointer structs are kept (Go never omits them). Maps are
/// repeated `{1: key, 2: value}` entries; a list value (`map[string][]string`, Go `ExtraValue`) is a
/// message whose field 1 repeats the elements. Repeated scalars may be packed or not. Unknown fields are
/// skipped and counted in ``unknownFieldCount``.
///
/// Value type; Sendable. `decode` mutates only the counter, so use one decoder per body.
struct SchemaProtobufDecoder: Sendable {
    /// How deeply messages may nest.
    static let maximumDepth = 100

    /// Fields skipped because the schema does not know their number.
    private(set) var unknownFieldCount = 0

    init() {}

    /// Decodes `bytes` as the message of the type called `typeName`.
    mutating func decode(_ bytes: [UInt8], typeName: String) throws(ProtobufDecodingError) -> JSONValue {
        guard let layout = ProtobufMessageLayout.named(typeName) else {
            throw .unsupportedSchema("no type named \(typeName)")
        }
        var reader = ProtobufReader(bytes)
        return try decodeMessage(&reader, layout: layout, depth: 0)
    }

    /// Decodes `bytes` as a message of `schema`.
    mutating func decode(_ bytes: [UInt8], schema: TypeSchema) throws(ProtobufDecodingError) -> JSONValue {
        var reader = ProtobufReader(bytes)
        return try decodeMessage(&reader, layout: ProtobufMessageLayout(schema: schema), depth: 0)
    }

    // MARK: Messages

    /// Values collected while reading one message (embedded messages write into their parent's state).
    private struct MessageState {
        var values: [String: JSONValue] = [:]
        var lists: [String: [JSONValue]] = [:]
        var maps: [String: [String: JSONValue]] = [:]
    }

    private mutating func decodeMessage(_ reader: inout ProtobufReader, layout: ProtobufMessageLayout, depth: Int)
        throws(ProtobufDecodingError) -> JSONValue
    {
        guard depth < Self.maximumDepth else { throw .nestingTooDeep(limit: Self.maximumDepth) }
        var state = MessageState()
        try readFields(&reader, layout: layout, into: &state, depth: depth)
        var object: [String: JSONValue] = [:]
        for field in layout.fields {
            switch field.type {
            case .array:
                if let list = state.lists[field.name], !list.isEmpty { object[field.name] = .array(list) }
            case .map:
                if let map = state.maps[field.name], !map.isEmpty { object[field.name] = .object(map) }
            default:
                guard let value = state.values[field.name], value != .null else { continue }
                if field.pointer || field.always || !Self.isGoEmpty(value, type: field.type) {
                    object[field.name] = value
                }
            }
        }
        return .object(object)
    }

    private mutating func readFields(
        _ reader: inout ProtobufReader, layout: ProtobufMessageLayout, into state: inout MessageState, depth: Int
    ) throws(ProtobufDecodingError) {
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            switch layout.slots[tag.field] {
            case nil:
                try reader.skipValue(wireType: tag.wireType, field: tag.field)
                unknownFieldCount += 1
            case .embedded(let inner):
                try Self.expect(tag.wireType, .lengthDelimited, field: layout.typeName + ".(inline)")
                guard depth + 1 < Self.maximumDepth else { throw .nestingTooDeep(limit: Self.maximumDepth) }
                var nested = try reader.readMessage()
                try readFields(&nested, layout: inner, into: &state, depth: depth + 1)
            case .field(let field):
                try readField(field, wireType: tag.wireType, reader: &reader, into: &state, depth: depth,
                              owner: layout.typeName)
            }
        }
    }

    private mutating func readField(
        _ field: FieldSchema, wireType: ProtobufWireType, reader: inout ProtobufReader,
        into state: inout MessageState, depth: Int, owner: String
    ) throws(ProtobufDecodingError) {
        let path = owner + "." + field.name
        switch field.type {
        case .array(let element):
            if wireType == .lengthDelimited, let scalarWireType = element.packableWireType {
                var packed = try reader.readMessage()
                while !packed.isAtEnd {
                    let value = try readValue(element, wireType: scalarWireType, reader: &packed, depth: depth, path: path)
                    state.lists[field.name, default: []].append(value)
                }
            } else {
                let value = try readValue(element, wireType: wireType, reader: &reader, depth: depth, path: path)
                state.lists[field.name, default: []].append(value)
            }
        case .map(let valueType):
            try Self.expect(wireType, .lengthDelimited, field: path)
            var entry = try reader.readMessage()
            var key = ""
            var value: JSONValue?
            while !entry.isAtEnd {
                let tag = try entry.readTag()
                switch tag.field {
                case 1:
                    try Self.expect(tag.wireType, .lengthDelimited, field: path + "{key}")
                    key = try entry.readString()
                case 2:
                    if case .array(let element) = valueType {
                        try Self.expect(tag.wireType, .lengthDelimited, field: path)
                        var wrapper = try entry.readMessage()
                        value = .array(try readWrappedList(element, reader: &wrapper, depth: depth, path: path))
                    } else {
                        value = try readValue(valueType, wireType: tag.wireType, reader: &entry, depth: depth, path: path)
                    }
                default:
                    try entry.skipValue(wireType: tag.wireType, field: tag.field)
                    unknownFieldCount += 1
                }
            }
            if value == nil { value = try Self.zeroValue(valueType, path: path) }
            state.maps[field.name, default: [:]][key] = value
        default:
            state.values[field.name] = try readValue(field.type, wireType: wireType, reader: &reader, depth: depth,
                                                     path: path)
        }
    }

    /// The elements of a list wrapped in a message (`ExtraValue { repeated string items = 1; }`); other
    /// fields of the wrapper are skipped.
    private mutating func readWrappedList(
        _ element: FieldType, reader: inout ProtobufReader, depth: Int, path: String
    ) throws(ProtobufDecodingError) -> [JSONValue] {
        var items: [JSONValue] = []
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            guard tag.field == 1 else {
                try reader.skipValue(wireType: tag.wireType, field: tag.field)
                unknownFieldCount += 1
                continue
            }
            if tag.wireType == .lengthDelimited, let scalarWireType = element.packableWireType {
                var packed = try reader.readMessage()
                while !packed.isAtEnd {
                    items.append(try readValue(element, wireType: scalarWireType, reader: &packed, depth: depth, path: path))
                }
            } else {
                items.append(try readValue(element, wireType: tag.wireType, reader: &reader, depth: depth, path: path))
            }
        }
        return items
    }

    // MARK: Values

    private mutating func readValue(
        _ type: FieldType, wireType: ProtobufWireType, reader: inout ProtobufReader, depth: Int, path: String
    ) throws(ProtobufDecodingError) -> JSONValue {
        try Self.expect(wireType, type.wireType, field: path)
        switch type {
        case .string:
            return .string(try reader.readString())
        case .bytes:
            return .string(Data(try reader.readBytes()).base64EncodedString())
        case .int32:
            return .integer(Int64(Int32(truncatingIfNeeded: try reader.readVarint())))
        case .int64:
            return .integer(Int64(bitPattern: try reader.readVarint()))
        case .bool:
            return .bool(try reader.readVarint() != 0)
        case .double:
            return .number(Double(bitPattern: try reader.readFixed64()))
        case .quantity, .intOrString, .time, .microTime, .json:
            var nested = try reader.readMessage()
            return try ProtobufWellKnownTypes.decode(type, from: &nested, path: path)
        case .object(let name):
            guard let layout = ProtobufMessageLayout.named(name) else {
                throw .unsupportedSchema("\(path) refers to unknown type \(name)")
            }
            var nested = try reader.readMessage()
            return try decodeMessage(&nested, layout: layout, depth: depth + 1)
        case .array, .map:
            throw .unsupportedSchema("\(path) is a list or map nested in a list or map")
        }
    }

    /// The value of a map entry that carries no value field.
    private static func zeroValue(_ type: FieldType, path: String) throws(ProtobufDecodingError) -> JSONValue {
        switch type {
        case .string, .bytes: return .string("")
        case .int32, .int64: return .integer(0)
        case .bool: return .bool(false)
        case .double: return .number(0)
        case .quantity: return .string("0")
        case .intOrString: return .integer(0)
        case .time, .microTime, .json: return .null
        case .object: return .object([:])
        case .array: return .array([])
        case .map: throw .unsupportedSchema("\(path) is a map nested in a map")
        }
    }

    /// Whether Go's `omitempty` drops `value` (structs, quantities and `null` are handled by the caller).
    private static func isGoEmpty(_ value: JSONValue, type: FieldType) -> Bool {
        switch (type, value) {
        case (.string, .string(let text)), (.bytes, .string(let text)): text.isEmpty
        case (.int32, .integer(let number)), (.int64, .integer(let number)): number == 0
        case (.bool, .bool(let flag)): !flag
        case (.double, .number(let number)): number == 0
        case (.intOrString, .integer(let number)): number == 0
        case (.intOrString, .string(let text)): text.isEmpty
        default: false
        }
    }

    private static func expect(_ actual: ProtobufWireType, _ expected: ProtobufWireType, field: String)
        throws(ProtobufDecodingError)
    {
        if actual != expected { throw .wrongWireType(field: field, expected: expected, actual: actual) }
    }
}

extension FieldType {
    /// The wire type a single value of this type is encoded with.
    var wireType: ProtobufWireType {
        switch self {
        case .int32, .int64, .bool: .varint
        case .double: .fixed64
        case .string, .bytes, .quantity, .intOrString, .time, .microTime, .json, .object, .array, .map: .lengthDelimited
        }
    }

    /// The wire type of the elements when a repeated field of this type may be packed; nil otherwise.
    var packableWireType: ProtobufWireType? {
        switch wireType {
        case .varint, .fixed64, .fixed32: wireType
        default: nil
        }
    }
}
