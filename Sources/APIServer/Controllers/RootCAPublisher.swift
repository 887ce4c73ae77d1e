import KubeCore

/// Constants of the root-CA publisher (upstream `pkg/controller/certificates/rootcacertpublisher`).
///
/// Stateless namespace.
enum RootCAPublisher {
    static let configMapName = "kube-root-ca.crt"
    static let descriptionAnnotation = "kubernetes.io/description"
    static let description = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal "
        + "endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across "
        + "distributions of Kubernetes clusters."
}

/// The root-CA publisher: every namespace has the ConfigMap `kube-root-ca.crt` whose only key `ca.crt` is the
/// cluster CA (what pods read from their token volume), with the `kubernetes.io/description` annotation;
/// it is recreated when deleted and restored when edited.
extension APIHandler {
    func publishRootCA(namespace: String) async throws {
        guard let settings = serviceAccounts,
              let configMaps = catalog.resource(group: "", version: "v1", plural: "configmaps") else { return }
        let data: JSONValue = ["ca.crt": .string(settings.rootCAPEM)]
        guard let current = try await objects.getIfPresent(configMaps, namespace: namespace,
                                                           name: RootCAPublisher.configMapName)?.object else {
            try await createAsController(configMaps, namespace: namespace, body: [
                "apiVersion": "v1", "kind": "ConfigMap",
                "metadata": [
                    "name": .string(RootCAPublisher.configMapName), "namespace": .string(namespace),
                    "annotations": [RootCAPublisher.descriptionAnnotation: .string(RootCAPublisher.description)],
                ],
                "data": data,
            ])
            return
        }
        let described = !(current["metadata"]?["annotations"]?[RootCAPublisher.descriptionAnnotation]?.stringValue ?? "").isEmpty
        if current["data"] == data, current["binaryData"] == nil, described { return }
        let context = controllerContext(configMaps, namespace: namespace, name: RootCAPublisher.configMapName, method: "PUT")
        _ = try await guaranteedUpdate(context, precondition: "") { latest in
            var restored = latest
            restored.set(["data"], data)
            restored.set(["binaryData"], nil)
            restored.set(["metadata", "annotations", RootCAPublisher.descriptionAnnotation], .string(RootCAPublisher.description))
            return restored
        }
    }
}
