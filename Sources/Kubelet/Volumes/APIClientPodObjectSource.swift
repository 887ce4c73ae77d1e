public import KubeAPI
public import KubeClient
import KubeCore
import Foundation

/// ``PodObjectSource`` over the API server: GETs of ConfigMaps and Secrets, and POSTs of a TokenRequest to
/// `serviceaccounts/<name>/token` bound to the pod (as upstream's kubelet token manager does).
///
/// Value type; Sendable; safe to call concurrently (the client is).
public struct APIClientPodObjectSource: PodObjectSource {
    public let client: APIClient

    public init(client: APIClient) {
        self.client = client
    }

    public func configMap(namespace: String, name: String) async throws -> ConfigMap? {
        try await client.getIfPresent(ConfigMap.self, namespace: namespace, name: name)
    }

    public func secret(namespace: String, name: String) async throws -> Secret? {
        try await client.getIfPresent(Secret.self, namespace: namespace, name: name)
    }

    public func serviceAccountToken(namespace: String, serviceAccountName: String, audiences: [String],
                                    expirationSeconds: Int64?, podName: String, podUID: String) async throws
        -> ServiceAccountToken
    {
        let request = TokenRequest(
            metadata: ObjectMeta(name: serviceAccountName, namespace: namespace),
            spec: TokenRequestSpec(
                audiences: audiences, expirationSeconds: expirationSeconds,
                boundObjectRef: BoundObjectReference(kind: "Pod", apiVersion: "v1", name: podName, uid: podUID)))
        var body = [UInt8](try KubeJSON.encode(request))
        let header = Array(#"{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","#.utf8)
        body = header + body.dropFirst()
        let response = try await client.postSubresource(
            ServiceAccount.self, namespace: namespace, name: serviceAccountName, subresource: "token", body: body)
        let answer = try KubeJSON.decode(TokenRequest.self, from: Data(response))
        guard !answer.status.token.isEmpty else {
            throw PodObjectSourceError.emptyToken(namespace: namespace, serviceAccountName: serviceAccountName)
        }
        let expiration = answer.status.expirationTimestamp?.date
            ?? Date().addingTimeInterval(TimeInterval(expirationSeconds ?? 3600))
        return ServiceAccountToken(token: answer.status.token, expirationTimestamp: expiration)
    }
}

/// Failures of ``APIClientPodObjectSource`` beyond API errors.
///
/// Value type; Sendable.
public enum PodObjectSourceError: Error, Sendable, Equatable, CustomStringConvertible {
    case emptyToken(namespace: String, serviceAccountName: String)

    public var description: String {
        switch self {
        case .emptyToken(let namespace, let name):
            "the API server answered the token request for service account \(namespace)/\(name) without a token; check the server's service-account signing key"
        }
    }
}
