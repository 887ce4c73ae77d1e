/// A path of ``PathElement``s from the object root. Its description is upstream `Path.String()`:
/// `.spec.template.spec.containers[name="app"].image`.
///
/// Value type; Sendable.
struct FieldSetPath: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
    var elements: [PathElement]

    init(_ elements: [PathElement]) { self.elements = elements }
    init(arrayLiteral elements: PathElement...) { self.elements = elements }

    /// A path of member names.
    static func fields(_ names: String...) -> FieldSetPath { FieldSetPath(names.map(PathElement.field)) }

    func appending(_ element: PathElement) -> FieldSetPath { FieldSetPath(elements + [element]) }

    var description: String { elements.map(\.description).joined() }

    static func < (lhs: FieldSetPath, rhs: FieldSetPath) -> Bool {
        lhs.elements.lexicographicallyPrecedes(rhs.elements)
    }
}
