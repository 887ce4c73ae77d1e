import KubeCore
import KubeStorage

/// One object as the watch cache keeps it: the stored JSON bytes (without `resourceVersion`, exactly as the
/// store holds them), the mod revision, and what list and watch selection need (labels and the resource's
/// selectable field values), so serving never parses JSON.
///
/// Value type; Sendable. The byte array is shared copy-on-write between the cache state, the event ring and
/// in-flight responses, so an object is held once however many readers see it.
struct CachedObject: Sendable {
    /// The stored bytes, sized exactly.
    let value: [UInt8]
    let modRevision: Revision
    /// The index just after the `{` of the top-level `metadata` object, where `resourceVersion` is spliced
    /// in; -1 when the bytes have no such object (then the object is parsed to set it).
    let metadataStart: Int32
    /// Whether that `metadata` object is `{}` (no comma after the spliced member).
    let metadataEmpty: Bool
    /// `metadata.labels`; empty for most objects without labels (no allocation).
    let labels: [String: String]
    /// The values of the resource's selectable fields, in `ResourceCacheState.fieldNames` order.
    let fields: [String]

    /// Builds the entry from a stored value (parsed unless `parsed` is its tree already); nil when the
    /// bytes are not a JSON object.
    init?(value: [UInt8], modRevision: Revision, fieldNames: [String],
          selectableFields: @Sendable (JSONValue) -> [String: String], parsed: JSONValue? = nil) {
        guard let object = parsed ?? (try? JSONValueParser.parse(value)), case .object = object else { return nil }
        var exact: [UInt8] = []
        exact.reserveCapacity(value.count)
        exact.append(contentsOf: value)
        self.value = exact
        self.modRevision = modRevision
        self.labels = object.labels
        if fieldNames.isEmpty {
            self.fields = []
        } else {
            let all = selectableFields(object)
            self.fields = fieldNames.map { all[$0] ?? "" }
        }
        if object["metadata"]?["resourceVersion"] == nil, let (start, empty) = Self.metadataObjectStart(value) {
            metadataStart = Int32(start)
            metadataEmpty = empty
        } else {
            metadataStart = -1
            metadataEmpty = false
        }
    }

    /// Appends the object's JSON with `metadata.resourceVersion` set to `revision`.
    func write<Sink: JSONByteSink>(resourceVersion revision: Revision, into out: inout Sink) {
        guard metadataStart >= 0 else {
            if var object = try? JSONValueParser.parse(value) {
                object.set(["metadata", "resourceVersion"], .string(String(revision)))
                JSONValueWriter.bytes(object).withUnsafeBufferPointer { out.append(bytes: $0) }
            }
            return
        }
        Self.spliceResourceVersion(revision, in: value, at: Int(metadataStart), metadataEmpty: metadataEmpty, into: &out)
    }

    /// Appends `stored` with `"resourceVersion":"<revision>"` inserted at `offset`, just after the `{` of its
    /// `metadata` object (followed by a comma unless that object is empty).
    static func spliceResourceVersion<Sink: JSONByteSink>(
        _ revision: Revision, in stored: [UInt8], at offset: Int, metadataEmpty: Bool, into out: inout Sink
    ) {
        stored.withUnsafeBufferPointer { bytes in
            out.append(bytes: UnsafeBufferPointer(rebasing: bytes[..<offset]))
            resourceVersionMember.withUnsafeBufferPointer { out.append(bytes: $0) }
            var digits = String(revision)
            digits.withUTF8 { out.append(bytes: $0) }
            out.append(byte: UInt8(ascii: "\""))
            if !metadataEmpty { out.append(byte: UInt8(ascii: ",")) }
            out.append(bytes: UnsafeBufferPointer(rebasing: bytes[offset...]))
        }
    }

    /// The object as a JSON tree with `resourceVersion` set (Table output and other slow paths).
    func object(resourceVersion revision: Revision) -> JSONValue {
        var object = (try? JSONValueParser.parse(value)) ?? .object([:])
        object.set(["metadata", "resourceVersion"], .string(String(revision)))
        return object
    }

    /// Bytes held by this entry beyond its fixed size (for memory accounting in tests and logs).
    var byteCount: Int { value.count }

    private static let resourceVersionMember = Array("\"resourceVersion\":\"".utf8)

    // MARK: - Locating metadata in the stored bytes

    /// The offset just after the `{` of the top-level `"metadata"` member, and whether it is empty.
    static func metadataObjectStart(_ bytes: [UInt8]) -> (Int, Bool)? {
        var scanner = JSONSkipScanner(bytes: bytes)
        scanner.skipWhitespace()
        guard scanner.consume(UInt8(ascii: "{")) else { return nil }
        while true {
            scanner.skipWhitespace()
            guard let key = scanner.stringRange() else { return nil }
            scanner.skipWhitespace()
            guard scanner.consume(UInt8(ascii: ":")) else { return nil }
            scanner.skipWhitespace()
            if bytes[key].elementsEqual("metadata".utf8) {
                guard scanner.consume(UInt8(ascii: "{")) else { return nil }
                let start = scanner.index
                scanner.skipWhitespace()
                return (start, scanner.peek == UInt8(ascii: "}"))
            }
            guard scanner.skipValue() else { return nil }
            scanner.skipWhitespace()
            if scanner.consume(UInt8(ascii: ",")) { continue }
            return nil
        }
    }
}

/// Skips over JSON values in well-formed bytes without building them.
///
/// Value type; not shared.
private struct JSONSkipScanner {
    let bytes: [UInt8]
    var index = 0

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipWhitespace() {
        while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        index += 1
        return true
    }

    /// The range of a string's contents (between the quotes); the index ends after the closing quote.
    mutating func stringRange() -> Range<Int>? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""):
                index += 1
                return start..<(index - 1)
            default: index += 1
            }
        }
        return nil
    }

    /// Skips one value of any kind.
    mutating func skipValue() -> Bool {
        guard let first = peek else { return false }
        switch first {
        case UInt8(ascii: "\""): return stringRange() != nil
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard stringRange() != nil else { return false }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        index += 1
                        return true
                    }
                default: break
                }
                index += 1
            }
            return false
        default:
            while let byte = peek, byte != UInt8(ascii: ","), byte != UInt8(ascii: "}"), byte != UInt8(ascii: "]") {
                index += 1
            }
            return true
        }
    }
}
