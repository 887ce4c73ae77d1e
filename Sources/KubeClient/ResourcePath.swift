public import KubeAPI

/// The URL path of a resource collection, object or subresource: `/api/v1/namespaces/ns/pods/name/status`.
///
/// Value type; Sendable.
public struct ResourcePath: Sendable, Equatable {
    public var path: String

    public init<Object: KubeResource>(_ type: Object.Type, namespace: String? = nil, name: String? = nil,
                                      subresource: String? = nil) {
        let info = Object.resource
        var path = info.group.isEmpty ? "/api/\(info.version)" : "/apis/\(info.group)/\(info.version)"
        if info.namespaced, let namespace, !namespace.isEmpty { path += "/namespaces/\(namespace)" }
        path += "/\(info.plural)"
        if let name {
            path += "/\(name)"
            if let subresource { path += "/\(subresource)" }
        }
        self.path = path
    }
}

/// Percent-encoding of query strings (RFC 3986 unreserved characters pass through).
///
/// Stateless namespace.
enum QueryEncoding {
    static func encode(_ items: [(String, String)]) -> String {
        items.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                result += "%"
                result.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                result.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0xF)]))
            }
        }
        return result
    }
}
