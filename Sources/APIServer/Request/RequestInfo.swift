/// What a request path addresses, parsed the way the Kubernetes API server's `RequestInfoFactory` does.
///
/// Value type; Sendable; pure.
struct RequestInfo: Sendable, Equatable {
    enum Target: Sendable, Equatable {
        /// `/api`, `/apis`.
        case groupList(core: Bool)
        /// `/api/v1`, `/apis/apps/v1`.
        case resourceList(group: String, version: String)
        /// `/apis/apps`.
        case group(String)
        /// A resource, a named object or a subresource.
        case resource(ResourceTarget)
    }

    struct ResourceTarget: Sendable, Equatable {
        var group: String
        var version: String
        var namespace: String?
        var resource: String
        var name: String?
        var subresource: String?
    }

    var target: Target

    private static let namespaceSubresources: Set<String> = ["status", "finalize"]

    /// Parses the path (without query); nil when it is not an API path.
    static func parse(path: String) -> RequestInfo? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let prefix = parts.first else { return nil }
        var rest: ArraySlice<String>
        var group = ""
        let version: String
        switch prefix {
        case "api":
            if parts.count == 1 { return RequestInfo(target: .groupList(core: true)) }
            version = parts[1]
            rest = parts[2...]
        case "apis":
            if parts.count == 1 { return RequestInfo(target: .groupList(core: false)) }
            group = parts[1]
            if parts.count == 2 { return RequestInfo(target: .group(group)) }
            version = parts[2]
            rest = parts[3...]
        default:
            return nil
        }
        if rest.isEmpty { return RequestInfo(target: .resourceList(group: group, version: version)) }
        var namespace: String?
        if rest.first == "namespaces", rest.count > 1 {
            let namespaceName = rest[rest.startIndex + 1]
            if rest.count > 2, !namespaceSubresources.contains(rest[rest.startIndex + 2]) {
                namespace = namespaceName
                rest = rest.dropFirst(2)
            }
        }
        let items = Array(rest)
        guard items.count <= 3 else { return nil }
        return RequestInfo(
            target: .resource(
                ResourceTarget(
                    group: group, version: version, namespace: namespace, resource: items[0],
                    name: items.count > 1 ? items[1] : nil, subresource: items.count > 2 ? items[2] : nil)))
    }
}
