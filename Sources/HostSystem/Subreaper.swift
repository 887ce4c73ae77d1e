#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Makes this process the child subreaper of its descendants (`prctl(PR_SET_CHILD_SUBREAPER)`), so that a
/// container's init process, orphaned when `runc create` exits, is reparented here and its exit code can be
/// read with `ChildExitMonitor`. Needed because PID 1 on a node need not be an init system.
///
/// Stateless; safe from any thread.
public enum Subreaper {
    /// Enables subreaping for this process; idempotent.
    public static func enable() throws(HostSystemError) {
        let prSetChildSubreaper: Int32 = 36
        guard LibcFunctions.prctl(prSetChildSubreaper, 1, 0, 0, 0) == 0 else {
            throw .systemCall("prctl(PR_SET_CHILD_SUBREAPER)", errno: errno)
        }
    }
}
