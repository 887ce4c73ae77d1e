import Foundation
import KubeCore
import KubeSecurity
import Logging

/// The `serviceaccounts/token` subresource (upstream `TokenREST`): issues a signed token for the service
/// account, optionally bound to a Pod, Secret or Node of the namespace, and answers with the `TokenRequest`
/// carrying `status.token` and `status.expirationTimestamp`. Nothing is stored.
extension APIHandler {
    static let tokenRequestKind = GroupKind(group: "authentication.k8s.io", kind: "TokenRequest")
    /// Upstream `SetDefaults_TokenRequestSpec`.
    static let defaultTokenExpirationSeconds: Int64 = 3600
    static let minimumTokenExpirationSeconds: Int64 = 600
    /// The lifetime admission gives projected tokens; such pod-bound tokens are extended to a year with a
    /// `warnafter` at the requested expiry (kube-apiserver's `--service-account-extend-token-expiration`).
    static let projectedTokenExpirationSeconds: Int64 = 3607
    static let extendedTokenExpirationSeconds: Int64 = 365 * 24 * 3600

    func requestToken(_ context: RequestContext) async throws -> APIResponse {
        guard let settings = serviceAccounts else { throw Self.notFound }
        try checkDryRun(context)
        let name = context.name!
        let namespace = context.namespace ?? ""
        var request = try decodeTokenRequest(context)
        let metadataName = request["metadata"]?["name"]?.stringValue ?? ""
        if !metadataName.isEmpty, metadataName != name {
            throw APIError.invalid(Self.tokenRequestKind, name: name, errors: FieldErrorList([
                .invalid(FieldPath("metadata", "name"), .string(metadataName), "must match the service account name if specified"),
            ]))
        }
        let metadataNamespace = request["metadata"]?["namespace"]?.stringValue ?? ""
        if !metadataNamespace.isEmpty, metadataNamespace != namespace {
            throw APIError.invalid(Self.tokenRequestKind, name: name, errors: FieldErrorList([
                .invalid(FieldPath("metadata", "namespace"), .string(metadataNamespace),
                         "must match the service account namespace if specified"),
            ]))
        }
        let account = try await objects.get(context.resource, namespace: namespace, name: name).object
        let requestUID = request["metadata"]?["uid"]?.stringValue ?? ""
        if !requestUID.isEmpty, requestUID != account.uid {
            throw APIError.conflict(GroupResource(group: "authentication.k8s.io", resource: "TokenRequest"), name: name,
                message: "the UID in the token request (\(requestUID)) does not match the UID of the service account (\(account.uid))")
        }
        var audiences = Self.strings(request["spec"]?["audiences"])
        if audiences.isEmpty { audiences = settings.signer.audiences }
        let expirationSeconds = request["spec"]?["expirationSeconds"]?.integerValue ?? Self.defaultTokenExpirationSeconds
        let now = clock()

        var errors = FieldErrorList()
        if expirationSeconds < Self.minimumTokenExpirationSeconds {
            errors.append(.invalid(FieldPath("spec", "expirationSeconds"), .integer(expirationSeconds),
                                   "may not specify a duration less than 10 minutes"))
        }
        if expirationSeconds > 1 << 32 {
            errors.append(.invalid(FieldPath("spec", "expirationSeconds"), .integer(expirationSeconds),
                                   "may not specify a duration larger than 2^32 seconds"))
        }
        if !errors.isEmpty { throw APIError.invalid(Self.tokenRequestKind, name: "", errors: errors) }

        let binding = try await boundObjects(request["spec"]?["boundObjectRef"], serviceAccount: name,
                                             namespace: namespace)
        var lifetime = expirationSeconds
        var warnAfter: Int64?
        if binding.pod != nil, expirationSeconds == Self.projectedTokenExpirationSeconds,
           audiences.allSatisfy({ settings.signer.audiences.contains($0) }) {
            warnAfter = expirationSeconds
            lifetime = Self.extendedTokenExpirationSeconds
        }
        let claims = ServiceAccountTokenClaims.make(
            issuer: settings.signer.issuer, audiences: audiences, namespace: namespace,
            serviceAccount: .init(name: name, uid: account.uid), now: now, expirationSeconds: lifetime,
            pod: binding.pod, secret: binding.secret, node: binding.node, warnAfterSeconds: warnAfter)
        let token = try settings.signer.sign(claims)

        request.set(["apiVersion"], "authentication.k8s.io/v1")
        request.set(["kind"], "TokenRequest")
        request.set(["metadata", "name"], .string(name))
        request.set(["metadata", "namespace"], .string(namespace))
        request.set(["metadata", "uid"], .string(account.uid))
        request.set(["metadata", "creationTimestamp"], .string(RFC3339Time(now).description))
        request.set(["spec", "audiences"], .array(audiences.map { .string($0) }))
        request.set(["spec", "expirationSeconds"], .integer(expirationSeconds))
        if request["spec"]?["boundObjectRef"] == nil { request.set(["spec", "boundObjectRef"], .null) }
        request.set(["status"], [
            "token": .string(token),
            "expirationTimestamp": .string(RFC3339Time(now.addingTimeInterval(TimeInterval(expirationSeconds))).description),
        ])
        logger.debug("Issued service account token", metadata: [
            "namespace": "\(namespace)", "serviceaccount": "\(name)", "jti": "\(claims.id)",
        ])
        return .json(request, status: 201)
    }

