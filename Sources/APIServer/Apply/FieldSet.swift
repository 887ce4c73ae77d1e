import KubeCore

/// A set of field paths one manager owns (upstream structured-merge-diff `fieldpath.Set`). Only the paths
/// that are members count: a path's prefixes are not members unless inserted themselves.
///
/// Encoded as FieldsV1 (`{"f:data":{".":{},"f:key":{}}}`): each member or parent of members is a JSON
/// member named by its ``PathElement``; `"."` marks a node that is itself a member and has children.
///
/// Value type; Sendable.
struct FieldSet: Hashable, Sendable, ExpressibleByArrayLiteral {
    private(set) var paths: Set<FieldSetPath>

    init() { paths = [] }
    init(_ paths: some Sequence<FieldSetPath>) { self.paths = Set(paths) }
    init(arrayLiteral paths: FieldSetPath...) { self.paths = Set(paths) }

    var isEmpty: Bool { paths.isEmpty }
    /// Members in path order (for messages and tests).
    var sorted: [FieldSetPath] { paths.sorted() }

    func contains(_ path: FieldSetPath) -> Bool { paths.contains(path) }
    mutating func insert(_ path: FieldSetPath) { paths.insert(path) }

    func union(_ other: FieldSet) -> FieldSet { FieldSet(paths.union(other.paths)) }
    func intersection(_ other: FieldSet) -> FieldSet { FieldSet(paths.intersection(other.paths)) }
    func subtracting(_ other: FieldSet) -> FieldSet { FieldSet(paths.subtracting(other.paths)) }

    /// Upstream `RecursiveDifference`: drops every member that is in `other` or lies under a member of it.
    func recursiveSubtracting(_ other: FieldSet) -> FieldSet {
        guard !other.isEmpty else { return self }
        // Only prefixes as long as some member of `other` can match.
        let lengths = Set(other.paths.map(\.elements.count)).sorted()
        return FieldSet(paths.filter { path in
            !lengths.contains(where: { length in
                length <= path.elements.count
                    && other.paths.contains(FieldSetPath(Array(path.elements.prefix(length))))
            })
        })
    }

    /// Upstream `WithPrefix`: the members under `element`, with it removed from their front.
    func withPrefix(_ element: PathElement) -> FieldSet {
        FieldSet(paths.compactMap { path in
            guard path.elements.count > 1, path.elements[0] == element else { return nil }
            return FieldSetPath(Array(path.elements.dropFirst()))
        })
    }

    // MARK: FieldsV1

    /// The FieldsV1 JSON of the set.
    var fieldsV1: JSONValue {
        var root = EncodingNode()
        for path in paths where !path.elements.isEmpty {
            root.insert(path.elements[...])
        }
        return .object(root.members)
    }

    /// The members of the set grouped by path element, one level per element (the FieldsV1 tree before
    /// it is named). Value type; not shared.
    private struct EncodingNode {
        var isMember = false
        var children: [PathElement: EncodingNode] = [:]

        mutating func insert(_ elements: ArraySlice<PathElement>) {
            guard let first = elements.first else {
                isMember = true
                return
            }
            children[first, default: EncodingNode()].insert(elements.dropFirst())
        }

        /// The FieldsV1 members of this node's children; `"."` marks a child that is a member and has children.
        var members: [String: JSONValue] {
            var members: [String: JSONValue] = [:]
            members.reserveCapacity(children.count)
            for (element, child) in children {
                var node = child.members
                if child.isMember && !child.children.isEmpty { node["."] = .object([:]) }
                members[element.fieldsV1Key] = .object(node)
            }
            return members
        }
    }

    /// Decodes FieldsV1 JSON; throws ``FieldSetDecodingError`` when it is not a valid encoding.
    init(fieldsV1 value: JSONValue) throws(FieldSetDecodingError) {
        var result = Set<FieldSetPath>()
        try Self.decode(value, prefix: [], into: &result)
        paths = result
    }

    private static func decode(_ value: JSONValue, prefix: [PathElement], into result: inout Set<FieldSetPath>)
        throws(FieldSetDecodingError)
    {
        guard case .object(let members) = value else {
            throw FieldSetDecodingError(message: "expected an object at \(FieldSetPath(prefix))")
        }
        for (name, child) in members {
            if name == "." {
                guard !prefix.isEmpty else { throw FieldSetDecodingError(message: "\".\" at the root") }
                result.insert(FieldSetPath(prefix))
                continue
            }
            guard let element = PathElement(fieldsV1Key: name) else {
                throw FieldSetDecodingError(message: "invalid path element \(GoQuoting.quote(name))")
            }
            let path = prefix + [element]
            guard case .object(let grandchildren) = child else {
                throw FieldSetDecodingError(message: "expected an object at \(FieldSetPath(path))")
            }
            if grandchildren.isEmpty {
                result.insert(FieldSetPath(path))
            } else {
                try decode(child, prefix: path, into: &result)
            }
        }
    }
}

/// A FieldsV1 document that does not decode. Value type; Sendable.
struct FieldSetDecodingError: Error, Sendable, CustomStringConvertible {
    var message: String
    var description: String { message }
}
