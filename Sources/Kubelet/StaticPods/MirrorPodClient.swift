import KubeCore
public import KubeAPI
public import KubeClient

/// What the static pod manager and writer need from the API for mirror pods.
///
/// Implementations are Sendable and safe to call concurrently.
public protocol MirrorPodClient: Sendable {
    /// The pod named `name` in `namespace`, or nil.
    func pod(namespace: String, name: String) async throws -> Pod?
    func create(_ pod: Pod) async throws
    /// Deletes at once (grace 0), only if the pod still has `uid`; a missing pod is not an error.
    func delete(namespace: String, name: String, uid: String) async throws
    func updateStatus(_ pod: Pod) async throws
    /// The UID of this node's Node object.
    func nodeUID(nodeName: String) async throws -> String
    /// Mirror pods bound to this node as last seen (to remove those of static pods that are gone).
    func mirrorPodsOnNode() -> [Pod]
}

/// `MirrorPodClient` over the API client; `listPods` returns the node's pods from an informer cache.
///
/// Sendable; the client is thread-safe.
public struct APIMirrorPodClient: MirrorPodClient {
    let client: APIClient
    let listPods: @Sendable () -> [Pod]

    public init(client: APIClient, listPods: @escaping @Sendable () -> [Pod]) {
        self.client = client
        self.listPods = listPods
    }

    public func pod(namespace: String, name: String) async throws -> Pod? {
        try await client.getIfPresent(Pod.self, namespace: namespace, name: name)
    }

    public func create(_ pod: Pod) async throws {
        _ = try await client.create(pod)
    }

    public func delete(namespace: String, name: String, uid: String) async throws {
        let options = DeleteOptions(gracePeriodSeconds: 0, preconditions: .init(uid: uid))
        do {
            try await client.delete(Pod.self, namespace: namespace, name: name, options: options)
        } catch let error as APIError where error.reason == .notFound || error.reason == .conflict {
            return
        }
    }

    public func updateStatus(_ pod: Pod) async throws {
        _ = try await client.updateStatus(pod)
    }

    public func nodeUID(nodeName: String) async throws -> String {
        try await client.get(Node.self, name: nodeName).metadata.uid
    }

    public func mirrorPodsOnNode() -> [Pod] {
        listPods().filter(StaticPodAnnotations.isMirror)
    }
}
