/// The set-up volumes of one pod, by volume name: where each lives on the host and whether containers
/// must mount it read-only (configMap, secret, downwardAPI and projected volumes always are, as upstream).
///
/// Value type; Sendable.
public struct PodVolumes: Sendable, Equatable {
    public var podUID: String
    public var volumes: [String: MountedVolume]

    public init(podUID: String, volumes: [String: MountedVolume] = [:]) {
        self.podUID = podUID
        self.volumes = volumes
    }

    public subscript(name: String) -> MountedVolume? { volumes[name] }
}

/// One set-up volume.
///
/// Value type; Sendable.
public struct MountedVolume: Sendable, Equatable {
    public var name: String
    public var kind: VolumeKind
    /// The directory (or, for hostPath, the file, socket or device) to bind into containers.
    public var hostPath: String
    /// Containers get this volume read-only whatever their volumeMount says.
    public var readOnly: Bool
    /// A tmpfs is mounted at `hostPath` (emptyDir with `medium: Memory`).
    public var memoryBacked: Bool

    public init(name: String, kind: VolumeKind, hostPath: String, readOnly: Bool, memoryBacked: Bool = false) {
        self.name = name
        self.kind = kind
        self.hostPath = hostPath
        self.readOnly = readOnly
        self.memoryBacked = memoryBacked
    }
}

/// The volume types the node supports, with upstream's plugin directory names.
///
/// Value type; Sendable.
public enum VolumeKind: String, Sendable, Equatable, CaseIterable {
    case emptyDir, hostPath, configMap, secret, downwardAPI, projected

    /// `<kubelet dir>/pods/<uid>/volumes/<plugin directory>/<volume name>`.
    public var pluginDirectory: String {
        switch self {
        case .emptyDir: "kubernetes.io~empty-dir"
        case .hostPath: "kubernetes.io~host-path"
        case .configMap: "kubernetes.io~configmap"
        case .secret: "kubernetes.io~secret"
        case .downwardAPI: "kubernetes.io~downward-api"
        case .projected: "kubernetes.io~projected"
        }
    }

    /// Whether the volume's content is written by the node from API objects (and refreshed).
    var isProjectedContent: Bool { self == .configMap || self == .secret || self == .downwardAPI || self == .projected }
}
