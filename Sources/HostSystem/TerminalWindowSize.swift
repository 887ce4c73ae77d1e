#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Sets the window size of a terminal (`ioctl(TIOCSWINSZ)`), e.g. a container exec's pseudo-terminal
/// master when the client's window changes; the kernel sends SIGWINCH to the foreground process group.
///
/// Stateless; safe from any thread.
public enum TerminalWindowSize {
    public static func set(_ fd: Int32, columns: UInt16, rows: UInt16) throws(HostSystemError) {
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        let result = withUnsafeMutablePointer(to: &size) { ioctl(fd, UInt(TIOCSWINSZ), UnsafeMutableRawPointer($0)) }
        guard result == 0 else { throw .systemCall("ioctl(TIOCSWINSZ)", errno: errno) }
    }
}
