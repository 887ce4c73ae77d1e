public import APIServer
import Foundation
public import KubeClient
import KubeSecurity
public import KubeStorage
public import Logging

/// A whole Swiftlet control plane inside the calling process: the API server (RBAC on, plain HTTP on a free
/// loopback port, as benchmarks and integration tests need no TLS) over a given store, plus the cluster
/// components, with an admin client for the caller. Used by `swiftlet bench scheduler|deployment`.
///
/// Stateless namespace; `run` owns every task it starts and cancels them before returning.
public enum InProcessCluster {
    /// What the caller's body gets: the handler and a cluster-admin client.
    public struct Handle: Sendable {
        public let handler: APIHandler
        public let admin: APIClient
    }

    public static func run<Result: Sendable>(
        store: any KeyValueStore, configuration: ClusterConfiguration, logger: Logger,
        body: @escaping @Sendable (Handle) async throws -> Result
    ) async throws -> Result {
        let security = RequestSecurity.rbac(
            authentication: AuthenticationChain([ClientCertificateAuthenticator()], allowsAnonymous: false),
            store: store, logger: logger)
        let server = APIServerService(
            store: store, configuration: APIServerConfiguration(bindAddress: "127.0.0.1", port: 0, tls: nil),
            security: security, logger: logger)
        let components = ClusterComponents(handler: server.handler, configuration: configuration, logger: logger)
        let admin = APIClient(
            transport: InProcessTransport(
                handler: server.handler, identity: ClientIdentity(user: "system:admin", groups: ["system:masters"])),
            userAgent: ComponentIdentities.userAgent("swiftlet-bench"))
        let gate = StartupGate()
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                try await server.run { _ in gate.open() }
                return nil
            }
            group.addTask {
                try await components.run(after: gate)
                return nil
            }
            group.addTask {
                await gate.wait()
                return try await body(Handle(handler: server.handler, admin: admin))
            }
            defer { group.cancelAll() }
            while let next = try await group.next() {
                if let result = next { return result }
            }
            throw CancellationError()
        }
    }
}
