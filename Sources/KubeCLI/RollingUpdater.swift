import Foundation
public import KubeAPI
public import KubeClient
import KubeCore

/// What to do with the controllers once a rolling update has moved every replica (upstream
/// `RollingUpdaterCleanupPolicy`).
public enum RollingUpdateCleanupPolicy: String, Sendable {
    /// Delete the old controller.
    case delete = "Delete"
    /// Keep the old controller (at 0 replicas).
    case preserve = "Preserve"
    /// Delete the old controller and recreate the new one under the old name.
    case rename = "Rename"
}

/// One rolling update from `oldController` to `newController` (upstream `RollingUpdaterConfig`).
///
/// Value type; Sendable.
public struct RollingUpdateConfiguration: Sendable {
    public var oldController: ReplicationController
    /// The target controller; created with 0 replicas (and its desired count in an annotation) unless it exists.
    public var newController: ReplicationController
    /// The wait between scaling the new controller up and the old one down.
    public var updatePeriod: Duration
    /// Poll interval while waiting for a controller's status to catch up.
    public var interval: Duration
    /// How long a scale may take, and how long the update may go without progress.
    public var timeout: Duration
    public var cleanupPolicy: RollingUpdateCleanupPolicy
    /// Pods that may be unavailable during the update / created above the desired count (kubectl: 0 and 1).
    public var maxUnavailable: Int32
    public var maxSurge: Int32
    public var minReadySeconds: Int32

    public init(oldController: ReplicationController, newController: ReplicationController,
                updatePeriod: Duration = .seconds(60), interval: Duration = .seconds(3), timeout: Duration = .seconds(300),
                cleanupPolicy: RollingUpdateCleanupPolicy, maxUnavailable: Int32 = 0, maxSurge: Int32 = 1,
                minReadySeconds: Int32 = 0) {
        self.oldController = oldController
        self.newController = newController
        self.updatePeriod = updatePeriod
        self.interval = interval
        self.timeout = timeout
        self.cleanupPolicy = cleanupPolicy
        self.maxUnavailable = maxUnavailable
        self.maxSurge = maxSurge
        self.minReadySeconds = minReadySeconds
    }
}

/// Replaces the pods of one ReplicationController with those of another, one at a time, as
/// `kubectl rolling-update` did until Kubernetes 1.17 (`pkg/kubectl/rolling_updater.go`): the new controller
/// is created at 0 replicas, scaled up while the old one is scaled down, never exceeding `desired + maxSurge`
/// pods nor dropping below `desired - maxUnavailable` ready ones, then the cleanup policy runs.
/// Progress lines go to `output` worded as kubectl printed them.
///
/// Value type; Sendable. All waits go through `clock`; all API calls through `client`.
public struct RollingUpdater: Sendable {
    public let client: APIClient
    public let namespace: String
    public let clock: any RollingUpdateClock
    public let output: @Sendable (String) -> Void

    public init(client: APIClient, namespace: String, clock: any RollingUpdateClock = SystemRollingUpdateClock(),
                output: @escaping @Sendable (String) -> Void) {
        self.client = client
        self.namespace = namespace
        self.clock = clock
        self.output = output
    }

    // MARK: Update

    /// Drives the update to completion (or resumes an interrupted one) and runs the cleanup policy.
    public func update(_ config: RollingUpdateConfiguration) async throws {
        var oldRc = config.oldController
        let sourceID = "\(oldRc.metadata.name):\(oldRc.metadata.uid)"
        var (newRc, existed) = try await getOrCreateTarget(config.newController, sourceID: sourceID)
        output(existed ? "Continuing update with existing controller \(newRc.metadata.name)." : "Created \(newRc.metadata.name)")

        let desiredText = newRc.metadata.annotations[RollingUpdateAnnotations.desiredReplicas] ?? ""
        guard let desired = Int32(desiredText) else {
            throw RollingUpdateError.message("Unable to parse annotation for \(newRc.metadata.name): "
                + "\(RollingUpdateAnnotations.desiredReplicas)=\(desiredText)")
        }
        if oldRc.metadata.annotations[RollingUpdateAnnotations.originalReplicas] == nil {
            let existing = try await client.get(ReplicationController.self, namespace: namespace, name: oldRc.metadata.name)
            let original = String(existing.spec.replicas ?? 0)
            oldRc = try await updateController(existing) { rc in
                rc.metadata.annotations[RollingUpdateAnnotations.originalReplicas] = original
            }
        }
        let maxSurge = config.maxSurge
        var maxUnavailable = config.maxUnavailable
        if desired > 0, maxUnavailable == 0, maxSurge == 0 {
            throw RollingUpdateError.message("one of maxSurge or maxUnavailable must be specified")
        }
        var minAvailable = max(0, desired - maxUnavailable)
        if desired == 0 {
            maxUnavailable = oldRc.spec.replicas ?? 0
            minAvailable = 0
        }
        output("Scaling up \(newRc.metadata.name) from \(newRc.spec.replicas ?? 0) to \(desired), "
            + "scaling down \(oldRc.metadata.name) from \(oldRc.spec.replicas ?? 0) to 0 "
            + "(keep \(minAvailable) pods available, don't exceed \(desired + maxSurge) pods)")

        var progressDeadline = clock.now().addingTimeInterval(config.timeout.timeInterval)
        while (newRc.spec.replicas ?? 0) != desired || (oldRc.spec.replicas ?? 0) != 0 {
            let newReplicas = newRc.spec.replicas ?? 0
            let oldReplicas = oldRc.spec.replicas ?? 0
            newRc = try await scaleUp(newRc, oldRc: oldRc, desired: desired, maxSurge: maxSurge, config: config)
            try await clock.sleep(for: config.updatePeriod)
            oldRc = try await scaleDown(newRc: newRc, oldRc: oldRc, desired: desired, minAvailable: minAvailable,
                                        config: config)
            if (newRc.spec.replicas ?? 0) != newReplicas || (oldRc.spec.replicas ?? 0) != oldReplicas {
                progressDeadline = clock.now().addingTimeInterval(config.timeout.timeInterval)
            } else if clock.now() > progressDeadline {
                throw RollingUpdateError.message("timed out waiting for any update progress to be made")
            }
        }
        try await cleanup(oldRc: oldRc, newRc: newRc, config: config)
    }

