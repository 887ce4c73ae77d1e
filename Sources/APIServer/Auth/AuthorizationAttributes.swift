import KubeCore

/// What a request asks to do, in authorizer terms (kube-apiserver's `authorizer.Attributes`): a verb on a
/// resource (group, resource, subresource, namespace, name) or on a non-resource path.
///
/// Value type; Sendable.
public struct AuthorizationAttributes: Sendable, Equatable {
    public var user: UserInfo
    public var verb: String
    public var isResourceRequest: Bool
    public var apiGroup: String
    public var apiVersion: String
    public var resource: String
    public var subresource: String
    public var namespace: String
    public var name: String
    public var path: String

    public init(user: UserInfo, verb: String, isResourceRequest: Bool, apiGroup: String = "", apiVersion: String = "",
                resource: String = "", subresource: String = "", namespace: String = "", name: String = "",
                path: String = "") {
        self.user = user
        self.verb = verb
        self.isResourceRequest = isResourceRequest
        self.apiGroup = apiGroup
        self.apiVersion = apiVersion
        self.resource = resource
        self.subresource = subresource
        self.namespace = namespace
        self.name = name
        self.path = path
    }

    /// The attributes of an HTTP request by `user`.
    static func of(_ request: APIRequest, user: UserInfo) -> AuthorizationAttributes {
        let method = request.method.uppercased()
        guard let info = RequestInfo.parse(path: request.path), case .resource(let target) = info.target else {
            return AuthorizationAttributes(user: user, verb: method.lowercased(), isResourceRequest: false,
                                           path: request.path)
        }
        let query = QueryParameters(query: request.query)
        let verb: String
        var name = target.name ?? ""
        switch (method, target.name) {
        case ("GET", nil), ("HEAD", nil):
            verb = query.flag("watch") ? "watch" : "list"
            // A list or watch of one name (`fieldSelector=metadata.name=x`) is authorized as that name.
            if let selector = query["fieldSelector"], let parsed = try? FieldSelector(parsing: selector),
               let term = parsed.terms.first(where: { $0.field == "metadata.name" && !$0.isNegated }),
               NameValidation.pathSegmentNameErrors(term.value).isEmpty {
                name = term.value
            }
        case ("GET", _), ("HEAD", _): verb = "get"
        case ("POST", _): verb = "create"
        case ("PUT", _): verb = "update"
        case ("PATCH", _): verb = "patch"
        case ("DELETE", nil): verb = "deletecollection"
        case ("DELETE", _): verb = "delete"
        default: verb = method.lowercased()
        }
        var namespace = target.namespace ?? ""
        if target.resource == "namespaces", let name = target.name { namespace = name }
        return AuthorizationAttributes(
            user: user, verb: verb, isResourceRequest: true, apiGroup: target.group, apiVersion: target.version,
            resource: target.resource, subresource: target.subresource ?? "", namespace: namespace,
            name: name, path: request.path)
    }

    /// kube-apiserver's wording of a refusal: `User "alice" cannot list resource "pods" in API group "" in the
    /// namespace "dev"` (or `at the cluster scope`, or `cannot get path "/foo"`).
    var forbiddenMessage: String {
        guard isResourceRequest else {
            return "User \"\(user.name)\" cannot \(verb) path \"\(path)\""
        }
        let target = subresource.isEmpty ? resource : resource + "/" + subresource
        if !namespace.isEmpty {
            return "User \"\(user.name)\" cannot \(verb) resource \"\(target)\" in API group \"\(apiGroup)\" in the namespace \"\(namespace)\""
        }
        return "User \"\(user.name)\" cannot \(verb) resource \"\(target)\" in API group \"\(apiGroup)\" at the cluster scope"
    }
}
