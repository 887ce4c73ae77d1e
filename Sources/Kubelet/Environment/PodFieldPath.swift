public import KubeAPI
import Foundation
import KubeCore

/// Values of `fieldRef` selectors (upstream `podFieldSelectorRuntimeValue`, `ConvertDownwardAPIFieldLabel`
/// and `fieldpath.ExtractFieldPathAsString`). Maps (`metadata.labels`, `metadata.annotations`) render as
/// sorted `key="value"` lines with Go quoting, like upstream's `FormatMap`.
///
/// Stateless; pure functions.
public enum PodFieldPath {
    /// The value of an env var's `fieldRef`: metadata fields plus spec.nodeName, spec.serviceAccountName,
    /// status.hostIP(s) and status.podIP(s) (from `context`, falling back to the pod's status).
    public static func runtimeValue(_ selector: ObjectFieldSelector, pod: Pod, context: DownwardAPIContext) throws(EnvironmentError)
        -> String
    {
        let path = try convertedLabel(selector)
        let podIPs = context.podIPs.isEmpty ? podStatusIPs(pod) : context.podIPs
        let hostIPs = context.hostIPs.isEmpty ? hostStatusIPs(pod) : context.hostIPs
        switch path {
        case "spec.nodeName": return pod.spec.nodeName
        case "spec.serviceAccountName": return pod.spec.serviceAccountName
        case "status.hostIP": return hostIPs.first ?? ""
        case "status.hostIPs": return hostIPs.joined(separator: ",")
        case "status.podIP": return podIPs.first ?? ""
        case "status.podIPs": return podIPs.joined(separator: ",")
        default: return try metadataValue(path, metadata: pod.metadata)
        }
    }

    /// The value of a downwardAPI volume file's `fieldRef` (metadata fields only, as upstream's volume plugin).
    public static func volumeValue(_ selector: ObjectFieldSelector, pod: Pod) throws(EnvironmentError) -> String {
        try metadataValue(try convertedLabel(selector), metadata: pod.metadata)
    }

    /// Upstream `ConvertDownwardAPIFieldLabel` for v1 pods (`spec.host` is the old name of `spec.nodeName`).
    static func convertedLabel(_ selector: ObjectFieldSelector) throws(EnvironmentError) -> String {
        let version = selector.apiVersion.isEmpty ? "v1" : selector.apiVersion
        guard version == "v1" else { throw .unsupportedPodVersion(version) }
        let label = selector.fieldPath
        if let (path, _) = splitSubscript(label) {
            guard path == "metadata.annotations" || path == "metadata.labels" else {
                throw .unsupportedFieldLabel(label)
            }
            return label
        }
        switch label {
        case "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid",
             "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName", "spec.schedulerName",
             "status.phase", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs":
            return label
        case "spec.host":
            return "spec.nodeName"
        default:
            throw .unsupportedFieldLabel(label)
        }
    }

    /// Upstream `ExtractFieldPathAsString` for object metadata.
    static func metadataValue(_ fieldPath: String, metadata: ObjectMeta) throws(EnvironmentError) -> String {
        if let (path, key) = splitSubscript(fieldPath) {
            switch path {
            case "metadata.annotations": return metadata.annotations[key] ?? ""
            case "metadata.labels": return metadata.labels[key] ?? ""
            default: throw .unsupportedFieldPath(fieldPath)
            }
        }
        switch fieldPath {
        case "metadata.annotations": return formatMap(metadata.annotations)
        case "metadata.labels": return formatMap(metadata.labels)
        case "metadata.name": return metadata.name
        case "metadata.namespace": return metadata.namespace
        case "metadata.uid": return metadata.uid
        default: throw .unsupportedFieldPath(fieldPath)
        }
    }

    /// Upstream `FormatMap`: `key="value"` lines (Go `%q`), sorted by key, no trailing newline.
    public static func formatMap(_ map: [String: String]) -> String {
        map.keys.sorted().map { "\($0)=\(GoQuoting.quote(map[$0]!))" }.joined(separator: "\n")
    }

    /// Upstream `SplitMaybeSubscriptedPath`: `metadata.labels['k']` -> ("metadata.labels", "k").
    static func splitSubscript(_ fieldPath: String) -> (String, String)? {
        guard fieldPath.hasSuffix("']") else { return nil }
        let trimmed = fieldPath.dropLast(2)
        guard let range = trimmed.range(of: "['") else { return nil }
        let path = String(trimmed[..<range.lowerBound])
        guard !path.isEmpty else { return nil }
        return (path, String(trimmed[range.upperBound...]))
    }

    private static func podStatusIPs(_ pod: Pod) -> [String] {
        let ips = pod.status.podIPs.map(\.ip).filter { !$0.isEmpty }
        if !ips.isEmpty { return ips }
        return pod.status.podIP.isEmpty ? [] : [pod.status.podIP]
    }

    private static func hostStatusIPs(_ pod: Pod) -> [String] {
        let ips = pod.status.hostIPs.map(\.ip).filter { !$0.isEmpty }
        if !ips.isEmpty { return ips }
        return pod.status.hostIP.isEmpty ? [] : [pod.status.hostIP]
    }
}
