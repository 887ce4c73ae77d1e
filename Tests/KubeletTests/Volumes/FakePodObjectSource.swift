import Foundation
import KubeAPI
import KubeCore
import Kubelet
import Synchronization

/// In-memory ``PodObjectSource`` for tests: ConfigMaps and Secrets by `namespace/name`, tokens numbered
/// `token-1`, `token-2`, … in request order, and a record of token requests.
///
/// Sendable; internally locked.
final class FakePodObjectSource: PodObjectSource {
    private struct State {
        var configMaps: [String: ConfigMap] = [:]
        var secrets: [String: Secret] = [:]
        var tokenRequests: [TokenCall] = []
        var failing: String?
    }

    struct TokenCall: Equatable {
        var namespace: String
        var serviceAccountName: String
        var audiences: [String]
        var expirationSeconds: Int64?
        var podName: String
        var podUID: String
    }

    private let state = Mutex(State())
    let tokenLifetime: TimeInterval
    let clock: @Sendable () -> Date

    init(tokenLifetime: TimeInterval = 3600, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.tokenLifetime = tokenLifetime
        self.clock = clock
    }

    func put(_ configMap: ConfigMap) {
        state.withLock { $0.configMaps[configMap.metadata.namespace + "/" + configMap.metadata.name] = configMap }
    }

    func put(_ secret: Secret) {
        state.withLock { $0.secrets[secret.metadata.namespace + "/" + secret.metadata.name] = secret }
    }

    func putConfigMap(_ namespace: String, _ name: String, _ data: [String: String]) {
        put(ConfigMap(metadata: ObjectMeta(name: name, namespace: namespace), data: data))
    }

    func putSecret(_ namespace: String, _ name: String, _ data: [String: String]) {
        put(Secret(metadata: ObjectMeta(name: name, namespace: namespace), data: data.mapValues { Array($0.utf8) }))
    }

    /// Makes every call fail with this message (an unreachable API server).
    func failAll(_ message: String?) {
        state.withLock { $0.failing = message }
    }

    var tokenCalls: [TokenCall] { state.withLock { $0.tokenRequests } }

    func configMap(namespace: String, name: String) async throws -> ConfigMap? {
        try state.withLock { state in
            if let failing = state.failing { throw FakeFailure(message: failing) }
            return state.configMaps[namespace + "/" + name]
        }
    }

    func secret(namespace: String, name: String) async throws -> Secret? {
        try state.withLock { state in
            if let failing = state.failing { throw FakeFailure(message: failing) }
            return state.secrets[namespace + "/" + name]
        }
    }

    func serviceAccountToken(namespace: String, serviceAccountName: String, audiences: [String],
                             expirationSeconds: Int64?, podName: String, podUID: String) async throws
        -> ServiceAccountToken
    {
        let count = try state.withLock { state in
            if let failing = state.failing { throw FakeFailure(message: failing) }
            state.tokenRequests.append(TokenCall(
                namespace: namespace, serviceAccountName: serviceAccountName, audiences: audiences,
                expirationSeconds: expirationSeconds, podName: podName, podUID: podUID))
            return state.tokenRequests.count
        }
        return ServiceAccountToken(token: "token-\(count)", expirationTimestamp: clock().addingTimeInterval(tokenLifetime))
    }
}

struct FakeFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
