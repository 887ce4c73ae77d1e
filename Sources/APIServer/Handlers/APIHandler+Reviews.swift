import KubeAPI
import KubeCore
import KubeSecurity

/// The create-only review kinds, answered from the request and never stored: `SelfSubjectReview` (who am I),
/// `TokenReview` (whose is this bearer token, by the server's token authenticators),
/// `SelfSubjectAccessReview`, `SubjectAccessReview` and `LocalSubjectAccessReview` (may this user do that),
/// evaluated with the server's authorizer exactly as a real request would be.
extension APIHandler {
    static let reviewKinds: Set<String> = [
        "SelfSubjectReview", "TokenReview", "SelfSubjectAccessReview", "SubjectAccessReview", "LocalSubjectAccessReview",
        "SelfSubjectRulesReview",
    ]

    func createReview(_ context: RequestContext) async throws -> APIResponse {
        let (body, _) = try decodeBody(context)
        var review = body
        review.set(["apiVersion"], .string(context.resource.apiVersion))
        review.set(["kind"], .string(context.resource.kind))
        if review["metadata"] == nil { review.set(["metadata"], .object([:])) }
        review.set(["metadata", "creationTimestamp"], .null)
        let user = context.request.user
        switch context.resource.kind {
        case "SelfSubjectReview":
            review.set(["status"], ["userInfo": Self.userInfoJSON(user)])
            return .json(review, status: 201)
        case "TokenReview":
            review.set(["status"], try await tokenReviewStatus(review["spec"] ?? .object([:])))
        case "SelfSubjectAccessReview":
            review.set(["status"], try await accessReviewStatus(review["spec"] ?? .object([:]), user: user))
        case "SelfSubjectRulesReview":
            return .json(try await rulesReview(review, user: user), status: 201)
        case "SubjectAccessReview", "LocalSubjectAccessReview":
            let spec = review["spec"] ?? .object([:])
            var errors = FieldErrorList()
            let subjectName = spec["user"]?.stringValue ?? ""
            let groups = Self.strings(spec["groups"])
            if subjectName.isEmpty && groups.isEmpty {
                errors.append(.invalid(FieldPath("spec", "user"), .string(subjectName), "at least one of user or group must be specified"))
            }
            try Self.requireOneAttributeKind(spec, errors: &errors)
            if context.resource.kind == "LocalSubjectAccessReview" {
                let namespace = spec["resourceAttributes"]?["namespace"]?.stringValue ?? ""
                if spec["resourceAttributes"] == nil {
                    errors.append(.invalid(FieldPath("spec", "resourceAttributes"), .omitted,
                                           "disallowed on this kind of request"))
                } else if namespace != (context.namespace ?? "") {
                    errors.append(.invalid(FieldPath("spec", "resourceAttributes", "namespace"), .string(namespace),
                                           "must match metadata.namespace"))
                }
            }
            if !errors.isEmpty { throw APIError.invalid(context.resource.groupKind, name: "", errors: errors) }
            var extra: [String: [String]] = [:]
            if case .object(let members)? = spec["extra"] {
                for (key, value) in members { extra[key] = Self.strings(value) }
            }
            let subject = UserInfo(name: subjectName, uid: spec["uid"]?.stringValue ?? "", groups: groups, extra: extra)
            review.set(["status"], try await accessReviewStatus(spec, user: subject))
        default:
            throw Self.notFound
        }
        return .json(review, status: 201)
    }

    private static func requireOneAttributeKind(_ spec: JSONValue, errors: inout FieldErrorList) throws {
        let hasResource = spec["resourceAttributes"] != nil && spec["resourceAttributes"] != .null
        let hasNonResource = spec["nonResourceAttributes"] != nil && spec["nonResourceAttributes"] != .null
        if hasResource == hasNonResource {
            errors.append(.required(FieldPath("spec", "resourceAttributes"),
                                    "exactly one of nonResourceAttributes or resourceAttributes must be specified"))
        }
    }