    /// The request body as JSON (kubectl's typed client sends protobuf).
    private func decodeTokenRequest(_ context: RequestContext) throws -> JSONValue {
        let body: JSONValue
        if context.request.contentType.hasPrefix(ProtobufRequestBody.mediaType) {
            body = try ProtobufRequestBody.decode(context.request.body, typeName: "TokenRequest")
        } else if context.request.body.isEmpty {
            body = .object([:])
        } else {
            body = try decodeSubresourceBody(context, kind: "TokenRequest")
        }
        if let apiVersion = body["apiVersion"]?.stringValue, !apiVersion.isEmpty, apiVersion != "authentication.k8s.io/v1" {
            throw APIError.badRequest(
                "the API version in the data (\(apiVersion)) does not match the expected API version (authentication.k8s.io/v1)")
        }
        return body
    }

    /// The pod, secret or node a token is bound to, looked up as upstream does; the pod's node (when it has
    /// one) is recorded too.
    private func boundObjects(_ reference: JSONValue?, serviceAccount: String, namespace: String) async throws
        -> (pod: ServiceAccountTokenClaims.ObjectRef?, secret: ServiceAccountTokenClaims.ObjectRef?,
            node: ServiceAccountTokenClaims.ObjectRef?)
    {
        guard let reference, case .object = reference else { return (nil, nil, nil) }
        let kind = reference["kind"]?.stringValue ?? ""
        let apiVersion = reference["apiVersion"]?.stringValue ?? ""
        let name = reference["name"]?.stringValue ?? ""
        let wantedUID = reference["uid"]?.stringValue ?? ""
        let group = apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
        let version = apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[1]) : apiVersion
        var result: (pod: ServiceAccountTokenClaims.ObjectRef?, secret: ServiceAccountTokenClaims.ObjectRef?,
                     node: ServiceAccountTokenClaims.ObjectRef?) = (nil, nil, nil)
        let uid: String
        switch (group, kind) {
        case ("", "Pod"):
            let pod = try await getCore("pods", namespace: namespace, name: name)
            let podAccount = pod["spec"]?["serviceAccountName"]?.stringValue ?? ""
            if podAccount != serviceAccount {
                throw APIError.badRequest(
                    "cannot bind token for serviceaccount \"\(serviceAccount)\" to pod running with different serviceaccount name.")
            }
            uid = pod.uid
            result.pod = .init(name: name, uid: uid)
            if let nodeName = pod["spec"]?["nodeName"]?.stringValue, !nodeName.isEmpty {
                let node = try? await getCore("nodes", namespace: nil, name: nodeName)
                result.node = .init(name: nodeName, uid: node?.uid ?? "")
            }
        case ("", "Node"):
            let node = try await getCore("nodes", namespace: nil, name: name)
            uid = node.uid
            result.node = .init(name: name, uid: uid)
        case ("", "Secret"):
            let secret = try await getCore("secrets", namespace: namespace, name: name)
            uid = secret.uid
            result.secret = .init(name: name, uid: uid)
        default:
            throw APIError.badRequest("cannot bind token to object of type \(group)/\(version), Kind=\(kind)")
        }
        if !wantedUID.isEmpty, wantedUID != uid {
            throw APIError.conflict(GroupResource(group: group, resource: kind), name: name,
                message: "the UID in the bound object reference (\(wantedUID)) does not match the UID in record. The object might have been deleted and then recreated")
        }
        return result
    }

    /// A core object by plural name; 404 as the API would answer when it does not exist.
    func getCore(_ plural: String, namespace: String?, name: String) async throws -> JSONValue {
        guard let resource = catalog.resource(group: "", version: "v1", plural: plural) else { throw Self.notFound }
        return try await objects.get(resource, namespace: namespace, name: name).object
    }

    static func strings(_ value: JSONValue?) -> [String] {
        guard case .array(let items)? = value else { return [] }
        return items.compactMap(\.stringValue)
    }
}
