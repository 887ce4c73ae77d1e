/// Serialises a `JSONValue` to compact JSON bytes, Go-style: `<`, `>` and `&` are escaped as `\u003c` etc.
/// (as `encoding/json` does), object keys are written with `apiVersion`, `kind`, `metadata`, `spec`,
/// `status` first and the rest sorted, so output is deterministic and reads like the API server's.
///
/// Value type; Sendable; pure.
public enum JSONValueWriter {
    private static let leadingKeys = ["apiVersion", "kind", "metadata", "spec", "status"]

    /// The compact JSON text of `value`.
    public static func bytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, into: &out)
        return out
    }

    /// Appends the compact JSON text of `value` to `out`.
    public static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case .bool(let flag): out.append(contentsOf: Array((flag ? "true" : "false").utf8))
        case .integer(let number): out.append(contentsOf: Array(String(number).utf8))
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
            for key in orderedKeys(members) {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(members[key]!, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func orderedKeys(_ members: [String: JSONValue]) -> [String] {
        var keys: [String] = []
        keys.reserveCapacity(members.count)
        for key in leadingKeys where members[key] != nil { keys.append(key) }
        let rest = members.keys.filter { !leadingKeys.contains($0) }.sorted()
        return keys + rest
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

    /// Writes `text` as a JSON string literal.
    public static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
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
