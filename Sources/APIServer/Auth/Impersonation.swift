import Foundation
import KubeCore

/// User impersonation (upstream `apiserver/pkg/endpoints/filters/impersonation.go`): the headers
/// `Impersonate-User`, `Impersonate-Group` (repeatable), `Impersonate-Uid` and `Impersonate-Extra-<key>`
/// make an authorized caller act as someone else. Each requested value needs the verb `impersonate` on
/// `users`, `groups` or `serviceaccounts` (API group "") or on `uids` or `userextras/<key>`
/// (`authentication.k8s.io`); the request then runs as the impersonated user, with `system:authenticated`
/// added (or `system:unauthenticated` for `system:anonymous`) unless given explicitly.
///
/// Immutable; Sendable.
struct Impersonation: Sendable {
    static let userHeader = "impersonate-user"
    static let groupHeader = "impersonate-group"
    static let uidHeader = "impersonate-uid"
    static let extraHeaderPrefix = "impersonate-extra-"

    let authorizer: any RequestAuthorizer

    /// One thing the caller asks to act as.
    enum Target: Equatable {
        case user(String)
        case serviceAccount(namespace: String, name: String)
        case group(String)
        case extra(key: String, value: String)
        case uid(String)

        /// Go's `%v` of the `v1.ObjectReference` upstream builds for it.
        var goDescription: String {
            let authentication = "authentication.k8s.io/v1"
            let fields: [String] = switch self {
            case .user(let name): ["User", "", name, "", "", "", ""]
            case .serviceAccount(let namespace, let name): ["ServiceAccount", namespace, name, "", "", "", ""]
            case .group(let name): ["Group", "", name, "", "", "", ""]
            case .extra(let key, let value): ["UserExtra", "", value, "", authentication, "", key]
            case .uid(let uid): ["UID", "", uid, "", authentication, "", ""]
            }
            return "{" + fields.joined(separator: " ") + "}"
        }
    }

    /// The targets the request's headers ask for, in upstream's order (user, groups, extras, uid).
    static func targets(_ request: APIRequest) throws(ImpersonationError) -> [Target] {
        var targets: [Target] = []
        let userName = request.headerValues(userHeader).first ?? ""
        if !userName.isEmpty {
            if let account = ServiceAccountNames.split(userName) {
                targets.append(.serviceAccount(namespace: account.namespace, name: account.name))
            } else {
                targets.append(.user(userName))
            }
        }
        let groups = request.headerValues(groupHeader)
        targets += groups.map(Target.group)
        var hasExtra = false
        let extraHeaders = Set(request.headers.keys).union(request.headerLists.keys)
            .filter { $0.hasPrefix(extraHeaderPrefix) }.sorted()
        for header in extraHeaders {
            hasExtra = true
            let encoded = String(header.dropFirst(extraHeaderPrefix.count))
            let key = encoded.removingPercentEncoding ?? encoded
            targets += request.headerValues(header).map { Target.extra(key: key, value: $0) }
        }
        let uid = request.headerValues(uidHeader).first ?? ""
        if !uid.isEmpty { targets.append(.uid(uid)) }
        if (!groups.isEmpty || hasExtra || !uid.isEmpty) && userName.isEmpty {
            let described = "[" + targets.map(\.goDescription).joined(separator: " ") + "]"
            let uri = request.path + (request.query.map { "?" + $0 } ?? "")
            throw .withoutUser("Internal Server Error: \(GoQuoting.quote(uri)): requested \(described) without impersonating a user")
        }
        return targets
    }

    /// The user `request` runs as: `user` itself without impersonation headers, else the impersonated user
    /// once every target is authorized. A refused target is a 403 worded like upstream's.
    func apply(_ request: APIRequest, user: UserInfo) async throws -> UserInfo {
        let targets = try Self.targets(request)
        guard !targets.isEmpty else { return user }
        let groupsSpecified = !request.headerValues(Self.groupHeader).isEmpty
        var name = ""
        var groups: [String] = []
        var extra: [String: [String]] = [:]
        var uid = ""
        for target in targets {
            var attributes = AuthorizationAttributes(user: user, verb: "impersonate", isResourceRequest: true)
            switch target {
            case .user(let userName):
                attributes.resource = "users"
                attributes.name = userName
                name = userName
            case .serviceAccount(let namespace, let accountName):
                attributes.resource = "serviceaccounts"
                attributes.namespace = namespace
                attributes.name = accountName
                name = ServiceAccountNames.userName(namespace: namespace, name: accountName)
                if !groupsSpecified { groups = ServiceAccountNames.groupNames(namespace: namespace) }
            case .group(let group):
                attributes.resource = "groups"
                attributes.name = group
                groups.append(group)
            case .extra(let key, let value):
                attributes.apiGroup = "authentication.k8s.io"
                attributes.apiVersion = "v1"
                attributes.resource = "userextras"
                attributes.subresource = key
                attributes.name = value
                extra[key, default: []].append(value)
            case .uid(let value):
                attributes.apiGroup = "authentication.k8s.io"
                attributes.apiVersion = "v1"
                attributes.resource = "uids"
                attributes.name = value
                uid = value
            }
            switch await authorizer.authorize(attributes) {
            case .allow: continue
            case .deny(let reason), .noOpinion(let reason):
                throw AuthorizationChain.forbidden(attributes, reason: reason)
            }
        }
        if name != UserInfo.anonymousName {
            if !groups.contains(UserInfo.authenticatedGroup), !groups.contains(UserInfo.unauthenticatedGroup) {
                groups.append(UserInfo.authenticatedGroup)
            }
        } else if !groups.contains(UserInfo.unauthenticatedGroup) {
            groups.append(UserInfo.unauthenticatedGroup)
        }
        return UserInfo(name: name, uid: uid, groups: groups, extra: extra)
    }
}

/// Impersonation headers upstream rejects before authorizing anything (a plain-text 500, as its filter
/// answers).
enum ImpersonationError: Error, Equatable {
    case withoutUser(String)

    var message: String {
        switch self {
        case .withoutUser(let message): message
        }
    }
}
