/// Every resource the server serves, indexed for routing and discovery.
///
/// Value type; Sendable; immutable after construction.
public struct ResourceCatalog: Sendable {
    public let resources: [ServedResource]
    private let byPath: [String: Int]

    public init(_ resources: [ServedResource]) {
        self.resources = resources
        var index: [String: Int] = [:]
        for (position, resource) in resources.enumerated() {
            index["\(resource.group)/\(resource.version)/\(resource.plural)"] = position
        }
        byPath = index
    }

    public func resource(group: String, version: String, plural: String) -> ServedResource? {
        byPath["\(group)/\(version)/\(plural)"].map { resources[$0] }
    }

    /// Group names in discovery order (core first, then as registered).
    var groups: [String] {
        var seen: [String] = []
        for resource in resources where !seen.contains(resource.group) { seen.append(resource.group) }
        return seen
    }

    func versions(of group: String) -> [String] {
        var seen: [String] = []
        for resource in resources where resource.group == group && !seen.contains(resource.version) {
            seen.append(resource.version)
        }
        return seen
    }

    func resources(group: String, version: String) -> [ServedResource] {
        resources.filter { $0.group == group && $0.version == version }
    }

    var namespaces: ServedResource? { resource(group: "", version: "v1", plural: "namespaces") }
}
