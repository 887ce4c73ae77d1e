/// Upstream's hostPath type check (`checkType` in pkg/volume/hostpath): "" checks nothing (a missing path
/// is created as a directory, as CRI runtimes do for bind sources),
/// `DirectoryOrCreate` / `FileOrCreate` create a missing directory (0755) or empty file (0644), the other
/// types require an existing entry of that kind (symlinks followed).
///
/// Stateless; touches the host file system.
enum HostPathCheck {
    static func check(path: String, type: String?) throws(VolumeProblem) {
        let type = type ?? ""
        switch type {
        case "":
            // No check (upstream); like containerd and Docker, a missing source becomes a directory so the
            // bind mount can be made.
            if VolumeFileSystem.entryType(path, followingSymlinks: true) == .missing {
                do { try VolumeFileSystem.makeDirectories(path, mode: 0o755) } catch { throw .fileSystem("\(error)") }
            }
        case "DirectoryOrCreate":
            if VolumeFileSystem.entryType(path, followingSymlinks: true) == .missing {
                do { try VolumeFileSystem.makeDirectories(path, mode: 0o755) } catch { throw .fileSystem("\(error)") }
                return
            }
            try require(path, .directory, "a directory")
        case "Directory":
            try require(path, .directory, "a directory")
        case "FileOrCreate":
            if VolumeFileSystem.entryType(path, followingSymlinks: true) == .missing {
                do {
                    try VolumeFileSystem.makeDirectories(VolumeFileSystem.parentDirectory(path), mode: 0o755)
                    try VolumeFileSystem.createFileIfMissing(path, mode: 0o644)
                } catch {
                    throw .fileSystem("\(error)")
                }
                return
            }
            try require(path, .regularFile, "a file")
        case "File":
            try require(path, .regularFile, "a file")
        case "Socket":
            try require(path, .socket, "a socket file")
        case "CharDevice":
            try require(path, .characterDevice, "a character device")
        case "BlockDevice":
            try require(path, .blockDevice, "a block device")
        default:
            throw .invalidHostPathType(type)
        }
    }

    private static func require(_ path: String, _ expected: VolumeFileSystem.EntryType, _ description: String)
        throws(VolumeProblem)
    {
        guard VolumeFileSystem.entryType(path, followingSymlinks: true) == expected else {
            throw .hostPathTypeMismatch(path: path, expected: description)
        }
    }
}
