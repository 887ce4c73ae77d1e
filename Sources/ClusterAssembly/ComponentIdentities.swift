public import KubeSecurity

/// The users built-in components act as (upstream's names), so RBAC and audit see who did what.
///
/// Stateless namespace.
public enum ComponentIdentities {
    public static let controllerManager = ClientIdentity(user: "system:kube-controller-manager", groups: [])
    public static let scheduler = ClientIdentity(user: "system:kube-scheduler", groups: [])

    /// A kubelet: `system:node:<name>` in `system:nodes`.
    public static func node(_ name: String) -> ClientIdentity {
        ClientIdentity(user: "system:node:\(name)", groups: ["system:nodes"])
    }

    /// `User-Agent` of in-process components, shaped like upstream's.
    static func userAgent(_ component: String) -> String {
        "\(component)/v1.32.0-swiftlet (linux/amd64) swiftlet"
    }
}
