public import Foundation
public import KubeAPI
public import KubeCore

/// The pure half of upstream `syncDeployment`: from a Deployment, the ReplicaSets and pods of its
/// namespace and `now`, the ordered API writes and events one sync makes (claims, the new ReplicaSet,
/// scaling, cleanup, status), assuming each write succeeds. The shell performs them in order and stops
/// at the first failure, as upstream returns at its first error.
///
/// Stateless; Sendable.
public enum DeploymentSync {
    /// One write or event of a sync.
    public enum Action: Sendable, Equatable {
        /// Add the Deployment's controller reference to an orphan ReplicaSet it selects.
        case adoptReplicaSet(ReplicaSet)
        /// Remove the Deployment's reference from a ReplicaSet it no longer selects.
        case releaseReplicaSet(ReplicaSet)
        case createReplicaSet(ReplicaSet)
        /// A full update of the ReplicaSet (its replicas, annotations, minReadySeconds).
        case updateReplicaSet(ReplicaSet)
        case deleteReplicaSet(ReplicaSet)
        /// A write of the Deployment's status subresource (upstream also carries the revision annotation here).
        case updateStatus(Deployment)
        case event(Event)
    }

    /// An event about the Deployment.
    public struct Event: Sendable, Equatable {
        public var type: String
        public var reason: String
        public var message: String

        public init(type: String, reason: String, message: String) {
            self.type = type
            self.reason = reason
            self.message = message
        }
    }

    /// When to look at the Deployment again although nothing changed.
    public enum Requeue: Sendable, Equatable {
        case after(Duration)
        /// At once, through the rate limiter (upstream `enqueueRateLimited`).
        case rateLimited
    }

    /// What one sync does.
    public struct Plan: Sendable, Equatable {
        public var actions: [Action] = []
        public var requeue: Requeue?
        /// Set when upstream would return an error without writing (an unknown strategy type).
        public var failure: String?

        public init() {}
    }

    public static let controllerKind = (apiVersion: "apps/v1", kind: "Deployment")

    /// Plans one sync of `deployment`.
    ///
    /// - Parameters:
    ///   - replicaSets: every ReplicaSet in the Deployment's namespace (claims are decided here).
    ///   - pods: every pod in the Deployment's namespace (Recreate waits until old pods are gone).
    public static func plan(deployment: Deployment, replicaSets: [ReplicaSet], pods: [Pod], now: Date) -> Plan {
        var planner = DeploymentSyncPlanner(deployment: deployment, now: now)
        planner.run(replicaSets: replicaSets, pods: pods)
        return planner.plan
    }

    /// Upstream's handling of a failed ReplicaSet create (not AlreadyExists): the Deployment with a
    /// `ReplicaSetCreateError` Progressing condition to write (nil without a progress deadline), and the
    /// warning event.
    public static func replicaSetCreationFailed(deployment: Deployment, replicaSetName: String, error: String,
                                                now: Date) -> (status: Deployment?, event: Event)
    {
        let message = "Failed to create new replica set \(GoQuote.quote(replicaSetName)): \(error)"
        var updated: Deployment?
        if deployment.hasProgressDeadline {
            var copy = deployment
            DeploymentConditions.set(
                DeploymentConditions.make(DeploymentConditions.progressing, status: "False",
                                          reason: DeploymentConditions.failedReplicaSetCreateReason,
                                          message: message, now: now),
                in: &copy.status)
            updated = copy
        }
        return (updated, Event(type: "Warning", reason: DeploymentConditions.failedReplicaSetCreateReason,
                               message: message))
    }

    /// Upstream's hash-collision handling: the name is taken by a ReplicaSet that is not this
    /// Deployment's new one, so `collisionCount` goes up and the next sync tries another name.
    public static func collisionStatus(deployment: Deployment) -> Deployment {
        var copy = deployment
        copy.status.collisionCount = (copy.status.collisionCount ?? 0) &+ 1
        return copy
    }

    /// True when an existing ReplicaSet with the new ReplicaSet's name is the Deployment's new one.
    public static func isOwnNewReplicaSet(_ existing: ReplicaSet, deployment: Deployment) -> Bool {
        ControllerReference.isControlled(existing.metadata, byUID: deployment.metadata.uid)
            && PodTemplateHash.equalIgnoringHash(deployment.spec.template, existing.spec.template)
    }
}

/// Go's `%q` for the plain names and messages the controller quotes.
enum GoQuote {
    static func quote(_ text: String) -> String { GoQuoting.quote(text) }
}
