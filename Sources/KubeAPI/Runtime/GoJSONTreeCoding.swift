public import KubeCore
import Foundation

// `[]byte` members for the generated ``JSONTreeCodable`` conformances, with the rules of `Base64Bytes`:
// standard base64 with padding (carriage returns and newlines skipped); `null` is no bytes.

extension JSONTree {
    /// A missing or `null` member is no bytes.
    static func bytes(_ member: JSONValue?) throws(JSONTreeMismatch) -> [UInt8] {
        try optionalBytes(member) ?? []
    }

    /// A missing or `null` member is nil.
    static func optionalBytes(_ member: JSONValue?) throws(JSONTreeMismatch) -> [UInt8]? {
        guard let member else { return nil }
        switch member {
        case .null: return nil
        case .string(let text): return try decodeBase64(text)
        default: throw JSONTreeMismatch()
        }
    }

    /// A missing or `null` list is empty; `null` elements are no bytes.
    static func bytesList(_ member: JSONValue?) throws(JSONTreeMismatch) -> [[UInt8]] {
        guard let member else { return [] }
        switch member {
        case .null: return []
        case .array(let elements):
            var result: [[UInt8]] = []
            result.reserveCapacity(elements.count)
            for element in elements { result.append(try bytes(element)) }
            return result
        default: throw JSONTreeMismatch()
        }
    }

    /// A missing or `null` map is empty; `null` values are no bytes.
    static func bytesMap(_ member: JSONValue?) throws(JSONTreeMismatch) -> [String: [UInt8]] {
        guard let member else { return [:] }
        switch member {
        case .null: return [:]
        case .object(let members):
            var result: [String: [UInt8]] = [:]
            result.reserveCapacity(members.count)
            for (key, value) in members { result[key] = try bytes(value) }
            return result
        default: throw JSONTreeMismatch()
        }
    }

    static func base64(_ bytes: [UInt8]) -> JSONValue {
        .string(Data(bytes).base64EncodedString())
    }

    static func base64List(_ list: [[UInt8]]) -> JSONValue {
        .array(list.map(base64))
    }

    static func base64Map(_ map: [String: [UInt8]]) -> JSONValue {
        .object(map.mapValues(base64))
    }

    private static func decodeBase64(_ text: String) throws(JSONTreeMismatch) -> [UInt8] {
        let cleaned = text.contains(where: { $0 == "\r" || $0 == "\n" }) ? text.filter { $0 != "\r" && $0 != "\n" } : text
        guard let data = Data(base64Encoded: cleaned) else { throw JSONTreeMismatch() }
        return [UInt8](data)
    }
}
