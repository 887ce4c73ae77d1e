import Foundation

/// Resolves an image config `User` (`""`, `uid`, `uid:gid`, `name`, `name:group`, `uid:group`, `name:gid`)
/// to numeric ids through the container's own `/etc/passwd` and `/etc/group` (never the host's).
///
/// A bare uid takes its gid from the passwd entry with that uid, else 0. A user given by name also gets the
/// groups that list it as a member as additional gids. Unknown names are errors; unknown numeric ids are not.
///
/// Stateless; Sendable. `resolve(_:passwd:group:)` is pure; `resolve(_:rootfs:)` reads the two files.
public enum ImageUserResolver {
    /// Reads `/etc/passwd` and `/etc/group` from `rootfs` (symlinks are followed inside the rootfs; missing
    /// files count as empty) and resolves `user`.
    public static func resolve(_ user: String, rootfs: String) throws(ImageUserError) -> ContainerUser {
        // Only "uid:gid" needs neither file.
        let needsFiles = !user.isEmpty && !(user.contains(":") && user.split(separator: ":").allSatisfy { UInt32($0) != nil })
        let passwd = needsFiles ? readInsideRootfs(rootfs, "/etc/passwd") : ""
        let group = needsFiles ? readInsideRootfs(rootfs, "/etc/group") : ""
        return try resolve(user, passwd: passwd, group: group)
    }

    /// Resolves `user` against the contents of a passwd and a group file.
    public static func resolve(_ user: String, passwd: String, group: String) throws(ImageUserError) -> ContainerUser {
        if user.isEmpty { return ContainerUser(uid: 0, gid: 0) }
        let parts = user.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let userPart = parts[0]
        let groupPart = parts.count > 1 ? parts[1] : nil
        let users = passwdEntries(passwd)
        let groups = groupEntries(group)

        let uid: UInt32
        var primaryGid: UInt32 = 0
        var userName: String?
        if let numeric = UInt32(userPart) {
            uid = numeric
            if let entry = users.first(where: { $0.uid == numeric }) {
                primaryGid = entry.gid
                userName = entry.name
            }
        } else {
            guard let entry = users.first(where: { $0.name == userPart }) else {
                throw .unknownUser(userPart)
            }
            uid = entry.uid
            primaryGid = entry.gid
            userName = entry.name
        }

        var gid = primaryGid
        if let groupPart {
            if let numeric = UInt32(groupPart) {
                gid = numeric
            } else if let entry = groups.first(where: { $0.name == groupPart }) {
                gid = entry.gid
            } else {
                throw .unknownGroup(groupPart)
            }
        }

        var additional: [UInt32] = []
        if groupPart == nil, let userName, UInt32(userPart) == nil {
            for entry in groups where entry.members.contains(userName) && entry.gid != gid && !additional.contains(entry.gid) {
                additional.append(entry.gid)
            }
        }
        return ContainerUser(uid: uid, gid: gid, additionalGids: additional)
    }

    private struct PasswdEntry {
        let name: String
        let uid: UInt32
        let gid: UInt32
    }

    private struct GroupEntry {
        let name: String
        let gid: UInt32
        let members: [String]
    }

    private static func passwdEntries(_ text: String) -> [PasswdEntry] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count >= 4, !line.hasPrefix("#"), let uid = UInt32(fields[2]), let gid = UInt32(fields[3]) else {
                return nil
            }
            return PasswdEntry(name: String(fields[0]), uid: uid, gid: gid)
        }
    }

    private static func groupEntries(_ text: String) -> [GroupEntry] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count >= 3, !line.hasPrefix("#"), let gid = UInt32(fields[2]) else { return nil }
            let members = fields.count > 3 ? fields[3].split(separator: ",").map(String.init) : []
            return GroupEntry(name: String(fields[0]), gid: gid, members: members)
        }
    }

    /// Reads `path` as seen from inside `rootfs`: absolute symlinks point into the rootfs, not the host.
    private static func readInsideRootfs(_ rootfs: String, _ path: String) -> String {
        var current = path
        for _ in 0..<16 {
            let hostPath = rootfs + current
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: hostPath) {
                if target.hasPrefix("/") {
                    current = target
                } else {
                    current = (current as NSString).deletingLastPathComponent + "/" + target
                }
                current = normalized(current)
                continue
            }
            guard let data = FileManager.default.contents(atPath: hostPath) else { return "" }
            return String(decoding: data, as: UTF8.self)
        }
        return ""
    }

    /// Collapses `.` and `..` without leaving `/`.
    private static func normalized(_ path: String) -> String {
        var components: [Substring] = []
        for component in path.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": if !components.isEmpty { components.removeLast() }
            default: components.append(component)
            }
        }
        return "/" + components.joined(separator: "/")
    }
}

/// Why an image user could not be resolved; the description is what the kubelet reports
/// (CreateContainerConfigError).
///
/// A value type; Sendable.
public enum ImageUserError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownUser(String)
    case unknownGroup(String)

    public var description: String {
        switch self {
        case .unknownUser(let name): "unable to find user \(name): no matching entries in passwd file"
        case .unknownGroup(let name): "unable to find group \(name): no matching entries in group file"
        }
    }
}
