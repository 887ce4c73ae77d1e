public import KubeAPI
public import KubeCore

/// What deleting a namespace's content left behind, by resource and by finalizer (upstream
/// `allGVRDeletionMetadata`).
///
/// Value type; Sendable.
public struct NamespaceContentTotals: Equatable, Sendable {
    /// Remaining objects per resource (`GroupVersionResource`).
    public var remainingByResource: [GroupVersionResource: Int] = [:]
    /// Remaining objects per finalizer they carry.
    public var remainingByFinalizer: [String: Int] = [:]

    public init(remainingByResource: [GroupVersionResource: Int] = [:], remainingByFinalizer: [String: Int] = [:]) {
        self.remainingByResource = remainingByResource
        self.remainingByFinalizer = remainingByFinalizer
    }
}

/// The status conditions the namespace controller maintains on a terminating namespace (upstream
/// `status_condition_utils.go`): each of five types is `True` with a failure reason and message, or `False`
/// with the upstream "all good" reason and message.
///
/// Stateless namespace; pure (`now` is a parameter).
public enum NamespaceDeletionConditions {
    public static let discoveryFailure = "NamespaceDeletionDiscoveryFailure"
    public static let groupVersionParsingFailure = "NamespaceDeletionGroupVersionParsingFailure"
    public static let contentFailure = "NamespaceDeletionContentFailure"
    public static let contentRemaining = "NamespaceContentRemaining"
    public static let finalizersRemaining = "NamespaceFinalizersRemaining"

    /// The maintained types, in the order they are added to the status.
    public static let types = [discoveryFailure, groupVersionParsingFailure, contentFailure, contentRemaining,
                               finalizersRemaining]

    static let okReasons: [String: String] = [
        discoveryFailure: "ResourcesDiscovered",
        groupVersionParsingFailure: "ParsedGroupVersions",
        contentFailure: "ContentDeleted",
        contentRemaining: "ContentRemoved",
        finalizersRemaining: "ContentHasNoFinalizers",
    ]
    static let okMessages: [String: String] = [
        discoveryFailure: "All resources successfully discovered",
        groupVersionParsingFailure: "All legacy kube types successfully parsed",
        contentFailure: "All content successfully deleted, may be waiting on finalization",
        contentRemaining: "All content successfully removed",
        finalizersRemaining: "All content-preserving finalizers finished",
    ]

    /// The failure conditions for one pass: content and finalizers remaining, and the deletion errors.
    public static func failures(totals: NamespaceContentTotals, deleteErrors: [String], now: RFC3339Time)
        -> [NamespaceCondition]
    {
        var conditions: [NamespaceCondition] = []
        let resources = totals.remainingByResource.filter { $0.value > 0 }
            .map { "\($0.key.resource).\($0.key.group) has \($0.value) resource instances" }.sorted()
        if !totals.remainingByResource.isEmpty {
            conditions.append(condition(contentRemaining, reason: "SomeResourcesRemain",
                                        message: "Some resources are remaining: \(resources.joined(separator: ", "))", now: now))
        }
        let finalizers = totals.remainingByFinalizer.filter { $0.value > 0 }
            .map { "\($0.key) in \($0.value) resource instances" }.sorted()
        if !totals.remainingByFinalizer.isEmpty {
            conditions.append(condition(
                finalizersRemaining, reason: "SomeFinalizersRemain",
                message: "Some content in the namespace has finalizers remaining: \(finalizers.joined(separator: ", "))",
                now: now))
        }
        if !deleteErrors.isEmpty {
            conditions.append(condition(
                contentFailure, reason: "ContentDeletionFailed",
                message: "Failed to delete all resource types, \(deleteErrors.count) remaining: \(deleteErrors.sorted().joined(separator: ", "))",
                now: now))
        }
        return conditions
    }

    /// `existing` with every maintained type set to its failure in `failures` or else its "ok" variant;
    /// the transition time moves only when the status changes. Returns nil when nothing changed.
    public static func updated(_ existing: [NamespaceCondition], failures: [NamespaceCondition], now: RFC3339Time)
        -> [NamespaceCondition]?
    {
        var conditions = existing
        var changed = false
        for type in types {
            let wanted = failures.first { $0.type == type }
                ?? condition(type, status: "False", reason: okReasons[type]!, message: okMessages[type]!, now: now)
            guard let index = conditions.firstIndex(where: { $0.type == type }) else {
                conditions.append(wanted)
                changed = true
                continue
            }
            var current = conditions[index]
            guard current.status != wanted.status || current.reason != wanted.reason || current.message != wanted.message
            else { continue }
            if current.status != wanted.status { current.lastTransitionTime = now }
            current.status = wanted.status
            current.reason = wanted.reason
            current.message = wanted.message
            conditions[index] = current
            changed = true
        }
        return changed ? conditions : nil
    }

    static func condition(_ type: String, status: String = "True", reason: String, message: String, now: RFC3339Time)
        -> NamespaceCondition
    {
        var condition = NamespaceCondition()
        condition.type = type
        condition.status = status
        condition.reason = reason
        condition.message = message
        condition.lastTransitionTime = now
        return condition
    }
}
