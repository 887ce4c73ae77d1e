import Foundation
import KubeAPI
import KubeClient
import KubeCore
import Logging

/// Deletes everything in a terminating namespace (upstream `namespacedResourcesDeleter`).
///
/// Value type; Sendable; stateless between calls (each call reads the namespace afresh).
struct NamespacedContentDeleter: Sendable {
    /// The finalizer this controller owns in `spec.finalizers`.
    static let finalizerToken = "kubernetes"
    /// Upstream's default wait for content held by finalizers (`finalizerEstimateSeconds`).
    static let finalizerEstimateSeconds: Int64 = 15

    let resources: DynamicResources
    let logger: Logger
    /// The namespaced kinds that can be deleted (upstream: discovery filtered by the `delete` verb).
    var types: [any KubeResource.Type] = APIRegistry.resourceTypes.filter {
        $0.resource.namespaced && $0.resource.verbs.contains("delete")
    }
    var clock: @Sendable () -> Date = { Date() }

    var client: APIClient { resources.client }

    /// One pass over `namespace`; returns the estimated seconds until remaining content is gone (0 when the
    /// namespace is finalized or gone). Throws when some content could not be deleted.
    func delete(namespace name: String) async throws -> Int64 {
        guard var namespace = try await client.getIfPresent(Namespace.self, name: name),
              namespace.metadata.deletionTimestamp != nil
        else { return 0 }
        if namespace.status.phase != "Terminating" {
            guard let updated = try await retryOnConflict(namespace, { current in
                var terminating = current
                terminating.status.phase = "Terminating"
                return try await client.updateStatus(terminating)
            }) else { return 0 }
            namespace = updated
        }
        if namespace.spec.finalizers.isEmpty { return 0 }
        let estimate = try await deleteAllContent(&namespace)
        if estimate > 0 {
            logger.debug("Namespace content remains", metadata: ["namespace": "\(name)", "estimateSeconds": "\(estimate)"])
            return estimate
        }
        _ = try await retryOnConflict(namespace) { current in try await finalize(current) }
        logger.debug("Namespace content removed; finalized", metadata: ["namespace": "\(name)"])
        return 0
    }

