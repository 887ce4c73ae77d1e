import Foundation
import KubeCore

/// JSON patch (RFC 6902): add, remove, replace, move, copy and test, with JSON-pointer paths.
enum JSONPatch {
    static func apply(_ patch: JSONValue, to target: JSONValue) throws -> JSONValue {
        guard case .array(let operations) = patch else {
            throw APIError.badRequest("json patch must be a JSON array of operations")
        }
        var document = target
        for (index, operation) in operations.enumerated() {
            guard let op = operation["op"]?.stringValue else {
                throw APIError.badRequest("json patch operation \(index) has no \"op\"")
            }
            guard let pathText = operation["path"]?.stringValue else {
                throw APIError.badRequest("json patch operation \(index) (\(op)) has no \"path\"")
            }
            let path = try pointer(pathText)
            switch op {
            case "add":
                document = try add(try value(operation, index), at: path, in: document)
            case "remove":
                document = try remove(at: path, in: document)
            case "replace":
                _ = try get(path, in: document)
                document = try remove(at: path, in: document)
                document = try add(try value(operation, index), at: path, in: document)
            case "move", "copy":
                guard let fromText = operation["from"]?.stringValue else {
                    throw APIError.badRequest("json patch operation \(index) (\(op)) has no \"from\"")
                }
                let from = try pointer(fromText)
                let moved = try get(from, in: document)
                if op == "move" { document = try remove(at: from, in: document) }
                document = try add(moved, at: path, in: document)
            case "test":
                let actual = try get(path, in: document)
                if actual != (try value(operation, index)) {
                    throw APIError.unprocessable("testing value \(pathText) failed")
                }
            default:
                throw APIError.badRequest("Unexpected kind: \(op)")
            }
        }
        return document
    }

    private static func value(_ operation: JSONValue, _ index: Int) throws -> JSONValue {
        guard let value = operation["value"] else {
            throw APIError.badRequest("json patch operation \(index) has no \"value\"")
        }
        return value
    }

    static func pointer(_ text: String) throws -> [String] {
        if text.isEmpty { return [] }
        guard text.hasPrefix("/") else { throw APIError.badRequest("invalid JSON pointer \"\(text)\"") }
        return text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    private static func get(_ path: [String], in document: JSONValue) throws -> JSONValue {
        var current = document
        for token in path {
            switch current {
            case .object(let members):
                guard let next = members[token] else { throw missing(path) }
                current = next
            case .array(let elements):
                guard let index = Int(token), elements.indices.contains(index) else { throw missing(path) }
                current = elements[index]
            default:
                throw missing(path)
            }
        }
        return current
    }

    private static func missing(_ path: [String]) -> APIError {
        .unprocessable("doc is missing path: \"/\(path.joined(separator: "/"))\"")
    }

    private static func add(_ value: JSONValue, at path: [String], in document: JSONValue) throws -> JSONValue {
        guard let token = path.first else { return value }
        let rest = Array(path.dropFirst())
        switch document {
        case .object(var members):
            if rest.isEmpty {
                members[token] = value
            } else {
                guard let child = members[token] else { throw missing(path) }
                members[token] = try add(value, at: rest, in: child)
            }
            return .object(members)
        case .array(var elements):
            if rest.isEmpty {
                if token == "-" {
                    elements.append(value)
                } else {
                    guard let index = Int(token), index >= 0, index <= elements.count else { throw missing(path) }
                    elements.insert(value, at: index)
                }
            } else {
                guard let index = Int(token), elements.indices.contains(index) else { throw missing(path) }
                elements[index] = try add(value, at: rest, in: elements[index])
            }
            return .array(elements)
        default:
            throw missing(path)
        }
    }

    private static func remove(at path: [String], in document: JSONValue) throws -> JSONValue {
        guard let token = path.first else { throw APIError.unprocessable("cannot remove the whole document") }
        let rest = Array(path.dropFirst())
        switch document {
        case .object(var members):
            guard let child = members[token] else { throw missing(path) }
            members[token] = rest.isEmpty ? nil : try remove(at: rest, in: child)
            return .object(members)
        case .array(var elements):
            guard let index = Int(token), elements.indices.contains(index) else { throw missing(path) }
            if rest.isEmpty { elements.remove(at: index) } else { elements[index] = try remove(at: rest, in: elements[index]) }
            return .array(elements)
        default:
            throw missing(path)
        }
    }
}

extension APIError {
    /// 422 for a patch that cannot be applied (upstream answers patch failures with Invalid).
    static func unprocessable(_ message: String) -> APIError {
        APIError(status: Status(status: Status.failure, message: message, reason: .invalid, code: 422))
    }
}
