public import Foundation
public import KubeAPI

/// Where the kubelet reads the API objects a pod's volumes and environment are made from: ConfigMaps,
/// Secrets and service-account tokens (TokenRequest). `nil` means the object does not exist (which an
/// `optional` reference tolerates); any other failure throws.
///
/// Implementations must be safe to call concurrently.
public protocol PodObjectSource: Sendable {
    func configMap(namespace: String, name: String) async throws -> ConfigMap?
    func secret(namespace: String, name: String) async throws -> Secret?
    /// A token for the service account, bound to the pod (a TokenRequest with `boundObjectRef` Pod).
    func serviceAccountToken(namespace: String, serviceAccountName: String, audiences: [String],
                             expirationSeconds: Int64?, podName: String, podUID: String) async throws
        -> ServiceAccountToken
}

/// A token issued for a service account, and when it expires.
///
/// Value type; Sendable.
public struct ServiceAccountToken: Sendable, Equatable {
    public var token: String
    public var expirationTimestamp: Date

    public init(token: String, expirationTimestamp: Date) {
        self.token = token
        self.expirationTimestamp = expirationTimestamp
    }
}
