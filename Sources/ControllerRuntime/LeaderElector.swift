import Foundation
import KubeAPI
public import KubeClient
import KubeCore
public import Logging
public import ServiceLifecycle

/// Runs `whileLeading` only while this process holds a coordination/v1 Lease (upstream client-go
/// `leaderelection` with a `LeaseLock`): acquires or waits, renews every `retryPeriod`, and cancels
/// `whileLeading` when a renewal has not succeeded for `renewDeadline`, then tries to acquire again. A second
/// server pointed at the same store stands by until the lease expires.
///
/// Sendable; `run()` may be called once.
public struct LeaderElector: ServiceLifecycle.Service {
    public struct Timing: Sendable {
        public var leaseDuration: Duration = .seconds(15)
        public var renewDeadline: Duration = .seconds(10)
        public var retryPeriod: Duration = .seconds(2)

        public init() {}
    }

    public let namespace: String
    public let name: String
    public let identity: String
    let timing: Timing
    let client: APIClient
    let logger: Logger
    let whileLeading: @Sendable () async throws -> Void

    public init(client: APIClient, namespace: String = "kube-system", name: String, identity: String,
                timing: Timing = Timing(), logger: Logger, whileLeading: @escaping @Sendable () async throws -> Void) {
        self.client = client
        self.namespace = namespace
        self.name = name
        self.identity = identity
        self.timing = timing
        self.logger = logger
        self.whileLeading = whileLeading
    }

    public func run() async throws {
        do {
            try await elect()
        } catch {
            // Hand the lease over at once on shutdown (upstream `ReleaseOnCancel`), so a restarted server does
            // not wait for it to expire. The write must outlive this task's cancellation.
            await Task { await release() }.value
            throw error
        }
    }

    /// Gives up the lease if this process holds it: empty holder, one-second duration.
    func release() async {
        guard var lease = try? await client.getIfPresent(Lease.self, namespace: namespace, name: name),
              lease.spec.holderIdentity == identity
        else { return }
        lease.spec.holderIdentity = nil
        lease.spec.leaseDurationSeconds = 1
        lease.spec.renewTime = MicroTime(Date())
        _ = try? await client.update(lease)
        logger.info("Released leadership", metadata: ["lease": "\(namespace)/\(name)"])
    }

    private func elect() async throws {
        while !Task.isCancelled {
            try await acquire()
            logger.info("Became leader", metadata: ["lease": "\(namespace)/\(name)", "identity": "\(identity)"])
            let lost: Bool = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask { try await whileLeading(); return false }
                group.addTask { try await renewUntilLost(); return true }
                let first = try await group.next() ?? false
                group.cancelAll()
                return first
            }
            guard lost else { return }
            logger.warning("Lost leadership", metadata: ["lease": "\(namespace)/\(name)"])
        }
        throw CancellationError()
    }

    /// One acquire-or-renew attempt; true when we hold the lease afterwards.
    func attempt() async throws -> Bool {
        let current = try await client.getIfPresent(Lease.self, namespace: namespace, name: name)
        switch LeaderElectionDecision.decide(current: current, namespace: namespace, name: name, identity: identity,
                                             leaseDuration: timing.leaseDuration, now: Date()) {
        case .wait:
            return false
        case .create(let lease):
            do {
                _ = try await client.create(lease)
                return true
            } catch let error as APIError where error.reason == .alreadyExists {
                return false
            }
        case .update(let lease):
            do {
                _ = try await client.update(lease)
                return true
            } catch let error as APIError where error.reason == .conflict || error.reason == .notFound {
                return false
            }
        }
    }

    private func acquire() async throws {
        while true {
            do {
                if try await attempt() { return }
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.debug("Leader election attempt failed", metadata: ["error": "\(error)"])
            }
            try await Task.sleep(for: timing.retryPeriod)
        }
    }

    private func renewUntilLost() async throws {
        var lastRenew = ContinuousClock.now
        while true {
            try await Task.sleep(for: timing.retryPeriod)
            do {
                if try await attempt() { lastRenew = .now; continue }
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.debug("Lease renewal failed", metadata: ["error": "\(error)"])
            }
            if ContinuousClock.now - lastRenew > timing.renewDeadline { return }
        }
    }
}
