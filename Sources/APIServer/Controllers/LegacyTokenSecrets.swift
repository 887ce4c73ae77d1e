import Foundation
import KubeCore
import KubeSecurity
import KubeStorage

/// Constants of legacy service-account token Secrets.
///
/// Stateless namespace.
enum LegacyTokenSecrets {
    static let secretType = "kubernetes.io/service-account-token"
    static let nameAnnotation = "kubernetes.io/service-account.name"
    static let uidAnnotation = "kubernetes.io/service-account.uid"
}

/// The legacy token controller (upstream `pkg/controller/serviceaccount/tokens_controller.go`): a Secret of
/// type `kubernetes.io/service-account-token` naming an existing ServiceAccount in its
/// `kubernetes.io/service-account.name` annotation gets the account's uid annotation and `data.token` (a
/// signed token bound to the Secret, without expiry), `data.ca.crt` and `data.namespace`; one naming a missing
/// account is deleted, as are the token Secrets of a deleted account.
extension APIHandler {
    func fillLegacyTokenSecret(_ secret: JSONValue) async throws {
        guard let settings = serviceAccounts, secret["type"]?.stringValue == LegacyTokenSecrets.secretType,
              !secret.isBeingDeleted,
              let secrets = catalog.resource(group: "", version: "v1", plural: "secrets"),
              let accounts = catalog.resource(group: "", version: "v1", plural: "serviceaccounts") else { return }
        let namespace = secret.namespace
        let annotations = secret["metadata"]?["annotations"]
        let accountName = annotations?[LegacyTokenSecrets.nameAnnotation]?.stringValue ?? ""
        let annotatedUID = annotations?[LegacyTokenSecrets.uidAnnotation]?.stringValue ?? ""
        let account = try await objects.getIfPresent(accounts, namespace: namespace, name: accountName)?.object
        guard let account, annotatedUID.isEmpty || annotatedUID == account.uid else {
            let context = controllerContext(secrets, namespace: namespace, name: secret.name, method: "DELETE")
            _ = try? await deleteObject(context, name: secret.name, options: try DeleteOptions(body: .object([:]), context: context))
            return
        }
        let caData = Data(settings.rootCAPEM.utf8).base64EncodedString()
        let namespaceData = Data(namespace.utf8).base64EncodedString()
        let data = secret["data"]
        if annotatedUID == account.uid, !(data?["token"]?.stringValue ?? "").isEmpty,
           data?["ca.crt"]?.stringValue == caData, data?["namespace"]?.stringValue == namespaceData {
            return
        }
        let claims = ServiceAccountTokenClaims.make(
            issuer: settings.signer.issuer, audiences: settings.signer.audiences, namespace: namespace,
            serviceAccount: .init(name: accountName, uid: account.uid), now: clock(), expirationSeconds: nil,
            secret: .init(name: secret.name, uid: secret.uid))
        let token = try settings.signer.sign(claims)
        let context = controllerContext(secrets, namespace: namespace, name: secret.name, method: "PUT")
        _ = try await guaranteedUpdate(context, precondition: "") { latest in
            guard latest.uid == secret.uid else { return latest }
            var filled = latest
            filled.set(["metadata", "annotations", LegacyTokenSecrets.uidAnnotation], .string(account.uid))
            if (latest["data"]?["token"]?.stringValue ?? "").isEmpty {
                filled.set(["data", "token"], .string(Data(token.utf8).base64EncodedString()))
            }
            filled.set(["data", "ca.crt"], .string(caData))
            filled.set(["data", "namespace"], .string(namespaceData))
            return filled
        }
    }

    /// Deletes the token Secrets that belonged to the deleted `account`.
    func deleteLegacyTokenSecrets(of account: JSONValue) async throws {
        guard let secrets = catalog.resource(group: "", version: "v1", plural: "secrets") else { return }
        let listed = try await objects.store.range(.prefix(secrets.keyPrefix(namespace: account.namespace)))
        for kv in listed.kvs {
            let secret = try ObjectStore.decode(kv)
            let annotations = secret["metadata"]?["annotations"]
            guard secret["type"]?.stringValue == LegacyTokenSecrets.secretType,
                  annotations?[LegacyTokenSecrets.nameAnnotation]?.stringValue == account.name else { continue }
            let uid = annotations?[LegacyTokenSecrets.uidAnnotation]?.stringValue ?? ""
            if !uid.isEmpty, uid != account.uid { continue }
            let context = controllerContext(secrets, namespace: account.namespace, name: secret.name, method: "DELETE")
            _ = try? await deleteObject(context, name: secret.name, options: try DeleteOptions(body: .object([:]), context: context))
        }
    }
}