    /// Removes ``finalizerToken`` from `spec.finalizers` through the finalize subresource.
    private func finalize(_ namespace: Namespace) async throws -> Namespace? {
        var finalized = namespace
        finalized.spec.finalizers = Array(Set(namespace.spec.finalizers.filter { $0 != Self.finalizerToken })).sorted()
        let encoded = [UInt8](try KubeJSON.encode(finalized))
        let body = Array(#"{"apiVersion":"v1","kind":"Namespace","#.utf8) + encoded.dropFirst()
        do {
            try await resources.put(path: "/api/v1/namespaces/\(namespace.metadata.name)/finalize", object: body)
        } catch let error as APIError where error.reason == .notFound {
            return nil
        }
        return finalized
    }

    /// Runs `update` on the latest namespace until it does not conflict; nil when the namespace is gone.
    private func retryOnConflict(_ namespace: Namespace, _ update: (Namespace) async throws -> Namespace?)
        async throws -> Namespace?
    {
        var latest = namespace
        while true {
            do {
                return try await update(latest)
            } catch let error as APIError where error.reason == .conflict {
                guard let fresh = try await client.getIfPresent(Namespace.self, name: namespace.metadata.name) else {
                    return nil
                }
                if fresh.metadata.uid != namespace.metadata.uid {
                    throw NamespaceDeletionError(message: "namespace uid has changed across retries")
                }
                latest = fresh
            } catch let error as APIError where error.reason == .notFound {
                return nil
            }
        }
    }

    /// Deletes every kind's content, records the conditions, returns the largest estimate; throws the
    /// aggregated failures after the conditions are written.
    private func deleteAllContent(_ namespace: inout Namespace) async throws -> Int64 {
        let name = namespace.metadata.name
        let deletedAt = namespace.metadata.deletionTimestamp.map { Date(timeIntervalSince1970: TimeInterval($0.secondsSince1970)) }
            ?? clock()
        var estimate: Int64 = 0
        var errors: [String] = []
        var totals = NamespaceContentTotals()
        for type in types {
            let resource = type.resource.groupVersionResource
            do {
                let result = try await deleteAllContent(of: type, namespace: name, deletedAt: deletedAt)
                estimate = max(estimate, result.estimate)
                if result.remaining > 0 {
                    totals.remainingByResource[resource] = result.remaining
                    for (finalizer, count) in result.finalizers where count > 0 {
                        totals.remainingByFinalizer[finalizer, default: 0] += count
                    }
                }
            } catch let failure as RemainingContentError {
                errors.append(failure.message)
                totals.remainingByResource[resource] = failure.remaining
            } catch {
                errors.append("\(error)")
            }
        }
        let now = RFC3339Time(clock())
        let failures = NamespaceDeletionConditions.failures(totals: totals, deleteErrors: errors, now: now)
        if let conditions = NamespaceDeletionConditions.updated(namespace.status.conditions, failures: failures, now: now) {
            var updated = namespace
            updated.status.conditions = conditions
            do {
                namespace = try await client.updateStatus(updated)
            } catch {
                logger.warning("Could not update namespace status conditions",
                               metadata: ["namespace": "\(name)", "error": "\(error)"])
            }
        }
        if !errors.isEmpty { throw NamespaceDeletionError(message: errors.sorted().joined(separator: ", ")) }
        return estimate
    }

    /// Upstream `deleteAllContentForGroupVersionResource`.
    private func deleteAllContent(of type: any KubeResource.Type, namespace: String, deletedAt: Date) async throws
        -> (estimate: Int64, remaining: Int, finalizers: [String: Int])
    {
        var estimate: Int64 = 0
        if type.resource.group.isEmpty, type.resource.kind == "Pod" {
            estimate = try await podTerminationEstimate(namespace: namespace)
            if clock().timeIntervalSince(deletedAt) >= TimeInterval(estimate) { estimate = 0 }
        }
        let background = DeleteOptions(propagationPolicy: .background)
        var collectionDeleted = false
        if type.resource.verbs.contains("deletecollection") {
            collectionDeleted = try await resources.deleteCollection(type, namespace: namespace, options: background) == .done
        }
        if !collectionDeleted, type.resource.verbs.contains("list") {
            for item in try await resources.listMetadata(type, namespace: namespace) ?? [] {
                do {
                    try await resources.delete(type, namespace: namespace, name: item.name, options: background)
                } catch let error as APIError where error.reason == .notFound || error.reason == .methodNotAllowed {
                    continue
                }
            }
        }
        guard type.resource.verbs.contains("list"),
              let remaining = try await resources.listMetadata(type, namespace: namespace), !remaining.isEmpty
        else { return (estimate, 0, [:]) }
        var finalizers: [String: Int] = [:]
        for item in remaining {
            for finalizer in item.finalizers { finalizers[finalizer, default: 0] += 1 }
        }
        if estimate != 0 { return (estimate, remaining.count, finalizers) }
        if !finalizers.isEmpty { return (Self.finalizerEstimateSeconds, remaining.count, finalizers) }
        let resource = type.resource
        throw RemainingContentError(
            message: "unexpected items still remain in namespace: \(namespace) for gvr: \(resource.group)/\(resource.version), Resource=\(resource.plural)",
            remaining: remaining.count)
    }

    /// The longest termination grace period of the namespace's pods that are not finished.
    private func podTerminationEstimate(namespace: String) async throws -> Int64 {
        var estimate: Int64 = 0
        for pod in try await client.list(Pod.self, namespace: namespace).items {
            if pod.status.phase == "Succeeded" || pod.status.phase == "Failed" { continue }
            if let grace = pod.spec.terminationGracePeriodSeconds { estimate = max(estimate, grace) }
        }
        return estimate
    }
}

/// Content that should be gone is still listed without finalizers.
///
/// Value type; Sendable.
struct RemainingContentError: Error {
    var message: String
    var remaining: Int
}

/// A namespace deletion pass failed; the namespace is retried with backoff.
///
/// Value type; Sendable.
struct NamespaceDeletionError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
