import KubeCore

/// How service accounts appear as users (upstream `k8s.io/apiserver/pkg/authentication/serviceaccount`):
/// user `system:serviceaccount:<namespace>:<name>`, groups `system:serviceaccounts` and
/// `system:serviceaccounts:<namespace>`.
///
/// Stateless; Sendable.
enum ServiceAccountNames {
    static let userPrefix = "system:serviceaccount:"
    static let allGroup = "system:serviceaccounts"

    static func userName(namespace: String, name: String) -> String {
        userPrefix + namespace + ":" + name
    }

    static func groupNames(namespace: String) -> [String] {
        [allGroup, allGroup + ":" + namespace]
    }

    /// The namespace and name of a service-account user name, or nil when `userName` is not one (upstream
    /// `SplitUsername`: exactly two parts, a DNS label namespace and a DNS subdomain name).
    static func split(_ userName: String) -> (namespace: String, name: String)? {
        guard userName.hasPrefix(userPrefix) else { return nil }
        let parts = userName.dropFirst(userPrefix.count).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let namespace = String(parts[0])
        let name = String(parts[1])
        guard NameValidation.dns1123LabelErrors(namespace).isEmpty, NameValidation.dns1123SubdomainErrors(name).isEmpty
        else { return nil }
        return (namespace, name)
    }
}