    /// Upstream `scaleUp`: as far as the surge limit allows (all the way once the old controller is at 0).
    private func scaleUp(_ newRc: ReplicationController, oldRc: ReplicationController, desired: Int32, maxSurge: Int32,
                         config: RollingUpdateConfiguration) async throws -> ReplicationController {
        let current = newRc.spec.replicas ?? 0
        guard current != desired else { return newRc }
        let oldReplicas = oldRc.spec.replicas ?? 0
        let increment = oldReplicas == 0 ? desired - current : (desired + maxSurge) - (oldReplicas + current)
        guard increment > 0 else { return newRc }
        let target = min(current + increment, desired)
        output("Scaling \(newRc.metadata.name) up to \(target)")
        return try await scaleAndWait(newRc.metadata.name, to: target, config: config)
    }

    /// Upstream `scaleDown`: as far as the ready new pods allow while keeping `minAvailable`.
    private func scaleDown(newRc: ReplicationController, oldRc: ReplicationController, desired: Int32,
                           minAvailable: Int32, config: RollingUpdateConfiguration) async throws -> ReplicationController {
        let oldReplicas = oldRc.spec.replicas ?? 0
        guard oldReplicas != 0 else { return oldRc }
        let newAvailable = try await availablePods(of: newRc, minReadySeconds: config.minReadySeconds)
        let newReplicas = newRc.spec.replicas ?? 0
        let decrement = (oldReplicas + newReplicas) - minAvailable - (newReplicas - newAvailable)
        guard decrement > 0 else { return oldRc }
        var target = max(0, oldReplicas - decrement)
        if newReplicas == desired, newAvailable == desired { target = 0 }
        output("Scaling \(oldRc.metadata.name) down to \(target)")
        return try await scaleAndWait(oldRc.metadata.name, to: target, config: config)
    }

    /// Upstream `Scaler.Scale` with retry and wait: sets `spec.replicas` (retrying conflicts), then waits until
    /// the status reports that many replicas (or someone else changed the target).
    func scaleAndWait(_ name: String, to replicas: Int32, config: RollingUpdateConfiguration) async throws
        -> ReplicationController
    {
        let scaled = try await clock.poll(interval: config.interval, timeout: config.timeout, immediate: true) {
            var rc = try await client.get(ReplicationController.self, namespace: namespace, name: name)
            rc.spec.replicas = replicas
            do {
                _ = try await client.update(rc)
                return true
            } catch let error as APIError where error.reason == .conflict {
                return false
            }
        }
        guard scaled else { throw RollingUpdateError.message("timed out waiting for the condition") }
        let synced = try await clock.poll(interval: config.interval, timeout: config.timeout, immediate: true) {
            let rc = try await client.get(ReplicationController.self, namespace: namespace, name: name)
            let spec = rc.spec.replicas ?? 0
            if spec != replicas { return true }
            return rc.status.replicas == spec
        }
        guard synced else { throw RollingUpdateError.message("timed out waiting for \"\(name)\" to be synced") }
        return try await client.get(ReplicationController.self, namespace: namespace, name: name)
    }

    /// Upstream `readyPods` (new side): pods matching the controller's selector, not being deleted, available.
    func availablePods(of rc: ReplicationController, minReadySeconds: Int32) async throws -> Int32 {
        let selector = rc.spec.selector.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let pods = try await client.list(Pod.self, namespace: namespace, options: ListOptions(labelSelector: selector))
        let now = clock.now()
        return Int32(pods.items.filter { pod in
            pod.metadata.deletionTimestamp == nil && Self.isAvailable(pod, minReadySeconds: minReadySeconds, now: now)
        }.count)
    }

    /// Upstream `podutil.IsPodAvailable`.
    static func isAvailable(_ pod: Pod, minReadySeconds: Int32, now: Date) -> Bool {
        guard let ready = pod.status.conditions.first(where: { $0.type == "Ready" }), ready.status == "True" else {
            return false
        }
        if minReadySeconds == 0 { return true }
        guard let since = ready.lastTransitionTime?.date else { return false }
        return since.addingTimeInterval(TimeInterval(minReadySeconds)) < now
    }

