/// Serialises a `JSONValue` to compact JSON bytes, Go-style: `<`, `>` and `&` are escaped as `\u003c` etc.
/// (as `encoding/json` does), object keys are written with `apiVersion`, `kind`, `metadata`, `spec`,
/// `status` first and the rest sorted, so output is deterministic and reads like the API server's.
///
/// Value type; Sendable; pure.
public enum JSONValueWriter {
    /// Written first, in this order (`leadingRank(_:)` spells the same list out).
    static let leadingKeys = ["apiVersion", "kind", "metadata", "spec", "status"]

    /// The compact JSON text of `value`.
    public static func bytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(value, into: &out)
        return out
    }

    /// Appends the compact JSON text of `value` to `out`.
    public static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case .bool(let flag):
            if flag { out.append(contentsOf: [0x74, 0x72, 0x75, 0x65]) } else { out.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65]) }
        case .integer(let number): writeInteger(number, into: &out)
        case .number(let number): writeDouble(number, into: &out)
        case .string(let text): writeString(text, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            var first = true
            for index in orderedIndices(members) {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                let member = members[index]
                writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// The positions of the members in writing order: the leading keys present, in their order, then the
    /// rest sorted. Sorting positions rather than members moves no reference-counted values.
    private static func orderedIndices(_ members: [String: JSONValue]) -> [Dictionary<String, JSONValue>.Index] {
        var order = Array(members.indices)
        guard order.count > 1 else { return order }
        order.sort { left, right in
            let leftKey = members[left].key
            let rightKey = members[right].key
            let leftRank = leadingRank(leftKey)
            let rightRank = leadingRank(rightKey)
            if leftRank != rightRank { return leftRank < rightRank }
            return leftKey < rightKey
        }
        return order
    }

    /// The position of `key` among `leadingKeys`, or `leadingKeys.count` for any other key; decided by the
    /// key's length first, so most keys cost no string comparison.
    @inline(__always)
    private static func leadingRank(_ key: String) -> Int {
        switch key.utf8.count {
        case 4: key == "kind" ? 1 : key == "spec" ? 3 : 5
        case 6: key == "status" ? 4 : 5
        case 8: key == "metadata" ? 2 : 5
        case 10: key == "apiVersion" ? 0 : 5
        default: 5
        }
    }

    /// Decimal digits of `number`, without an intermediate `String`.
    private static func writeInteger(_ number: Int64, into out: inout [UInt8]) {
        if number == 0 {
            out.append(UInt8(ascii: "0"))
            return
        }
        var magnitude = number.magnitude
        if number < 0 { out.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
            out.append(contentsOf: buffer[(20 - count)...])
        }
    }

    private static func writeDouble(_ number: Double, into out: inout [UInt8]) {
        if number.isFinite, number == number.rounded(), abs(number) < 1e21 {
            out.append(contentsOf: Array(String(Int64(number)).utf8))
        } else if number.isFinite {
            out.append(contentsOf: Array("\(number)".utf8))
        } else {
            out.append(contentsOf: Array("null".utf8))  // JSON has no NaN or infinity
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func needsEscaping(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "<")
            || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&")
    }

    /// Writes `text` as a JSON string literal.
    public static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings need no escaping: copy them whole.
        let copied = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard !bytes.contains(where: needsEscaping) else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if copied == true {
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00..<0x20, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
