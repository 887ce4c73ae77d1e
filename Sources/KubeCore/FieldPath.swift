/// A path to a field in an object, rendered like upstream `field.Path`:
/// `spec.selector.matchExpressions[0].values`, map keys as `metadata.labels[app]`.
/// Value type; Sendable.
public struct FieldPath: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    enum Element: Hashable, Sendable {
        case name(String)
        case subscripted(String)
    }

    private(set) var elements: [Element]

    /// A path starting at `name`, followed by `more` child names (`FieldPath("spec", "selector")`).
    public init(_ name: String, _ more: String...) {
        elements = [.name(name)] + more.map { .name($0) }
    }

    /// A path of dotted names (no parsing of `[..]`): `"spec.selector"` = `FieldPath("spec", "selector")`.
    public init(stringLiteral value: String) {
        elements = value.split(separator: ".", omittingEmptySubsequences: false).map { .name(String($0)) }
    }

    /// `path.name`.
    public func child(_ name: String, _ more: String...) -> FieldPath {
        var copy = self
        copy.elements.append(.name(name))
        copy.elements.append(contentsOf: more.map { .name($0) })
        return copy
    }

    /// `path[index]`.
    public func index(_ index: Int) -> FieldPath {
        var copy = self
        copy.elements.append(.subscripted(String(index)))
        return copy
    }

    /// `path[key]` (map entries).
    public func key(_ key: String) -> FieldPath {
        var copy = self
        copy.elements.append(.subscripted(key))
        return copy
    }

    public var description: String {
        var result = ""
        for (position, element) in elements.enumerated() {
            switch element {
            case .name(let name):
                if position > 0, !name.isEmpty { result += "." }
                if name.isEmpty { result += "[]" } else { result += name }
            case .subscripted(let key):
                result += "[" + key + "]"
            }
        }
        return result
    }
}
