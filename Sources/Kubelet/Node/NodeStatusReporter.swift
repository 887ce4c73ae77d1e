public import Foundation
public import KubeAPI
public import KubeClient
import KubeCore
public import Logging

/// Registers this node with the API server and keeps it alive: renews its Lease every `leaseRenewInterval`
/// and writes its status (conditions, capacity, images) when something changed or every
/// `statusReportInterval`, the way the kubelet's node status manager and lease controller do.
///
/// An actor; `run()` loops until cancelled.
public actor NodeStatusReporter {
    public struct Settings: Sendable {
        public var nodeName: String
        public var podCIDR: String
        public var nodeIP: String
        public var dataDirectory: String
        public var maxPods: Int = 110
        public var leaseDurationSeconds: Int32 = 40
        public var leaseRenewInterval: Duration = .seconds(10)
        public var statusCheckInterval: Duration = .seconds(10)
        public var statusReportInterval: Duration = .seconds(60)

        public init(nodeName: String, podCIDR: String, nodeIP: String, dataDirectory: String) {
            self.nodeName = nodeName
            self.podCIDR = podCIDR
            self.nodeIP = nodeIP
            self.dataDirectory = dataDirectory
        }
    }

    private let settings: Settings
    private let client: APIClient
    private let images: @Sendable () -> [ContainerImage]
    private let logger: Logger
    private let facts: HostFacts
    private var nodeUID = ""
    private var lease: Lease?
    private var lastStatus: NodeStatus?
    private var lastStatusWrite = ContinuousClock.now

    public init(settings: Settings, client: APIClient, images: @escaping @Sendable () -> [ContainerImage],
                logger: Logger) {
        self.settings = settings
        self.client = client
        self.images = images
        self.logger = logger
        self.facts = HostFacts.read(dataDirectory: settings.dataDirectory)
    }

    /// Creates the Node (or refreshes an existing one's status) and its Lease.
    public func register() async throws {
        let node = NodeObjects.node(name: settings.nodeName, podCIDR: settings.podCIDR, facts: facts,
                                    nodeIP: settings.nodeIP, maxPods: settings.maxPods, images: images(), now: Date())
        do {
            let created = try await client.create(node)
            nodeUID = created.metadata.uid
            lastStatus = created.status
            logger.info("Node registered", metadata: ["node": "\(settings.nodeName)"])
        } catch let error as APIError where error.reason == .alreadyExists {
            var existing = try await client.get(Node.self, name: settings.nodeName)
            if existing.spec.podCIDR.isEmpty, !settings.podCIDR.isEmpty {
                existing.spec.podCIDR = settings.podCIDR
                existing.spec.podCIDRs = [settings.podCIDR]
                existing = try await client.update(existing)
            }
            existing.status = NodeObjects.status(
                name: settings.nodeName, facts: facts, nodeIP: settings.nodeIP, maxPods: settings.maxPods,
                images: images(), conditions: NodeObjects.conditions(
                    pressure: NodePressure.measure(dataDirectory: settings.dataDirectory), now: Date(),
                    previous: existing.status.conditions))
            let updated = try await client.updateStatus(existing)
            nodeUID = updated.metadata.uid
            lastStatus = updated.status
            logger.info("Node re-registered", metadata: ["node": "\(settings.nodeName)"])
        }
        lastStatusWrite = .now
        try await renewLease()
    }

    /// Renews the lease and reports status until cancelled; failures are logged and retried.
    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await self.leaseLoop() }
            group.addTask { try await self.statusLoop() }
        }
    }

    private func leaseLoop() async throws {
        while true {
            try await Task.sleep(for: settings.leaseRenewInterval)
            do {
                try await renewLease()
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.warning("Node lease renewal failed", metadata: ["error": "\(error)"])
            }
        }
    }

    private func statusLoop() async throws {
        while true {
            try await Task.sleep(for: settings.statusCheckInterval)
            do {
                try await reportStatusIfNeeded()
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.warning("Node status update failed", metadata: ["error": "\(error)"])
            }
        }
    }

    private func reportStatusIfNeeded() async throws {
        var node = try await client.get(Node.self, name: settings.nodeName)
        let conditions = NodeObjects.conditions(
            pressure: NodePressure.measure(dataDirectory: settings.dataDirectory), now: Date(),
            previous: node.status.conditions)
        let fresh = NodeObjects.status(name: settings.nodeName, facts: facts, nodeIP: settings.nodeIP,
                                       maxPods: settings.maxPods, images: images(), conditions: conditions)
        let changed = !Self.sameExceptHeartbeats(node.status, fresh)
        guard changed || ContinuousClock.now - lastStatusWrite >= settings.statusReportInterval else { return }
        node.status = fresh
        let updated = try await client.updateStatus(node)
        lastStatus = updated.status
        lastStatusWrite = .now
    }

    static func sameExceptHeartbeats(_ lhs: NodeStatus, _ rhs: NodeStatus) -> Bool {
        var left = lhs
        var right = rhs
        for index in left.conditions.indices { left.conditions[index].lastHeartbeatTime = nil }
        for index in right.conditions.indices { right.conditions[index].lastHeartbeatTime = nil }
        return left == right
    }

    private func renewLease() async throws {
        let fresh = NodeObjects.lease(nodeName: settings.nodeName, nodeUID: nodeUID,
                                      durationSeconds: settings.leaseDurationSeconds, now: Date())
        if var known = lease {
            known.spec = fresh.spec
            do {
                lease = try await client.update(known)
                return
            } catch let error as APIError where error.reason == .conflict || error.reason == .notFound {
                lease = nil
            }
        }
        do {
            lease = try await client.create(fresh)
        } catch let error as APIError where error.reason == .alreadyExists {
            var existing = try await client.get(Lease.self, namespace: fresh.metadata.namespace, name: settings.nodeName)
            existing.spec = fresh.spec
            lease = try await client.update(existing)
        }
    }
}
