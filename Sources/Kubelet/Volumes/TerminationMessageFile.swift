public import ContainerRuntime
public import KubeAPI

/// The file behind a container's `terminationMessagePath` (default `/dev/termination-log`): a fresh empty
/// file `<pod dir>/containers/<container>/<random hex>` (mode 0666 so any container user can write it),
/// bind-mounted read-write; after the container exits the kubelet reads at most 4096 bytes of it into
/// the terminated state's `message` (upstream).
///
/// Stateless; creates files.
public enum TerminationMessageFile {
    /// Upstream's cap on the message read back.
    public static let maximumBytes = 4096

    /// Creates the host file and returns its mount (at `/dev/termination-log` when the path is empty).
    public static func prepare(for container: Container, podDirectory: String)
        throws(ContainerMountError) -> ContainerMount
    {
        let destination = container.terminationMessagePath.isEmpty ? "/dev/termination-log" : container.terminationMessagePath
        let directory = podDirectory + "/containers/" + container.name
        let name = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let hostPath = directory + "/" + name
        do {
            try VolumeFileSystem.makeDirectories(directory, mode: 0o750)
            try VolumeFileSystem.writeNewFile(hostPath, bytes: [], mode: 0o666)
        } catch {
            throw .terminationMessageFile("\(error)")
        }
        return ContainerMount(destination: destination, source: hostPath, type: "bind", options: ["rbind", "rw", "rprivate"])
    }

    /// The message a terminated container left (at most ``maximumBytes``), "" when none.
    public static func read(hostPath: String) -> String {
        guard let bytes = VolumeFileSystem.readFile(hostPath) else { return "" }
        return String(decoding: bytes.prefix(maximumBytes), as: UTF8.self)
    }
}
