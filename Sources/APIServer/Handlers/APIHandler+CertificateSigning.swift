import Foundation
import KubeCore
import KubeSecurity

/// CertificateSigningRequests: the requester's identity stamped on create, the `approval` subresource
/// (`kubectl certificate approve|deny`), and the built-in `kubernetes.io/kube-apiserver-client` signer, which
/// signs an approved request with the cluster CA at once (upstream's csrsigning controller, done in-process).
extension APIHandler {
    static let clientSignerName = "kubernetes.io/kube-apiserver-client"
    static let clientUsages: Set<String> = ["client auth", "digital signature", "key encipherment"]

    /// On create: `spec.username`/`uid`/`groups`/`extra` are the requester's (whatever the body said), the
    /// status starts empty, and the request's own signature must verify.
    func prepareCertificateRequest(_ object: inout JSONValue, user: UserInfo) throws {
        object.set(["spec", "username"], .string(user.name))
        object.set(["spec", "uid"], user.uid.isEmpty ? nil : .string(user.uid))
        object.set(["spec", "groups"], user.groups.isEmpty ? nil : .array(user.groups.map { .string($0) }))
        object.set(["spec", "extra"], user.extra.isEmpty ? nil : .object(user.extra.mapValues { .array($0.map { .string($0) }) }))
        object.set(["status"], .object([:]))
        guard let request = Self.requestPEM(object) else { return }  // validation reports a missing or bad PEM
        do {
            _ = try CertificateRequestSigner.requestedIdentity(pem: request)
        } catch .badSignature {
            throw APIError.invalid(GroupKind(group: "certificates.k8s.io", kind: "CertificateSigningRequest"),
                                   name: object.name, errors: [
                .invalid(FieldPath("spec", "request"), .raw("[]byte{...}"), "x509: ECDSA verification failure"),
            ])
        } catch {
            return  // not parseable: the kind's validation says so in upstream's words
        }
    }

    /// The PEM text of `spec.request` (base64 in JSON).
    static func requestPEM(_ object: JSONValue) -> String? {
        guard let encoded = object["spec"]?["request"]?.stringValue, let data = Data(base64Encoded: encoded) else {
            return nil
        }
        return String(data: data, encoding: .utf8)
    }

    /// PUT `.../certificatesigningrequests/NAME/approval`: only `status.conditions` changes; the approver needs
    /// `approve` on the signer (`signers` in certificates.k8s.io, by name). An approval for the client signer
    /// is signed in the same write.
    func approveCertificateRequest(_ context: RequestContext) async throws -> APIResponse {
        try checkDryRun(context)
        let (body, _) = try decodeBody(context)
        if !body.name.isEmpty, body.name != context.name {
            throw APIError.badRequest("the name of the object (\(body.name)) does not match the name on the URL (\(context.name!))")
        }
        let conditions = body["status"]?["conditions"] ?? .array([])
        let now = RFC3339Time(clock()).description
        let current = try await objects.get(context.resource, namespace: nil, name: context.name!).object
        let signerName = current["spec"]?["signerName"]?.stringValue ?? ""
        try await requireApprover(context, signerName: signerName)
        let result = try await guaranteedUpdate(context, precondition: body.resourceVersion) { current in
            var updated = current
            var stamped: [JSONValue] = []
            if case .array(let items) = conditions {
                for var condition in items {
                    if condition["lastUpdateTime"] == nil { condition.set(["lastUpdateTime"], .string(now)) }
                    if condition["lastTransitionTime"] == nil { condition.set(["lastTransitionTime"], .string(now)) }
                    stamped.append(condition)
                }
            }
            updated.set(["status", "conditions"], .array(stamped))
            try signIfApproved(&updated, now: now)
            return updated
        }
        return .json(result.object)
    }

    private func requireApprover(_ context: RequestContext, signerName: String) async throws {
        let attributes = AuthorizationAttributes(
            user: context.request.user, verb: "approve", isResourceRequest: true, apiGroup: "certificates.k8s.io",
            resource: "signers", name: signerName)
        var allowed = Self.allows(await security.authorizer.authorize(attributes))
        if !allowed, let slash = signerName.firstIndex(of: "/") {
            var wildcard = attributes
            wildcard.name = String(signerName[..<slash]) + "/*"
            allowed = Self.allows(await security.authorizer.authorize(wildcard))
        }
        if !allowed {
            throw APIError.forbidden(context.resource.groupResource, name: context.name!,
                                     reason: "user not permitted to approve requests with signerName \"\(signerName)\"")
        }
    }

    private static func allows(_ decision: AuthorizationDecision) -> Bool {
        if case .allow = decision { return true }
        return false
    }

    /// For an approved, not yet signed request to the client signer: the certificate, or a `Failed` condition
    /// saying why it cannot be signed.
    private func signIfApproved(_ csr: inout JSONValue, now: String) throws {
        guard let signer = certificateSigner,
              csr["spec"]?["signerName"]?.stringValue == Self.clientSignerName,
              csr["status"]?["certificate"] == nil,
              case .array(let conditions)? = csr["status"]?["conditions"],
              conditions.contains(where: { $0["type"]?.stringValue == "Approved" && $0["status"]?.stringValue == "True" }),
              !conditions.contains(where: { ["Denied", "Failed"].contains($0["type"]?.stringValue ?? "") })
        else { return }
        var usages: [String] = []
        if case .array(let items)? = csr["spec"]?["usages"] { usages = items.compactMap(\.stringValue) }
        var failure: String?
        if !usages.contains("client auth") || !Set(usages).isSubset(of: Self.clientUsages) {
            failure = "invalid usage for client certificate: \(usages.filter { !Self.clientUsages.contains($0) }.joined(separator: ","))"
        }
        var certificate: String?
        if failure == nil, let pem = Self.requestPEM(csr) {
            let seconds = csr["spec"]?["expirationSeconds"]?.integerValue.map { TimeInterval($0) }
            do {
                certificate = try signer.sign(pem: pem, duration: seconds, now: clock())
            } catch {
                failure = "\(error)"
            }
        }
        if let certificate {
            csr.set(["status", "certificate"], .string(Data(certificate.utf8).base64EncodedString()))
        } else {
            csr.set(["status", "conditions"], .array(conditions + [[
                "type": "Failed", "status": "True", "reason": "SignerValidationFailure",
                "message": .string(failure ?? "the request could not be signed"),
                "lastUpdateTime": .string(now), "lastTransitionTime": .string(now),
            ]]))
        }
    }
}
