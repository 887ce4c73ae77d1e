/// Query options of list and watch requests (upstream `metav1.ListOptions`).
///
/// Value type; Sendable.
public struct ListOptions: Sendable, Equatable {
    public var labelSelector: String?
    public var fieldSelector: String?
    /// For a list: `""` (most recent, quorum read) or `"0"` (any, from the cache). For a watch: start after it.
    public var resourceVersion: String?
    public var limit: Int?
    public var continueToken: String?
    public var timeoutSeconds: Int?
    public var allowWatchBookmarks: Bool

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, resourceVersion: String? = nil,
                limit: Int? = nil, continueToken: String? = nil, timeoutSeconds: Int? = nil,
                allowWatchBookmarks: Bool = false) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.resourceVersion = resourceVersion
        self.limit = limit
        self.continueToken = continueToken
        self.timeoutSeconds = timeoutSeconds
        self.allowWatchBookmarks = allowWatchBookmarks
    }

    /// The query items, in a stable order.
    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let labelSelector, !labelSelector.isEmpty { items.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { items.append(("fieldSelector", fieldSelector)) }
        if let resourceVersion { items.append(("resourceVersion", resourceVersion)) }
        if let limit { items.append(("limit", String(limit))) }
        if let continueToken { items.append(("continue", continueToken)) }
        if let timeoutSeconds { items.append(("timeoutSeconds", String(timeoutSeconds))) }
        if allowWatchBookmarks { items.append(("allowWatchBookmarks", "true")) }
        return items
    }
}

/// How a delete treats dependents and which object it applies to (upstream `metav1.DeleteOptions`).
///
/// Value type; Sendable.
public struct DeleteOptions: Codable, Sendable, Equatable {
    /// Upstream `metav1.DeletionPropagation`.
    public enum Propagation: String, Codable, Sendable {
        case orphan = "Orphan"
        case background = "Background"
        case foreground = "Foreground"
    }

    /// Upstream `metav1.Preconditions`: the delete fails with 409 unless the object still matches.
    public struct Preconditions: Codable, Sendable, Equatable {
        public var uid: String?
        public var resourceVersion: String?

        public init(uid: String? = nil, resourceVersion: String? = nil) {
            self.uid = uid
            self.resourceVersion = resourceVersion
        }
    }

    public var kind = "DeleteOptions"
    public var apiVersion = "v1"
    public var propagationPolicy: Propagation?
    public var gracePeriodSeconds: Int64?
    public var preconditions: Preconditions?

    public init(propagationPolicy: Propagation? = nil, gracePeriodSeconds: Int64? = nil,
                preconditions: Preconditions? = nil) {
        self.propagationPolicy = propagationPolicy
        self.gracePeriodSeconds = gracePeriodSeconds
        self.preconditions = preconditions
    }
}

/// The content types of PATCH requests.
///
/// Value type; Sendable.
public enum PatchType: String, Sendable {
    case json = "application/json-patch+json"
    case merge = "application/merge-patch+json"
    case strategicMerge = "application/strategic-merge-patch+json"
    case apply = "application/apply-patch+yaml"
}