    // MARK: Target controller

    /// Upstream `getOrCreateTargetControllerWithClient`.
    private func getOrCreateTarget(_ controller: ReplicationController, sourceID: String) async throws
        -> (ReplicationController, existed: Bool)
    {
        let existing: ReplicationController?
        if controller.metadata.name.isEmpty && !controller.metadata.generateName.isEmpty {
            existing = nil
        } else {
            existing = try await client.getIfPresent(ReplicationController.self, namespace: namespace,
                                                     name: controller.metadata.name)
        }
        guard let existing else {
            let replicas = controller.spec.replicas ?? 0
            guard replicas > 0 else {
                throw RollingUpdateError.message(
                    "Invalid controller spec for \(controller.metadata.name); required: > 0 replicas, actual: \(replicas)")
            }
            var creating = controller
            creating.metadata.annotations[RollingUpdateAnnotations.desiredReplicas] = String(replicas)
            creating.metadata.annotations[RollingUpdateAnnotations.sourceID] = sourceID
            creating.spec.replicas = 0
            creating.metadata.namespace = namespace
            return (try await client.create(RollingUpdateObjects.forCreate(creating)), false)
        }
        let annotations = existing.metadata.annotations
        guard annotations[RollingUpdateAnnotations.sourceID] == sourceID,
              annotations[RollingUpdateAnnotations.desiredReplicas] != nil else {
            let rendered = "map[" + annotations.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }
                .joined(separator: " ") + "]"
            throw RollingUpdateError.message(
                "Missing/unexpected annotations for controller \(controller.metadata.name), expected \(sourceID) : \(rendered)")
        }
        return (existing, true)
    }

    // MARK: Cleanup

    /// Upstream `cleanupWithClients`.
    private func cleanup(oldRc: ReplicationController, newRc: ReplicationController,
                         config: RollingUpdateConfiguration) async throws {
        let current = try await client.get(ReplicationController.self, namespace: namespace, name: newRc.metadata.name)
        let cleaned = try await updateController(current) { rc in
            rc.metadata.annotations.removeValue(forKey: RollingUpdateAnnotations.sourceID)
            rc.metadata.annotations.removeValue(forKey: RollingUpdateAnnotations.desiredReplicas)
        }
        let desiredGeneration = cleaned.metadata.generation
        let settled = try await clock.poll(interval: config.interval, timeout: config.timeout, immediate: false) {
            let rc = try await client.get(ReplicationController.self, namespace: namespace, name: cleaned.metadata.name)
            return rc.status.observedGeneration >= desiredGeneration && rc.status.replicas == (rc.spec.replicas ?? 0)
        }
        guard settled else { throw RollingUpdateError.message("timed out waiting for the condition") }
        let final = try await client.get(ReplicationController.self, namespace: namespace, name: cleaned.metadata.name)
        switch config.cleanupPolicy {
        case .delete:
            output("Update succeeded. Deleting \(oldRc.metadata.name)")
            try await client.delete(ReplicationController.self, namespace: namespace, name: oldRc.metadata.name)
        case .rename:
            output("Update succeeded. Deleting old controller: \(oldRc.metadata.name)")
            try await client.delete(ReplicationController.self, namespace: namespace, name: oldRc.metadata.name)
            output("Renaming \(final.metadata.name) to \(oldRc.metadata.name)")
            try await rename(final, to: oldRc.metadata.name)
        case .preserve:
            break
        }
    }

    /// Upstream `Rename`: deletes the controller orphaning its pods, waits until it is gone, and creates it
    /// again under `newName` (the new controller adopts the pods, which its selector matches).
    public func rename(_ rc: ReplicationController, to newName: String) async throws {
        let oldName = rc.metadata.name
        do {
            try await client.delete(ReplicationController.self, namespace: namespace, name: oldName,
                                    options: DeleteOptions(propagationPolicy: .orphan))
        } catch let error as APIError where error.reason == .notFound {}
        let gone = try await clock.poll(interval: .seconds(5), timeout: .seconds(60), immediate: false) {
            try await client.getIfPresent(ReplicationController.self, namespace: namespace, name: oldName) == nil
        }
        guard gone else { throw RollingUpdateError.message("timed out waiting for the condition") }
        var renamed = rc
        renamed.metadata.name = newName
        _ = try await client.create(RollingUpdateObjects.forCreate(renamed))
    }

    // MARK: Helpers

    /// Upstream `updateRcWithRetries`: applies `change` and PUTs, re-reading and retrying on conflicts.
    func updateController(_ rc: ReplicationController, _ change: (inout ReplicationController) -> Void) async throws
        -> ReplicationController
    {
        var current = rc
        var attempt = 0
        while true {
            attempt += 1
            change(&current)
            do {
                return try await client.update(current)
            } catch let error as APIError where error.reason == .conflict && attempt < 5 {
                current = try await client.get(ReplicationController.self, namespace: namespace, name: rc.metadata.name)
            }
        }
    }
}
