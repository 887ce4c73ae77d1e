import KubeCore
import Yams

/// Parses an `application/apply-patch+yaml` body (YAML, or JSON, which is YAML) into a JSON tree the way
/// upstream's `sigs.k8s.io/yaml` does: YAML 1.1 scalars (`true`, `1`, `1.5`, `null`, `~`), timestamps
/// kept as strings, mapping keys as strings, anchors expanded. A mapping with a key twice is an error
/// (upstream rejects it too under kubectl's default `fieldValidation=Strict`).
///
/// Stateless namespace; thread-safe.
enum ApplyBodyParser {
    /// Expanded anchors may not grow a document past this many values.
    static let maxValues = 1_000_000

    /// The parsed body (null for an empty one).
    static func parse(_ body: [UInt8]) throws(ApplyBodyError) -> JSONValue {
        let text = String(decoding: body, as: UTF8.self)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text, Resolver.default.removing(.timestamp).removing(.merge).removing(.value))
        } catch {
            throw ApplyBodyError(message: "\(error)")
        }
        guard let node else { return .null }
        var budget = maxValues
        return try convert(node, path: "", budget: &budget)
    }

    private static func convert(_ node: Node, path: String, budget: inout Int) throws(ApplyBodyError) -> JSONValue
    {
        budget -= 1
        guard budget >= 0 else { throw ApplyBodyError(message: "the document expands to more than \(maxValues) values") }
        switch node {
        case .scalar(let scalar):
            return try scalarValue(scalar, node: node)
        case .sequence(let sequence):
            var elements: [JSONValue] = []
            for (index, element) in sequence.enumerated() {
                elements.append(try convert(element, path: path + "[\(index)]", budget: &budget))
            }
            return .array(elements)
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw ApplyBodyError(message: "mapping keys must be scalars (at \(path.isEmpty ? "." : path))")
                }
                let name = keyScalar.string
                members[name] = try convert(value, path: path + "." + name, budget: &budget)
            }
            return .object(members)
        case .alias:
            throw ApplyBodyError(message: "found undefined alias")
        }
    }

    private static func scalarValue(_ scalar: Node.Scalar, node: Node) throws(ApplyBodyError) -> JSONValue {
        switch Tag.Name(rawValue: node.tag.rawValue) {
        case .null:
            return .null
        case .bool:
            if let flag = node.bool { return .bool(flag) }
        case .int:
            if let number = node.int { return .integer(Int64(number)) }
            if let number = node.float, number.isFinite { return .number(number) }
        case .float:
            if let number = node.float {
                guard number.isFinite else {
                    throw ApplyBodyError(message: "json: unsupported value: \(scalar.string)")
                }
                return number == number.rounded() && abs(number) < 9.0e15 && !scalar.string.contains(".")
                    && !scalar.string.lowercased().contains("e") ? .integer(Int64(number)) : .number(number)
            }
        default:
            break
        }
        return .string(scalar.string)
    }
}

/// A body that is not valid YAML. Value type; Sendable.
struct ApplyBodyError: Error, Sendable, CustomStringConvertible {
    var message: String
    var description: String { message }
}
