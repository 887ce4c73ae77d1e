import KubeCore

// Upstream rbac/v1 defaulting (`SetDefaults_RoleBinding`, `SetDefaults_ClusterRoleBinding`,
// `SetDefaults_Subject`): an empty roleRef API group becomes rbac.authorization.k8s.io, and so does the API
// group of User and Group subjects; ServiceAccount subjects keep the core group "".

extension RoleBinding {
    public mutating func applyDefaults() {
        roleRef.applyDefaults()
        subjects = subjects.map { $0.defaulted() }
    }
}

extension ClusterRoleBinding {
    public mutating func applyDefaults() {
        roleRef.applyDefaults()
        subjects = subjects.map { $0.defaulted() }
    }
}

extension RoleRef {
    /// The API group of the RBAC kinds.
    public static let rbacGroup = "rbac.authorization.k8s.io"

    mutating func applyDefaults() {
        if apiGroup.isEmpty { apiGroup = Self.rbacGroup }
    }
}

extension Subject {
    /// The subject with upstream's default API group for its kind.
    func defaulted() -> Subject {
        var subject = self
        if subject.apiGroup.isEmpty, subject.kind == "User" || subject.kind == "Group" {
            subject.apiGroup = RoleRef.rbacGroup
        }
        return subject
    }
}
