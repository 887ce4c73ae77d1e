public import Foundation
public import KubeAPI
import KubeCore
public import Logging
import Synchronization

/// Where the static pod manager starts, updates and stops pod workers (the node's `PodWorkerRegistry`).
public protocol StaticPodWorkers: Sendable {
    /// Starts a worker for a new pod or hands an existing one its latest version (a deletion timestamp makes
    /// the worker stop the pod).
    func podChanged(_ pod: Pod) async
    /// The UIDs of pods whose worker is still running (a removed static pod's until it has stopped).
    var activeUIDs: Set<String> { get }
}

extension PodWorkerRegistry: StaticPodWorkers {}

/// Runs the static pods of this node: rescans its manifest source, starts a pod worker for each new pod,
/// replaces a pod whose manifest changed, stops one whose manifest is gone, and keeps a mirror pod in the
/// API for each (recreating it when someone deletes it, deleting mirrors of pods that are gone).
///
/// Thread-safe (mutexes guard the configured pods); Sendable. `run()` once; `mirrorPodChanged()` and
/// `syncOnce(now:)` from anywhere.
public final class StaticPodManager: Sendable {
    private let nodeName: String
    private let read: @Sendable (Date) async -> [Pod]
    private let pollInterval: Duration
    private let workers: any StaticPodWorkers
    private let mirrors: any MirrorPodClient
    private let writer: StaticPodStatusWriter?
    private let logger: Logger
    private let configured = Mutex<[Pod]>([])
    private let nodeUID = Mutex<String?>(nil)
    private let wakeSignal = WakeSignal()
    private let firstScan = Mutex<(done: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))
    private let syncing = Mutex(false)

    /// `read` returns the static pods the source describes now (it is called every `pollInterval` and on
    /// every mirror pod event).
    public init(nodeName: String, read: @escaping @Sendable (Date) async -> [Pod], pollInterval: Duration,
                workers: any StaticPodWorkers, mirrors: any MirrorPodClient, writer: StaticPodStatusWriter?,
                logger: Logger) {
        self.nodeName = nodeName
        self.read = read
        self.pollInterval = pollInterval
        self.workers = workers
        self.mirrors = mirrors
        self.writer = writer
        self.logger = logger
    }

    /// The static pods running now.
    public var staticPods: [Pod] { configured.withLock { $0 } }

    /// A mirror pod changed or went away in the API: look again soon.
    public func mirrorPodChanged() { wakeSignal.signal() }

    /// Returns once the first scan has handed its pods to the workers.
    public func waitForFirstScan() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = firstScan.withLock { state -> Bool in
                if state.done { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    public func run() async {
        while !Task.isCancelled {
            await syncOnce(now: Date())
            let interval = pollInterval
            let signal = wakeSignal
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await signal.wait() }
                group.addTask { try? await Task.sleep(for: interval) }
                await group.next()
                group.cancelAll()
            }
        }
    }

    /// One pass: rescan, update the workers, then make the mirror pods match.
    public func syncOnce(now: Date) async {
        let desired = await read(now)
        let current = configured.withLock { $0 }
        let changes = StaticPodChanges.between(current: current, desired: desired)
        var next = current
        if !changes.isEmpty {
            let goneUIDs = Set(changes.removed.map(\.metadata.uid) + changes.replaced.map(\.old.metadata.uid))
            next.removeAll { goneUIDs.contains($0.metadata.uid) }
            next.append(contentsOf: changes.added + changes.replaced.map(\.new))
            configured.withLock { $0 = next }
        }
        writer?.setConfigured(Set(next.map(\.metadata.uid)))
        for pod in changes.removed + changes.replaced.map(\.old) {
            logger.info("Stopping a static pod whose manifest is gone or changed",
                        metadata: ["pod": "\(StaticPodChanges.fullName(pod))", "uid": "\(pod.metadata.uid)"])
            await workers.podChanged(Self.markedForDeletion(pod, now: now))
        }
        for pod in changes.added + changes.replaced.map(\.new) {
            logger.info("Starting a static pod",
                        metadata: ["pod": "\(StaticPodChanges.fullName(pod))", "uid": "\(pod.metadata.uid)"])
            await workers.podChanged(pod)
        }
        let waiters = firstScan.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.done = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
        await syncMirrors(configured: next)
    }

    /// The pod as its worker should see it once its manifest is gone: deleted now, with its grace period.
    static func markedForDeletion(_ pod: Pod, now: Date) -> Pod {
        var deleted = pod
        deleted.metadata.deletionTimestamp = RFC3339Time(now)
        deleted.metadata.deletionGracePeriodSeconds = pod.spec.terminationGracePeriodSeconds ?? 30
        return deleted
    }

    // MARK: Mirror pods

    private func syncMirrors(configured pods: [Pod]) async {
        let cached = mirrors.mirrorPodsOnNode()
        for pod in pods {
            if cached.contains(where: { $0.metadata.name == pod.metadata.name
                && $0.metadata.namespace == pod.metadata.namespace
                && $0.metadata.deletionTimestamp == nil && StaticPodAnnotations.isMirror($0, of: pod) }) {
                continue
            }
            await ensureMirror(of: pod)
        }
        for mirror in cached where !pods.contains(where: {
            $0.metadata.name == mirror.metadata.name && $0.metadata.namespace == mirror.metadata.namespace
                && StaticPodAnnotations.isMirror(mirror, of: $0)
        }) {
            // A mirror whose static pod is gone or changed (a current one has the same name: ensureMirror
            // already replaced it).
            if pods.contains(where: { StaticPodChanges.fullName($0) == StaticPodChanges.fullName(mirror) }) {
                continue
            }
            // A pod still stopping keeps its mirror; its worker deletes it when done (StaticPodStatusWriter).
            if let hash = mirror.metadata.annotations[StaticPodAnnotations.mirror], workers.activeUIDs.contains(hash) {
                continue
            }
            logger.info("Deleting the mirror pod of a static pod that is gone",
                        metadata: ["pod": "\(StaticPodChanges.fullName(mirror))"])
            do {
                try await mirrors.delete(namespace: mirror.metadata.namespace, name: mirror.metadata.name,
                                         uid: mirror.metadata.uid)
            } catch {
                logger.debug("Deleting a mirror pod failed", metadata: ["error": "\(error)"])
            }
        }
    }

    private func ensureMirror(of pod: Pod) async {
        do {
            if let existing = try await mirrors.pod(namespace: pod.metadata.namespace, name: pod.metadata.name) {
                if existing.metadata.deletionTimestamp == nil && StaticPodAnnotations.isMirror(existing, of: pod) {
                    return
                }
                guard StaticPodAnnotations.isMirror(existing) else {
                    logger.warning("An API pod has the name of a static pod; no mirror pod is created",
                                   metadata: ["pod": "\(StaticPodChanges.fullName(pod))"])
                    return
                }
                logger.info("Replacing a deleted or outdated mirror pod",
                            metadata: ["pod": "\(StaticPodChanges.fullName(pod))"])
                try await mirrors.delete(namespace: existing.metadata.namespace, name: existing.metadata.name,
                                         uid: existing.metadata.uid)
            }
            let uid = try await currentNodeUID()
            try await mirrors.create(MirrorPod.of(pod, nodeName: nodeName, nodeUID: uid))
            logger.info("Created a mirror pod", metadata: ["pod": "\(StaticPodChanges.fullName(pod))"])
            await writer?.replayStatus(uid: pod.metadata.uid)
        } catch {
            logger.debug("Mirror pod sync failed; retrying on the next pass",
                         metadata: ["pod": "\(StaticPodChanges.fullName(pod))", "error": "\(error)"])
        }
    }

    private func currentNodeUID() async throws -> String {
        if let uid = nodeUID.withLock({ $0 }) { return uid }
        let uid = try await mirrors.nodeUID(nodeName: nodeName)
        nodeUID.withLock { $0 = uid }
        return uid
    }
}
