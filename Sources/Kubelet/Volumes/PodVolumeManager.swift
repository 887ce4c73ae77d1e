public import Foundation
public import KubeAPI
public import KubeCore
public import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Sets up, refreshes and tears down the volumes of the pods on this node under
/// `<kubelet dir>/pods/<pod UID>/volumes/<plugin>/<volume name>` (upstream's layout):
/// - emptyDir: a directory (mode 0777); `medium: Memory` mounts a tmpfs sized by `sizeLimit` (else the
///   pod's memory limit, else node allocatable memory), unmounted on teardown;
/// - hostPath: the host path itself after upstream's type check;
/// - configMap, secret, downwardAPI, projected (service-account token, configMap, secret, downwardAPI
///   sources): files written atomically (``AtomicDirectoryWriter``: timestamped directory + `..data`
///   symlink swap), rewritten by ``refresh(pod:)`` only when their content changed, so updates of the
///   objects (and token rotation at 80 % of the token's lifetime) reach running containers.
/// With a pod `fsGroup`, emptyDir roots and written files belong to that group (emptyDir g+rw and setgid,
/// files g+r, the token 0640), as upstream's `SetVolumeOwnership`.
///
/// `setUp` is idempotent (an existing emptyDir keeps its contents, a mounted tmpfs stays), so it is also
/// the way to re-adopt the volumes of running pods after a restart.
///
/// Concurrency: an actor. Calls for the same pod must not overlap (the pod worker serialises them); calls
/// for different pods may interleave at API requests. File writes happen on the actor (small files, short
/// blocking system calls).
public actor PodVolumeManager {
    public nonisolated let kubeletDirectory: String
    private let objects: any PodObjectSource
    private let clock: @Sendable () -> Date
    private let memoryBackedSecrets: Bool
    private let logger: Logger
    private var nodeAllocatable: [String: Quantity]
    private var tokens: [String: CachedToken] = [:]

    /// A token the node holds for one projected `serviceAccountToken` source of one pod.
    private struct CachedToken {
        var request: TokenRequestKey
        var token: ServiceAccountToken
        var issuedAt: Date
    }

    private struct TokenRequestKey: Equatable {
        var serviceAccountName: String
        var audiences: [String]
        var expirationSeconds: Int64?
        var podName: String
    }

    /// - Parameters:
    ///   - kubeletDirectory: the node agent's state directory (e.g. `/var/lib/swiftlet/kubelet`).
    ///   - nodeAllocatable: stands in for unset container limits in downwardAPI `resourceFieldRef` files.
    ///   - memoryBackedSecrets: mount a tmpfs under secret and projected volumes so secrets never reach
    ///     the disk (upstream does; needs root).
    ///   - clock: the time for version directory names and token rotation.
    public init(kubeletDirectory: String, objects: any PodObjectSource, nodeAllocatable: [String: Quantity] = [:],
                memoryBackedSecrets: Bool = false, clock: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "swiftlet.kubelet.volumes"))
    {
        self.kubeletDirectory = kubeletDirectory
        self.objects = objects
        self.nodeAllocatable = nodeAllocatable
        self.memoryBackedSecrets = memoryBackedSecrets
        self.clock = clock
        self.logger = logger
    }

    public func setNodeAllocatable(_ allocatable: [String: Quantity]) {
        nodeAllocatable = allocatable
    }

    // MARK: Paths

    public nonisolated func podDirectory(podUID: String) -> String {
        kubeletDirectory + "/pods/" + podUID
    }

    public nonisolated func volumesDirectory(podUID: String) -> String {
        podDirectory(podUID: podUID) + "/volumes"
    }

    public nonisolated func volumeDirectory(podUID: String, kind: VolumeKind, name: String) -> String {
        volumesDirectory(podUID: podUID) + "/" + kind.pluginDirectory + "/" + name
    }

    /// UIDs of pods that have a volumes directory on this node (for cleanup after a restart).
    public nonisolated func podUIDsWithVolumes() -> [String] {
        VolumeFileSystem.directoryEntries(kubeletDirectory + "/pods").filter {
            VolumeFileSystem.entryType(volumesDirectory(podUID: $0)) == .directory
        }.sorted()
    }

    // MARK: Set up

    /// Sets up every volume of `pod`. Throws the first ``VolumeError`` (after trying all volumes, so the
    /// others are ready when the failing one recovers), carrying the other failures in `otherFailures`.
    public func setUp(pod: Pod) async throws -> PodVolumes {
        let podUID = Self.uid(of: pod)
        var result = PodVolumes(podUID: podUID)
        var failures: [VolumeError] = []
        for volume in pod.spec.volumes {
            do {
                result.volumes[volume.name] = try await setUp(volume, pod: pod, podUID: podUID)
            } catch {
                failures.append(VolumeError(volumeName: volume.name, problem: error))
            }
        }
        if var first = failures.first {
            for failure in failures {
                logger.warning("Volume setup failed", metadata: [
                    "pod": "\(pod.metadata.namespace)/\(pod.metadata.name)", "volume": "\(failure.volumeName)",
                    "error": "\(failure.problem)",
                ])
            }
            first.otherFailures = Array(failures.dropFirst())
            throw first
        }
        return result
    }

    /// Rewrites the configMap, secret, downwardAPI and projected volumes of a running pod whose content
    /// changed (objects updated, labels changed, token due for rotation); returns the names of the
    /// volumes that changed. Throws the first ``VolumeError`` after trying all volumes.
    @discardableResult
    public func refresh(pod: Pod) async throws -> [String] {
        let podUID = Self.uid(of: pod)
        var changed: [String] = []
        var failures: [VolumeError] = []
        for volume in pod.spec.volumes {
            guard let kind = Self.kind(of: volume), kind.isProjectedContent else { continue }
            do {
                if try await writeContent(volume, kind: kind, pod: pod, podUID: podUID) { changed.append(volume.name) }
            } catch {
                failures.append(VolumeError(volumeName: volume.name, problem: error))
            }
        }
        if !changed.isEmpty {
            logger.debug("Volumes refreshed", metadata: [
                "pod": "\(pod.metadata.namespace)/\(pod.metadata.name)", "volumes": "\(changed)",
            ])
        }
        if let first = failures.first { throw first }
        return changed
    }

    private func setUp(_ volume: Volume, pod: Pod, podUID: String) async throws(VolumeProblem) -> MountedVolume {
        guard let kind = Self.kind(of: volume) else { throw .unsupportedVolumeType(Self.typeName(of: volume)) }
        switch kind {
        case .hostPath:
            let source = volume.hostPath!
            try HostPathCheck.check(path: source.path, type: source.type)
            return MountedVolume(name: volume.name, kind: .hostPath, hostPath: source.path, readOnly: false)
        case .emptyDir:
            let source = volume.emptyDir!
            let directory = volumeDirectory(podUID: podUID, kind: .emptyDir, name: volume.name)
            try makeVolumeDirectory(directory, mode: 0o777)
            switch source.medium {
            case "":
                try applyFSGroup(to: directory, pod: pod)
                return MountedVolume(name: volume.name, kind: .emptyDir, hostPath: directory, readOnly: false)
            case "Memory":
                if !TmpfsMount.isMountPoint(directory) {
                    try TmpfsMount.mount(at: directory, sizeBytes: memorySize(source, pod: pod))
                }
                try applyFSGroup(to: directory, pod: pod)
                return MountedVolume(name: volume.name, kind: .emptyDir, hostPath: directory, readOnly: false,
                                     memoryBacked: true)
            default:
                throw .unknownStorageMedium(source.medium)
            }
        case .configMap, .secret, .downwardAPI, .projected:
            let directory = volumeDirectory(podUID: podUID, kind: kind, name: volume.name)
            try makeVolumeDirectory(directory, mode: 0o755)
            let memoryBacked = memoryBackedSecrets && (kind == .secret || kind == .projected)
            if memoryBacked, !TmpfsMount.isMountPoint(directory) {
                try TmpfsMount.mount(at: directory, sizeBytes: nodeAllocatable["memory"]?.value)
                do { try VolumeFileSystem.setMode(directory, 0o755) } catch { throw .fileSystem("\(error)") }
            }
            try await writeContent(volume, kind: kind, pod: pod, podUID: podUID)
            return MountedVolume(name: volume.name, kind: kind, hostPath: directory, readOnly: true,
                                 memoryBacked: memoryBacked)
        }
    }

    private func makeVolumeDirectory(_ directory: String, mode: UInt32) throws(VolumeProblem) {
        do {
            try VolumeFileSystem.makeDirectories(VolumeFileSystem.parentDirectory(directory), mode: 0o750)
            if VolumeFileSystem.entryType(directory) != .directory {
                try VolumeFileSystem.makeDirectory(directory, mode: mode)
            }
        } catch {
            throw .fileSystem("\(error)")
        }
    }

    /// A writable volume root with an fsGroup: owned by the group, group read-write, setgid (upstream
    /// `SetVolumeOwnership` with the read-write mask).
    private func applyFSGroup(to directory: String, pod: Pod) throws(VolumeProblem) {
        guard let group = Self.fsGroup(of: pod) else { return }
        do {
            try VolumeFileSystem.setGroup(directory, group)
            try VolumeFileSystem.setMode(directory, (VolumeFileSystem.mode(directory) ?? 0o777) | 0o2000 | 0o660 | 0o110)
        } catch {
            throw .fileSystem("\(error)")
        }
    }

    static func fsGroup(of pod: Pod) -> UInt32? {
        guard let group = pod.spec.securityContext?.fsGroup, group >= 0, group <= Int64(UInt32.max) else { return nil }
        return UInt32(group)
    }

    /// The tmpfs size of a memory emptyDir: its sizeLimit, else the pod's memory limit (when every
    /// container has one), else node allocatable memory (upstream `SizeMemoryBackedVolumes`).
    private func memorySize(_ source: EmptyDirVolumeSource, pod: Pod) -> Int64? {
        if let limit = source.sizeLimit, !limit.isZero { return limit.value }
        let limits = pod.spec.containers.map { $0.resources.limits["memory"] }
        if !limits.isEmpty, limits.allSatisfy({ $0 != nil && !$0!.isZero }) {
            return limits.reduce(Int64(0)) { $0 + ($1?.value ?? 0) }
        }
        return nodeAllocatable["memory"]?.value
    }

    // MARK: Content volumes

    @discardableResult
    private func writeContent(_ volume: Volume, kind: VolumeKind, pod: Pod, podUID: String) async throws(VolumeProblem)
        -> Bool
    {
        let directory = volumeDirectory(podUID: podUID, kind: kind, name: volume.name)
        guard VolumeFileSystem.entryType(directory) == .directory else {
            throw .fileSystem("volume directory \(directory) is missing; set up the pod's volumes first")
        }
        var payload = try await payload(of: volume, kind: kind, pod: pod, podUID: podUID)
        let group = Self.fsGroup(of: pod)
        if group != nil {
            for path in payload.keys { payload[path]!.mode |= 0o440 }  // upstream's read-only ownership mask
        }
        return try AtomicDirectoryWriter(targetDirectory: directory, group: group).write(payload, now: clock())
    }

    private func payload(of volume: Volume, kind: VolumeKind, pod: Pod, podUID: String) async throws(VolumeProblem)
        -> [String: ProjectedFile]
    {
        let namespace = pod.metadata.namespace
        switch kind {
        case .configMap:
            let source = volume.configMap!
            let optional = source.optional ?? false
            let object = try await configMap(namespace: namespace, name: source.name, optional: optional)
            return try VolumePayload.configMap(
                object, items: source.items,
                defaultMode: VolumePayload.mode(source.defaultMode, default: VolumePayload.defaultMode),
                optional: optional)
        case .secret:
            let source = volume.secret!
            let optional = source.optional ?? false
            let object = try await secret(namespace: namespace, name: source.secretName, optional: optional)
            return try VolumePayload.secret(
                object, items: source.items,
                defaultMode: VolumePayload.mode(source.defaultMode, default: VolumePayload.defaultMode),
                optional: optional)
        case .downwardAPI:
            let source = volume.downwardAPI!
            return try VolumePayload.downwardAPI(
                source.items, defaultMode: VolumePayload.mode(source.defaultMode, default: VolumePayload.defaultMode),
                pod: pod, nodeAllocatable: nodeAllocatable)
        case .projected:
            return try await projectedPayload(volume.projected!, volumeName: volume.name, pod: pod, podUID: podUID)
        case .emptyDir, .hostPath:
            return [:]
        }
    }

    /// Upstream projected `collectData`: sources in order, later paths win; failures are aggregated.
    private func projectedPayload(_ source: ProjectedVolumeSource, volumeName: String, pod: Pod, podUID: String)
        async throws(VolumeProblem) -> [String: ProjectedFile]
    {
        let namespace = pod.metadata.namespace
        let defaultMode = VolumePayload.mode(source.defaultMode, default: VolumePayload.defaultMode)
        var payload: [String: ProjectedFile] = [:]
        var problems: [VolumeProblem] = []
        for projection in source.sources {
            do throws(VolumeProblem) {
                if let reference = projection.configMap {
                    let optional = reference.optional ?? false
                    let object = try await configMap(namespace: namespace, name: reference.name, optional: optional)
                    payload.merge(try VolumePayload.configMap(object, items: reference.items, defaultMode: defaultMode,
                                                              optional: optional)) { $1 }
                } else if let reference = projection.secret {
                    let optional = reference.optional ?? false
                    let object = try await secret(namespace: namespace, name: reference.name, optional: optional)
                    payload.merge(try VolumePayload.secret(object, items: reference.items, defaultMode: defaultMode,
                                                           optional: optional)) { $1 }
                } else if let reference = projection.downwardAPI {
                    payload.merge(try VolumePayload.downwardAPI(reference.items, defaultMode: defaultMode, pod: pod,
                                                                nodeAllocatable: nodeAllocatable)) { $1 }
                } else if let reference = projection.serviceAccountToken {
                    let token = try await token(for: reference, volumeName: volumeName, pod: pod, podUID: podUID)
                    // With an fsGroup the token is 0600 before the group mask (0640), as upstream.
                    let mode: UInt32 = Self.fsGroup(of: pod) == nil ? defaultMode : 0o600
                    payload[reference.path] = ProjectedFile(token.token, mode: mode)
                } else if projection.clusterTrustBundle != nil {
                    throw .unsupportedVolumeType("clusterTrustBundle projection")
                }
            } catch {
                if case .multiple(let inner) = error { problems += inner } else { problems.append(error) }
            }
        }
        if !problems.isEmpty { throw .multiple(problems) }
        return payload
    }

    private func configMap(namespace: String, name: String, optional: Bool) async throws(VolumeProblem) -> ConfigMap {
        let object: ConfigMap?
        do {
            object = try await objects.configMap(namespace: namespace, name: name)
        } catch {
            throw .objectUnavailable(kind: "configmap", namespace: namespace, name: name, detail: "\(error)")
        }
        if let object { return object }
        if optional { return ConfigMap(metadata: ObjectMeta(name: name, namespace: namespace)) }
        throw .configMapNotFound(name: name)
    }

    private func secret(namespace: String, name: String, optional: Bool) async throws(VolumeProblem) -> Secret {
        let object: Secret?
        do {
            object = try await objects.secret(namespace: namespace, name: name)
        } catch {
            throw .objectUnavailable(kind: "secret", namespace: namespace, name: name, detail: "\(error)")
        }
        if let object { return object }
        if optional { return Secret(metadata: ObjectMeta(name: name, namespace: namespace)) }
        throw .secretNotFound(name: name)
    }

    /// A cached token while it is younger than 80 % of its lifetime and 24 hours (upstream token manager),
    /// else a new one.
    private func token(for projection: ServiceAccountTokenProjection, volumeName: String, pod: Pod, podUID: String)
        async throws(VolumeProblem) -> ServiceAccountToken
    {
        var accountName = pod.spec.serviceAccountName
        if accountName.isEmpty { accountName = pod.spec.serviceAccount }
        if accountName.isEmpty { accountName = "default" }
        let request = TokenRequestKey(
            serviceAccountName: accountName, audiences: projection.audience.isEmpty ? [] : [projection.audience],
            expirationSeconds: projection.expirationSeconds ?? 3600, podName: pod.metadata.name)
        let key = podUID + "/" + volumeName + "/" + projection.path
        let now = clock()
        if let cached = tokens[key], cached.request == request {
            let lifetime = cached.token.expirationTimestamp.timeIntervalSince(cached.issuedAt)
            let age = now.timeIntervalSince(cached.issuedAt)
            if age < lifetime * 0.8, age < 24 * 3600 { return cached.token }
        }
        let token: ServiceAccountToken
        do {
            token = try await objects.serviceAccountToken(
                namespace: pod.metadata.namespace, serviceAccountName: accountName, audiences: request.audiences,
                expirationSeconds: request.expirationSeconds, podName: pod.metadata.name, podUID: podUID)
        } catch {
            throw .tokenRequestFailed("\(error)")
        }
        tokens[key] = CachedToken(request: request, token: token, issuedAt: now)
        return token
    }

    // MARK: Tear down

    /// Unmounts the pod's tmpfs volumes and removes its volumes directory (never descending into another
    /// mount; hostPath volumes are not touched). Idempotent.
    public func tearDown(podUID: String) throws {
        tokens = tokens.filter { !$0.key.hasPrefix(podUID + "/") }
        let directory = volumesDirectory(podUID: podUID)
        do {
            for mountPoint in TmpfsMount.mountPoints(under: directory) {
                try TmpfsMount.unmount(mountPoint)
            }
            try VolumeFileSystem.removeRecursively(directory)
        } catch {
            throw VolumeTeardownError(podUID: podUID, detail: "\(error)")
        }
        _ = rmdir(podDirectory(podUID: podUID))
    }

    // MARK: Helpers

    static func uid(of pod: Pod) -> String {
        pod.metadata.uid.isEmpty ? "\(pod.metadata.namespace)_\(pod.metadata.name)" : pod.metadata.uid
    }

    static func kind(of volume: Volume) -> VolumeKind? {
        if volume.emptyDir != nil { return .emptyDir }
        if volume.hostPath != nil { return .hostPath }
        if volume.configMap != nil { return .configMap }
        if volume.secret != nil { return .secret }
        if volume.downwardAPI != nil { return .downwardAPI }
        if volume.projected != nil { return .projected }
        return nil
    }

    static func typeName(of volume: Volume) -> String {
        if volume.persistentVolumeClaim != nil { return "persistentVolumeClaim" }
        if volume.nfs != nil { return "nfs" }
        if volume.csi != nil { return "csi" }
        if volume.image != nil { return "image" }
        return "this kind of"
    }
}

/// The volumes of a pod could not be removed (a busy mount, an unexpected mount below the volumes
/// directory, a read-only file system).
///
/// Value type; Sendable.
public struct VolumeTeardownError: Error, Sendable, Equatable, CustomStringConvertible {
    public var podUID: String
    public var detail: String

    public var description: String {
        "failed to remove the volumes of pod \(podUID): \(detail); unmount what is mounted below the pod's volumes directory and retry"
    }
}
