import KubeAPI
import KubeCore

/// A kind whose creation the server completes with values only it knows once the object has its identity
/// (uid, creationTimestamp): the parts of upstream strategies' `PrepareForCreate` (and the Job strategy's
/// validate-time `generateSelector`) that KubeAPI's `applyDefaults()` cannot do.
///
/// Implementations are value types mutated in place; no shared state.
protocol PreparedOnCreate {
    mutating func prepareForCreate()
}

extension Job: PreparedOnCreate {
    /// Upstream `generateSelector` (unless `manualSelector: true`): the template gets the `job-name` and
    /// `controller-uid` labels (legacy and `batch.kubernetes.io/` forms) where missing, and the selector
    /// matches `batch.kubernetes.io/controller-uid`. Conflicting labels set by the client are left for
    /// validation to reject.
    mutating func prepareForCreate() {
        guard spec.manualSelector != true else { return }
        for key in ["job-name", "batch.kubernetes.io/job-name"] where spec.template.metadata.labels[key] == nil {
            spec.template.metadata.labels[key] = metadata.name
        }
        for key in ["controller-uid", "batch.kubernetes.io/controller-uid"] where spec.template.metadata.labels[key] == nil {
            spec.template.metadata.labels[key] = metadata.uid
        }
        var selector = spec.selector ?? LabelSelector()
        if selector.matchLabels["batch.kubernetes.io/controller-uid"] == nil {
            selector.matchLabels["batch.kubernetes.io/controller-uid"] = metadata.uid
        }
        spec.selector = selector
    }
}

/// A ``PreparedOnCreate`` kind whose preparation is a small edit of its normalised JSON tree, done there
/// instead of decoding and re-encoding the whole object.
protocol PreparedOnCreateInTree: PreparedOnCreate {
    static func prepareForCreate(tree: JSONValue) -> JSONValue
}

extension Pod: PreparedOnCreateInTree {
    /// Upstream's pod strategy starts every pod `Pending` (kept when the client already set a phase).
    mutating func prepareForCreate() {
        if status.phase.isEmpty {
            status.phase = "Pending"
        }
    }

    /// The same on the tree (the typed encoding writes `status` always, so the member is there or added).
    static func prepareForCreate(tree: JSONValue) -> JSONValue {
        guard case .object(var object) = tree else { return tree }
        var status: [String: JSONValue] = [:]
        if case .object(let members)? = object["status"] { status = members }
        if (status["phase"]?.stringValue ?? "").isEmpty {
            status["phase"] = "Pending"
            object["status"] = .object(status)
        }
        return .object(object)
    }
}

extension CertificateSigningRequest: PreparedOnCreate {
    /// Upstream's CSR strategy drops any status the client sent: approval goes through the approval
    /// subresource and the certificate through status. (Filling username, uid, groups and extra from the
    /// requesting user belongs to authentication and is not done here.)
    mutating func prepareForCreate() {
        status = CertificateSigningRequestStatus()
    }
}
