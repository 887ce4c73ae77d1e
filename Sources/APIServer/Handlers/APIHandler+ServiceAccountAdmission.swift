import KubeCore

/// The ServiceAccount admission plugin on pod create (upstream `plugin/pkg/admission/serviceaccount`): the pod
/// runs as `default` unless it names an account, the account must exist, its image pull secrets are copied
/// when the pod has none, and unless `automountServiceAccountToken` is false (pod first, then account) every
/// container and init container mounts a projected `kube-api-access-xxxxx` volume (token, `ca.crt` from
/// `kube-root-ca.crt`, namespace) read-only at `/var/run/secrets/kubernetes.io/serviceaccount`.
extension APIHandler {
    static let defaultServiceAccountName = "default"
    static let serviceAccountMountPath = "/var/run/secrets/kubernetes.io/serviceaccount"
    static let serviceAccountVolumePrefix = "kube-api-access-"
    static let mirrorPodAnnotation = "kubernetes.io/config.mirror"

    /// Changes `pod` as admission does; `displayName` is the name for the 403 (the generateName when the
    /// client sent no name, as upstream, whose admission runs before names are generated).
    func admitServiceAccount(_ pod: inout JSONValue, namespace: String, displayName: String) async throws {
        // Mirror pods (static pods of a kubelet) never get service-account credentials.
        if pod["metadata"]?["annotations"]?[Self.mirrorPodAnnotation] != nil { return }
        var accountName = pod["spec"]?["serviceAccountName"]?.stringValue ?? ""
        if accountName.isEmpty { accountName = pod["spec"]?["serviceAccount"]?.stringValue ?? "" }
        if accountName.isEmpty { accountName = Self.defaultServiceAccountName }
        pod.set(["spec", "serviceAccountName"], .string(accountName))
        pod.set(["spec", "serviceAccount"], .string(accountName))

        guard let accounts = catalog.resource(group: "", version: "v1", plural: "serviceaccounts") else { return }
        guard let account = try await serviceAccount(accounts, namespace: namespace, name: accountName) else {
            throw APIError.forbidden(GroupResource(group: "", resource: "pods"), name: displayName,
                reason: "error looking up service account \(namespace)/\(accountName): serviceaccount \"\(accountName)\" not found")
        }
        if Self.shouldAutomount(pod: pod, account: account) {
            Self.mountToken(into: &pod)
        }
        if case .array(let podSecrets)? = pod["spec"]?["imagePullSecrets"], !podSecrets.isEmpty {
            return
        }
        if case .array(let accountSecrets)? = account["imagePullSecrets"], !accountSecrets.isEmpty {
            pod.set(["spec", "imagePullSecrets"], .array(accountSecrets))
        }
    }

    /// The service account from the watch cache, or from the store when the cache does not hold it (upstream
    /// reads its informer first and looks a missing account up live, as it may have been created a moment ago).
    func serviceAccount(_ accounts: ServedResource, namespace: String, name: String) async throws -> JSONValue? {
        if let cached = watchCache?.object(accounts, namespace: namespace, name: name),
           let account = try? JSONValueParser.parse(cached.value) {
            return account
        }
        return try await objects.getIfPresent(accounts, namespace: namespace, name: name)?.object
    }

    static func shouldAutomount(pod: JSONValue, account: JSONValue) -> Bool {
        if let fromPod = pod["spec"]?["automountServiceAccountToken"]?.boolValue { return fromPod }
        if let fromAccount = account["automountServiceAccountToken"]?.boolValue { return fromAccount }
        return true
    }

    /// Adds the token volume (reusing an existing `kube-api-access-*` one) and a read-only mount in every
    /// container and init container that has nothing mounted at the service-account path.
    static func mountToken(into pod: inout JSONValue) {
        var volumes: [JSONValue] = []
        if case .array(let existing)? = pod["spec"]?["volumes"] { volumes = existing }
        let existingName = volumes.compactMap { $0["name"]?.stringValue }
            .first { $0.hasPrefix(serviceAccountVolumePrefix) }
        let volumeName = existingName ?? NameGenerator.generate(base: serviceAccountVolumePrefix)
        let mount: JSONValue = [
            "name": .string(volumeName), "readOnly": true, "mountPath": .string(serviceAccountMountPath),
        ]
        var needsVolume = false
        for list in ["initContainers", "containers"] {
            guard case .array(var containers)? = pod["spec"]?[list] else { continue }
            for index in containers.indices {
                var mounts: [JSONValue] = []
                if case .array(let existing)? = containers[index]["volumeMounts"] { mounts = existing }
                if mounts.contains(where: { $0["mountPath"]?.stringValue == serviceAccountMountPath }) { continue }
                mounts.append(mount)
                containers[index].set(["volumeMounts"], .array(mounts))
                needsVolume = true
            }
            pod.set(["spec", list], .array(containers))
        }
        if existingName == nil, needsVolume {
            volumes.append(tokenVolume(named: volumeName))
            pod.set(["spec", "volumes"], .array(volumes))
        }
    }

    /// Upstream `TokenVolumeSource`, with the defaults the API would add (mode 0644, `apiVersion: v1`).
    static func tokenVolume(named name: String) -> JSONValue {
        [
            "name": .string(name),
            "projected": [
                "defaultMode": 420,
                "sources": [
                    ["serviceAccountToken": [
                        "expirationSeconds": .integer(projectedTokenExpirationSeconds), "path": "token",
                    ]],
                    ["configMap": [
                        "name": .string(RootCAPublisher.configMapName),
                        "items": [["key": "ca.crt", "path": "ca.crt"]],
                    ]],
                    ["downwardAPI": [
                        "items": [["path": "namespace", "fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.namespace"]]],
                    ]],
                ],
            ],
        ]
    }
}