    /// `{allowed, denied, reason}` for the spec's resource or non-resource attributes.
    private func accessReviewStatus(_ spec: JSONValue, user: UserInfo) async throws -> JSONValue {
        var errors = FieldErrorList()
        try Self.requireOneAttributeKind(spec, errors: &errors)
        if !errors.isEmpty {
            throw APIError.invalid(GroupKind(group: "authorization.k8s.io", kind: "SelfSubjectAccessReview"), name: "",
                                   errors: errors)
        }
        let attributes: AuthorizationAttributes
        if let resource = spec["resourceAttributes"], resource != .null {
            func text(_ key: String) -> String { resource[key]?.stringValue ?? "" }
            attributes = AuthorizationAttributes(
                user: user, verb: text("verb"), isResourceRequest: true, apiGroup: text("group"),
                apiVersion: text("version"), resource: text("resource"), subresource: text("subresource"),
                namespace: text("namespace"), name: text("name"))
        } else {
            let nonResource = spec["nonResourceAttributes"] ?? .object([:])
            attributes = AuthorizationAttributes(
                user: user, verb: nonResource["verb"]?.stringValue ?? "", isResourceRequest: false,
                path: nonResource["path"]?.stringValue ?? "")
        }
        switch await security.authorizer.authorize(attributes) {
        case .allow(let reason):
            var status: [String: JSONValue] = ["allowed": true]
            if !reason.isEmpty { status["reason"] = .string(reason) }
            return .object(status)
        case .deny(let reason):
            var status: [String: JSONValue] = ["allowed": false, "denied": true]
            if !reason.isEmpty { status["reason"] = .string(reason) }
            return .object(status)
        case .noOpinion(let reason):
            var status: [String: JSONValue] = ["allowed": false]
            if !reason.isEmpty { status["reason"] = .string(reason) }
            return .object(status)
        }
    }

    /// `SelfSubjectRulesReview` (upstream `registry/authorization/selfsubjectrulesreview`): the rules the
    /// caller holds in `spec.namespace`, split into resource and non-resource rules; the answer carries only
    /// the status.
    private func rulesReview(_ review: JSONValue, user: UserInfo) async throws -> JSONValue {
        let namespace = review["spec"]?["namespace"]?.stringValue ?? ""
        if namespace.isEmpty { throw APIError.badRequest("no namespace on request") }
        let resolved = await security.ruleResolver.rules(for: user, namespace: namespace)
        var resourceRules: [JSONValue] = []
        var nonResourceRules: [JSONValue] = []
        func list(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }
        for rule in resolved.rules {
            if !rule.resources.isEmpty {
                var entry: [String: JSONValue] = ["verbs": list(rule.verbs)]
                if !rule.apiGroups.isEmpty { entry["apiGroups"] = list(rule.apiGroups) }
                entry["resources"] = list(rule.resources)
                if !rule.resourceNames.isEmpty { entry["resourceNames"] = list(rule.resourceNames) }
                resourceRules.append(.object(entry))
            }
            if !rule.nonResourceURLs.isEmpty {
                nonResourceRules.append(["verbs": list(rule.verbs), "nonResourceURLs": list(rule.nonResourceURLs)])
            }
        }
        var status: [String: JSONValue] = [
            "resourceRules": .array(resourceRules), "nonResourceRules": .array(nonResourceRules),
            "incomplete": .bool(resolved.incomplete),
        ]
        if !resolved.errors.isEmpty { status["evaluationError"] = .string(ResolvedRules.aggregate(resolved.errors)) }
        return [
            "kind": "SelfSubjectRulesReview", "apiVersion": "authorization.k8s.io/v1",
            "metadata": ["creationTimestamp": .null], "spec": [:], "status": .object(status),
        ]
    }

    /// Upstream `TokenReview` REST: the token is required; empty audiences mean the API server's; an
    /// authenticator's refusal is reported in `status.error`.
    private func tokenReviewStatus(_ spec: JSONValue) async throws -> JSONValue {
        let token = spec["token"]?.stringValue ?? ""
        if token.isEmpty { throw APIError.badRequest("token is required for TokenReview in authentication") }
        var audiences = Self.strings(spec["audiences"])
        if audiences.isEmpty { audiences = serviceAccounts?.signer.audiences ?? [] }
        do {
            guard let result = try await security.authentication.reviewToken(token, audiences: audiences) else {
                return ["authenticated": false, "user": .object([:])]
            }
            var status: [String: JSONValue] = ["authenticated": true, "user": Self.userInfoJSON(result.user)]
            if !result.audiences.isEmpty { status["audiences"] = .array(result.audiences.map { .string($0) }) }
            return .object(status)
        } catch let rejected as CredentialRejected {
            return ["authenticated": false, "user": .object([:]), "error": .string(rejected.reason)]
        }
    }

    static func userInfoJSON(_ user: UserInfo) -> JSONValue {
        var info: [String: JSONValue] = ["username": .string(user.name)]
        if !user.uid.isEmpty { info["uid"] = .string(user.uid) }
        if !user.groups.isEmpty { info["groups"] = .array(user.groups.map { .string($0) }) }
        if !user.extra.isEmpty {
            info["extra"] = .object(user.extra.mapValues { .array($0.map { .string($0) }) })
        }
        return .object(info)
    }
}
