/// Linux capability names and the default set a container gets (Docker's and containerd's 14).
///
/// Stateless; Sendable.
public enum LinuxCapabilities {
    /// The default capabilities of a container process running as uid 0.
    public static let defaultSet: [String] = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
        "CAP_AUDIT_WRITE",
    ]

    /// Every capability up to CAP_CHECKPOINT_RESTORE (Linux 5.9), in kernel order. runc ignores ones its
    /// kernel does not know.
    public static let all: [String] = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
        "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO",
        "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
        "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
        "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
        "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ]

    /// `net_admin`, `NET_ADMIN` and `CAP_NET_ADMIN` all become `CAP_NET_ADMIN`; `all` becomes `ALL`.
    public static func canonicalName(_ name: String) -> String {
        let upper = name.uppercased()
        if upper == "ALL" { return upper }
        return upper.hasPrefix("CAP_") ? upper : "CAP_" + upper
    }

    /// The default set with `drop` removed, then `add` added (Kubernetes semantics: `ALL` in drop empties
    /// the set first, `ALL` in add adds everything). Order: the default set's order, then additions as given.
    public static func effectiveSet(adding add: [String], dropping drop: [String]) -> [String] {
        let dropped = Set(drop.map(canonicalName))
        let added = add.map(canonicalName)
        var result: [String] = dropped.contains("ALL") ? [] : defaultSet.filter { !dropped.contains($0) }
        let additions = added.contains("ALL") ? all : added
        for capability in additions where !result.contains(capability) {
            result.append(capability)
        }
        return result
    }
}
