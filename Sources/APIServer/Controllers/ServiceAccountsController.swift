import KubeCore

/// The ServiceAccount controller's part (upstream `pkg/controller/serviceaccount/serviceaccounts_controller.go`):
/// every namespace has a `default` ServiceAccount; it is created with the namespace and recreated when
/// deleted. See ``APIHandler/objectChanged(_:object:change:)`` for how it runs.
extension APIHandler {
    func ensureDefaultServiceAccount(namespace: String) async throws {
        guard let accounts = catalog.resource(group: "", version: "v1", plural: "serviceaccounts") else { return }
        if try await objects.getIfPresent(accounts, namespace: namespace, name: Self.defaultServiceAccountName) != nil {
            return
        }
        try await createAsController(accounts, namespace: namespace, body: [
            "apiVersion": "v1", "kind": "ServiceAccount",
            "metadata": ["name": .string(Self.defaultServiceAccountName), "namespace": .string(namespace)],
        ])
    }
}
