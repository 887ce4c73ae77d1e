import KubeCore

/// The resources Swiftlet serves, with their discovery facts, printers and selectable fields.
///
/// Kinds get typed strategies (defaulting and validation) from KubeAPI where they exist; the rest are stored
/// as sent after the generic metadata checks.
public enum BuiltinResources {
    static func statusSubresource(_ group: String, _ version: String, _ kind: String) -> ServedSubresource {
        ServedSubresource(name: "status", group: group, version: version, kind: kind, verbs: ["get", "patch", "update"])
    }

    public static func catalog() -> ResourceCatalog {
        ResourceCatalog([
            ServedResource(
                group: "", version: "v1", kind: "Namespace", plural: "namespaces", singular: "namespace",
                namespaced: false, shortNames: ["ns"],
                verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
                subresources: [statusSubresource("", "v1", "Namespace")],
                selectableFields: { object in ["status.phase": object["status"]?["phase"]?.stringValue ?? ""] },
                printer: .named([TableColumn(name: "Status", description: "The phase of the namespace.")]) { object, _ in
                    [.string(object["status"]?["phase"]?.stringValue ?? "")]
                }),
            ServedResource(
                group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", singular: "configmap",
                namespaced: true, shortNames: ["cm"],
                printer: .named([TableColumn(name: "Data", type: "string", description: "The number of keys.")]) { object, _ in
                    let count = (object["data"]?.members.count ?? 0) + (object["binaryData"]?.members.count ?? 0)
                    return [.integer(Int64(count))]
                }),
            ServedResource(
                group: "", version: "v1", kind: "Secret", plural: "secrets", singular: "secret", namespaced: true,
                selectableFields: { object in ["type": object["type"]?.stringValue ?? ""] },
                printer: .named([
                    TableColumn(name: "Type", description: "The type of the secret."),
                    TableColumn(name: "Data", description: "The number of keys."),
                ]) { object, _ in
                    [.string(object["type"]?.stringValue ?? ""),
                     .integer(Int64((object["data"]?.members.count ?? 0)))]
                }),
        ])
    }

    /// Namespaces that exist from the start, as in every Kubernetes cluster.
    static let defaultNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"]
}
