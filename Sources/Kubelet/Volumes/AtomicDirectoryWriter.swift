import Foundation

/// Writes a volume's files the way upstream's `AtomicWriter` does, so a running container sees either the
/// old or the new set of files, never a mix:
///
///     <target>/..2026_11_28_12_00_00.123456789/<path>   the files of one version
///     <target>/..data -> ..2026_11_28_12_00_00.123456789 swapped atomically with rename(2)
///     <target>/<top-level name> -> ..data/<top-level name> what users see
///
/// A write whose files (bytes, modes and group) equal the current version changes nothing. With a `group`
/// (the pod's fsGroup) every written file and directory belongs to that group (upstream
/// `SetVolumeOwnership`).
///
/// Value type; not for concurrent use on the same target (the volume manager serialises per pod).
struct AtomicDirectoryWriter {
    static let dataDirectoryName = "..data"
    static let temporaryDataLinkName = "..data_tmp"

    let targetDirectory: String
    var group: UInt32? = nil

    /// Writes `payload` (relative path -> file); returns whether anything changed.
    @discardableResult
    func write(_ payload: [String: ProjectedFile], now: Date) throws(VolumeProblem) -> Bool {
        var cleaned: [String: ProjectedFile] = [:]
        for (path, file) in payload {
            try Self.validate(path)
            cleaned[Self.clean(path)] = file
        }
        let dataLink = targetDirectory + "/" + Self.dataDirectoryName
        let oldVersionName = VolumeFileSystem.readLink(dataLink)
        let oldVersionDirectory = oldVersionName.map { targetDirectory + "/" + $0 }
        let oldFiles = oldVersionDirectory.map(Self.files(under:)) ?? []

        let newTopLevel = Set(cleaned.keys.map(Self.topLevelName))
        let removedTopLevel = Set(oldFiles.map(Self.topLevelName)).subtracting(newTopLevel)
        var changed = oldVersionDirectory == nil || oldFiles.count != cleaned.count
        if !changed, let oldVersionDirectory {
            for (path, file) in cleaned {
                let existing = oldVersionDirectory + "/" + path
                if VolumeFileSystem.readFile(existing) != file.data || VolumeFileSystem.mode(existing) != file.mode
                    || (group != nil && VolumeFileSystem.group(existing) != group)
                {
                    changed = true
                    break
                }
            }
        }
        let visibleComplete = newTopLevel.allSatisfy {
            VolumeFileSystem.entryType(targetDirectory + "/" + $0) != .missing
        }
        if !changed, visibleComplete { return false }

        do {
            if changed {
                let versionName = try makeVersionDirectory(now: now)
                let versionDirectory = targetDirectory + "/" + versionName
                do {
                    for path in cleaned.keys.sorted() {
                        let file = cleaned[path]!
                        let destination = versionDirectory + "/" + path
                        let parent = VolumeFileSystem.parentDirectory(destination)
                        try VolumeFileSystem.makeDirectories(parent, mode: 0o755)
                        try VolumeFileSystem.writeNewFile(destination, bytes: file.data, mode: file.mode)
                        if let group {
                            try VolumeFileSystem.setGroup(destination, group)
                            if parent != versionDirectory { try VolumeFileSystem.setGroup(parent, group) }
                        }
                    }
                    try VolumeFileSystem.setMode(versionDirectory, 0o755)
                    if let group { try VolumeFileSystem.setGroup(versionDirectory, group) }
                    let temporaryLink = targetDirectory + "/" + Self.temporaryDataLinkName
                    if VolumeFileSystem.exists(temporaryLink) { try VolumeFileSystem.removeRecursively(temporaryLink) }
                    try VolumeFileSystem.symbolicLink(temporaryLink, pointingTo: versionName)
                    try VolumeFileSystem.move(temporaryLink, to: dataLink)
                } catch {
                    try? VolumeFileSystem.removeRecursively(versionDirectory)
                    throw error
                }
            }
            for name in newTopLevel.sorted() {
                let visible = targetDirectory + "/" + name
                if VolumeFileSystem.entryType(visible) == .missing {
                    try VolumeFileSystem.symbolicLink(visible, pointingTo: Self.dataDirectoryName + "/" + name)
                }
            }
            for name in removedTopLevel.sorted() {
                try VolumeFileSystem.removeRecursively(targetDirectory + "/" + name)
            }
            if changed, let oldVersionDirectory {
                try VolumeFileSystem.removeRecursively(oldVersionDirectory)
            }
        } catch {
            throw .fileSystem("\(error)")
        }
        return true
    }

    /// `..2026_11_28_12_00_00.<random digits>`, created fresh (upstream `os.MkdirTemp` with a UTC stamp).
    private func makeVersionDirectory(now: Date) throws(VolumeFileSystemError) -> String {
        let stamp = Self.timestamp(now)
        while true {
            let name = "..\(stamp).\(UInt32.random(in: 100_000_000...UInt32.max))"
            if VolumeFileSystem.exists(targetDirectory + "/" + name) { continue }
            try VolumeFileSystem.makeDirectory(targetDirectory + "/" + name, mode: 0o700)
            return name
        }
    }

    /// `2006_01_02_15_04_05` in UTC.
    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { let text = String(value ?? 0); return text.count < 2 ? "0" + text : text }
        return "\(parts.year ?? 1970)_\(two(parts.month))_\(two(parts.day))_\(two(parts.hour))_\(two(parts.minute))_\(two(parts.second))"
    }

    /// Relative paths of the regular files below `directory`.
    static func files(under directory: String) -> [String] {
        var result: [String] = []
        func walk(_ relative: String) {
            let absolute = relative.isEmpty ? directory : directory + "/" + relative
            for name in VolumeFileSystem.directoryEntries(absolute) {
                let child = relative.isEmpty ? name : relative + "/" + name
                switch VolumeFileSystem.entryType(directory + "/" + child) {
                case .directory: walk(child)
                case .missing: break
                default: result.append(child)
                }
            }
        }
        walk("")
        return result
    }

    static func topLevelName(_ path: String) -> String {
        String(path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: true).first ?? "")
    }

    static func clean(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }.joined(separator: "/")
    }

    /// Upstream `validatePath`: relative, at most 4096 bytes, segments of at most 255 bytes, no `..`
    /// segment, not starting with `..`.
    static func validate(_ path: String) throws(VolumeProblem) {
        if path.isEmpty { throw .invalidPath(path, "must not be empty") }
        if path.utf8.count > 4096 { throw .invalidPath(path, "must be less than or equal to 4096 characters") }
        if path.hasPrefix("/") { throw .invalidPath(path, "must be relative path") }
        if path.hasPrefix("..") { throw .invalidPath(path, "must not start with '..'") }
        for segment in path.split(separator: "/", omittingEmptySubsequences: false) {
            if segment == ".." { throw .invalidPath(path, "must not contain '..'") }
            if segment.utf8.count > 255 { throw .invalidPath(path, "must be less than or equal to 255 characters") }
        }
        if clean(path).isEmpty { throw .invalidPath(path, "must not be empty") }
    }
}
