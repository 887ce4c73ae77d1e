public import ContainerRuntime
public import KubeAPI

/// Turns a container's `volumeMounts` into OCI bind mounts of the pod's set-up volumes (upstream
/// `makeMounts`): read-only when the mount or the volume says so; `subPath` / `subPathExpr` (expanded with
/// `$(VAR)` from the container's environment; every referenced variable must be set and non-empty) must be
/// relative without `..`, is created as a directory when missing (with the volume directory's mode) and,
/// after resolving symlinks, must stay inside the volume; `mountPropagation` None/HostToContainer/
/// Bidirectional maps to rprivate/rslave/rshared (Bidirectional only for privileged containers).
///
/// Stateless; pure apart from creating missing subPath directories.
public enum ContainerMountPlanner {
    public static func mounts(for container: Container, volumes: PodVolumes, environment: [EnvironmentVariable] = [])
        throws(ContainerMountError) -> [ContainerMount]
    {
        var result: [ContainerMount] = []
        result.reserveCapacity(container.volumeMounts.count)
        let privileged = container.securityContext?.privileged ?? false
        for mount in container.volumeMounts {
            guard let volume = volumes[mount.name] else {
                throw .volumeNotFound(volume: mount.name, container: container.name)
            }
            var subPath = mount.subPath
            if !mount.subPathExpr.isEmpty {
                subPath = try expandSubPath(mount.subPathExpr, environment: environment)
            }
            var source = volume.hostPath
            if !subPath.isEmpty {
                source = try prepareSubPath(subPath, volumePath: volume.hostPath, mountName: mount.name,
                                            containerName: container.name)
            }
            let propagation = try propagationOption(mount.mountPropagation, privileged: privileged)
            let readOnly = mount.readOnly || volume.readOnly
            result.append(ContainerMount(destination: mount.mountPath, source: source, type: "bind",
                                         options: ["rbind", readOnly ? "ro" : "rw", propagation]))
        }
        return result
    }

    /// Upstream `ExpandContainerVolumeMounts`.
    static func expandSubPath(_ expression: String, environment: [EnvironmentVariable])
        throws(ContainerMountError) -> String
    {
        var values: [String: String] = [:]
        for variable in environment { values[variable.name] = variable.value }
        var missing = Set<String>()
        let expanded = VariableExpansion.expand(expression) { name in
            let value = values[name] ?? ""
            if value.isEmpty { missing.insert(name) }
            return value
        }
        if !missing.isEmpty { throw .missingSubPathVariables(missing.sorted()) }
        return expanded
    }

    /// Validates, creates when missing, and resolves `subPath` inside `volumePath`; returns the host path.
    static func prepareSubPath(_ subPath: String, volumePath: String, mountName: String, containerName: String)
        throws(ContainerMountError) -> String
    {
        if subPath.hasPrefix("/") { throw .absoluteSubPath(subPath) }
        if subPath.split(separator: "/", omittingEmptySubsequences: false).contains("..") {
            throw .subPathBacksteps(subPath)
        }
        guard let volumeRoot = VolumeFileSystem.realPath(volumePath) else {
            throw .subPathOutsideVolume(subPath: subPath, volumePath: volumePath)
        }
        let candidate = volumePath + "/" + subPath
        if VolumeFileSystem.entryType(candidate, followingSymlinks: true) == .missing {
            let mode = VolumeFileSystem.mode(volumePath) ?? 0o755
            var current = volumeRoot
            for component in subPath.split(separator: "/") where component != "." {
                let next = current + "/" + component
                if VolumeFileSystem.entryType(next, followingSymlinks: true) == .missing {
                    do { try VolumeFileSystem.makeDirectory(next, mode: mode) } catch {
                        throw .subPathCreationFailed(volumeMount: mountName, container: containerName)
                    }
                }
                guard let resolved = VolumeFileSystem.realPath(next), within(resolved, volumeRoot) else {
                    throw .subPathOutsideVolume(subPath: subPath, volumePath: volumePath)
                }
                current = resolved
            }
        }
        guard let resolved = VolumeFileSystem.realPath(candidate), within(resolved, volumeRoot) else {
            throw .subPathOutsideVolume(subPath: subPath, volumePath: volumePath)
        }
        return resolved
    }

    private static func within(_ path: String, _ root: String) -> Bool {
        path == root || path.hasPrefix(root == "/" ? "/" : root + "/")
    }

    /// Upstream `translateMountPropagation` as an OCI mount option.
    static func propagationOption(_ mode: String?, privileged: Bool) throws(ContainerMountError) -> String {
        switch mode {
        case nil, "None": return "rprivate"
        case "HostToContainer": return "rslave"
        case "Bidirectional":
            guard privileged else { throw .bidirectionalPropagationNotPrivileged }
            return "rshared"
        case let other?: throw .invalidPropagation(other)
        }
    }
}
