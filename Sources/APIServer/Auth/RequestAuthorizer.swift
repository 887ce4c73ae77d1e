import KubeCore

/// An authorizer's answer (kube-apiserver's `authorizer.Decision`): allow, deny, or no opinion (the next
/// authorizer decides; when none allows, the request is forbidden).
///
/// Value type; Sendable.
public enum AuthorizationDecision: Sendable, Equatable {
    /// Allowed; the reason (such as `RBAC: allowed by ...`) may be empty.
    case allow(reason: String)
    case deny(reason: String)
    case noOpinion(reason: String)
}

/// Decides whether a user may do what a request asks.
///
/// Implementations are Sendable and safe to call concurrently.
public protocol RequestAuthorizer: Sendable {
    func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision
}

/// `system:masters` may do anything (kube-apiserver's privileged-group authorizer, which runs first).
///
/// Stateless; Sendable.
public struct PrivilegedGroupAuthorizer: RequestAuthorizer {
    public init() {}

    public func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision {
        attributes.user.groups.contains(UserInfo.mastersGroup) ? .allow(reason: "") : .noOpinion(reason: "")
    }
}

/// Allows everything (handler-level tests only).
///
/// Stateless; Sendable.
public struct AlwaysAllowAuthorizer: RequestAuthorizer {
    public init() {}

    public func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision { .allow(reason: "") }
}

/// Asks authorizers in order; the first allow or deny decides; when all have no opinion, so does the chain
/// (and the request is refused).
///
/// Immutable; Sendable.
public struct AuthorizationChain: RequestAuthorizer {
    public var authorizers: [any RequestAuthorizer]

    public init(_ authorizers: [any RequestAuthorizer]) {
        self.authorizers = authorizers
    }

    public func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision {
        var reasons: [String] = []
        for authorizer in authorizers {
            switch await authorizer.authorize(attributes) {
            case .allow(let reason): return .allow(reason: reason)
            case .deny(let reason): return .deny(reason: reason)
            case .noOpinion(let reason): if !reason.isEmpty { reasons.append(reason) }
            }
        }
        return .noOpinion(reason: reasons.joined(separator: ", "))
    }

    /// The 403 for a refused request, worded like kube-apiserver.
    static func forbidden(_ attributes: AuthorizationAttributes, reason: String) -> APIError {
        var message = attributes.forbiddenMessage
        if !reason.isEmpty { message += ": " + reason }
        guard attributes.isResourceRequest else {
            return APIError.forbidden(GroupResource(group: "", resource: ""), name: "", reason: message)
        }
        return APIError.forbidden(GroupResource(group: attributes.apiGroup, resource: attributes.resource),
                                  name: attributes.name, reason: message)
    }
}
