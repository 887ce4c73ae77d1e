public import KubeAPI
public import KubeCore

/// The files of configMap, secret and downwardAPI volumes (and of the same sources inside a projected
/// volume), built from already fetched objects (upstream `MakePayload` / `CollectData`): all keys when
/// `items` is empty, otherwise the listed keys at their paths; the mode is the item's, else the volume's
/// `defaultMode`. Missing keys fail unless the reference is optional.
///
/// Stateless; pure functions.
public enum VolumePayload {
    /// Upstream's `defaultMode` when a volume sets none (0644).
    public static let defaultMode: UInt32 = 0o644

    public static func configMap(_ configMap: ConfigMap, items: [KeyToPath], defaultMode: UInt32, optional: Bool)
        throws(VolumeProblem) -> [String: ProjectedFile]
    {
        var payload: [String: ProjectedFile] = [:]
        if items.isEmpty {
            for (key, value) in configMap.data { payload[key] = ProjectedFile(value, mode: defaultMode) }
            for (key, value) in configMap.binaryData { payload[key] = ProjectedFile(data: value, mode: defaultMode) }
            return payload
        }
        for item in items {
            let data: [UInt8]
            if let text = configMap.data[item.key] {
                data = Array(text.utf8)
            } else if let bytes = configMap.binaryData[item.key] {
                data = bytes
            } else {
                if optional { continue }
                throw .configMapKeyNotFound(key: item.key)
            }
            payload[item.path] = ProjectedFile(data: data, mode: mode(item.mode, default: defaultMode))
        }
        return payload
    }

    public static func secret(_ secret: Secret, items: [KeyToPath], defaultMode: UInt32, optional: Bool)
        throws(VolumeProblem) -> [String: ProjectedFile]
    {
        var payload: [String: ProjectedFile] = [:]
        if items.isEmpty {
            for (key, value) in secret.data { payload[key] = ProjectedFile(data: value, mode: defaultMode) }
            return payload
        }
        for item in items {
            guard let data = secret.data[item.key] else {
                if optional { continue }
                throw .secretKeyNotFound(key: item.key)
            }
            payload[item.path] = ProjectedFile(data: data, mode: mode(item.mode, default: defaultMode))
        }
        return payload
    }

    /// Files of a downwardAPI volume: `fieldRef` (metadata fields) and `resourceFieldRef` (the named
    /// container's limits/requests, limits defaulting to the node's allocatable).
    public static func downwardAPI(_ items: [DownwardAPIVolumeFile], defaultMode: UInt32, pod: Pod,
                                   nodeAllocatable: [String: Quantity]) throws(VolumeProblem) -> [String: ProjectedFile]
    {
        var payload: [String: ProjectedFile] = [:]
        var problems: [VolumeProblem] = []
        for item in items {
            do {
                let value: String
                if let fieldRef = item.fieldRef {
                    value = try PodFieldPath.volumeValue(fieldRef, pod: pod)
                } else if let resourceFieldRef = item.resourceFieldRef {
                    let containers = pod.spec.containers + pod.spec.initContainers
                    guard let container = containers.first(where: { $0.name == resourceFieldRef.containerName }) else {
                        throw EnvironmentError.containerNotFound(resourceFieldRef.containerName)
                    }
                    value = try ContainerResourceValue.value(resourceFieldRef, container: container,
                                                             nodeAllocatable: nodeAllocatable)
                } else {
                    continue
                }
                payload[item.path] = ProjectedFile(value, mode: mode(item.mode, default: defaultMode))
            } catch {
                problems.append(.downwardAPI("\(error)"))
            }
        }
        if !problems.isEmpty { throw .multiple(problems) }
        return payload
    }

    /// An API mode (`Int32`, e.g. 420) as permission bits.
    public static func mode(_ mode: Int32?, default defaultMode: UInt32) -> UInt32 {
        guard let mode else { return defaultMode }
        return UInt32(truncatingIfNeeded: mode) & 0o7777
    }
}
