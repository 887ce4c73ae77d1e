public import Foundation
public import KubeAPI
import KubeCore
import Yams

/// Turns a manifest (YAML or JSON, one Pod) into the static pod the kubelet runs: upstream
/// `pkg/kubelet/config/common.go` `applyDefaults` (namespace `default`, name `<name>-<node>`, UID from a hash
/// of the manifest, node name and source; config annotations) followed by the API's pod defaults.
///
/// Pure functions; Sendable.
public enum StaticPodManifest {
    /// Decodes one Pod from YAML or JSON text.
    public static func decode(_ data: Data) throws -> Pod {
        guard let text = String(data: data, encoding: .utf8) else {
            throw StaticPodManifestError.notUTF8
        }
        let document: Any?
        do {
            document = try Yams.load(yaml: text)
        } catch {
            throw StaticPodManifestError.unparsable("\(error)")
        }
        guard let object = document as? [String: Any] else {
            throw StaticPodManifestError.notAnObject
        }
        if let kind = object["kind"] as? String, kind != "Pod" {
            throw StaticPodManifestError.wrongKind(kind)
        }
        let json = try JSONSerialization.data(withJSONObject: object)
        do {
            return try JSONDecoder().decode(Pod.self, from: json)
        } catch {
            throw StaticPodManifestError.unparsable("\(error)")
        }
    }

    /// The static pod for manifest `data` on node `nodeName`, first seen at `seen`.
    public static func staticPod(from data: Data, source: StaticPodSource, nodeName: String,
                                 seen: Date) throws -> Pod {
        var pod = try decode(data)
        if pod.metadata.name.isEmpty {
            throw StaticPodManifestError.missingName
        }
        let uid = hash(data, nodeName: nodeName, source: source)
        pod.metadata.uid = uid
        pod.metadata.name = "\(pod.metadata.name)-\(nodeName)"
        if pod.metadata.namespace.isEmpty { pod.metadata.namespace = "default" }
        pod.metadata.resourceVersion = ""
        pod.spec.nodeName = nodeName
        pod.metadata.annotations[StaticPodAnnotations.hash] = uid
        pod.metadata.annotations[StaticPodAnnotations.source] = source.rawValue
        pod.metadata.annotations[StaticPodAnnotations.seen] = RFC3339Time(seen).description
        pod.metadata.annotations.removeValue(forKey: StaticPodAnnotations.mirror)
        pod.status = PodStatus()
        pod.applyDefaults()
        return pod
    }

    /// A 128-bit hex digest of the manifest bytes, the node name and the source (two FNV-1a passes; upstream
    /// uses md5 of the same inputs: any stable digest that changes with the content serves).
    public static func hash(_ data: Data, nodeName: String, source: StaticPodSource) -> String {
        var input = Array(data)
        input.append(contentsOf: Array(nodeName.utf8))
        input.append(contentsOf: Array(source.rawValue.utf8))
        func fnv(_ basis: UInt64) -> UInt64 {
            var value = basis
            for byte in input {
                value ^= UInt64(byte)
                value &*= 0x100000001b3
            }
            return value
        }
        let high = fnv(0xcbf29ce484222325)
        let low = fnv(0x84222325cbf29ce4 ^ UInt64(input.count))
        return hex(high) + hex(low)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// Why a static pod manifest was skipped.
public enum StaticPodManifestError: Error, Equatable, CustomStringConvertible {
    case notUTF8
    case notAnObject
    case wrongKind(String)
    case missingName
    case unparsable(String)

    public var description: String {
        switch self {
        case .notUTF8: "the manifest is not UTF-8 text; write it as YAML or JSON"
        case .notAnObject: "the manifest is not a YAML or JSON object; write one Pod per file"
        case .wrongKind(let kind): "the manifest is a \(kind), not a Pod; only Pods can be static pods"
        case .missingName: "the manifest's Pod has no metadata.name; give it a name"
        case .unparsable(let detail): "the manifest could not be decoded as a Pod (\(detail)); fix its syntax"
        }
    }
}
