#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Extended attributes of a path itself, never of a symlink's target (lsetxattr(2), lgetxattr(2)), e.g.
/// `trusted.overlay.opaque` on an overlayfs lower directory.
///
/// Stateless; safe from any thread. The functions are bound once through `dlsym` because the Swift Glibc
/// module does not import `<sys/xattr.h>`.
public enum ExtendedAttributes {
    /// Sets attribute `name` of `path` to `value` (created or replaced).
    public static func set(_ name: String, value: [UInt8], at path: String) throws(HostSystemError) {
        let result = value.withUnsafeBytes { Functions.lsetxattr(path, name, $0.baseAddress, $0.count, 0) }
        guard result == 0 else { throw .systemCall("lsetxattr(\(path), \(name))", errno: errno) }
    }

    /// The value of attribute `name` of `path`, or nil when the path has no such attribute.
    public static func value(_ name: String, at path: String) throws(HostSystemError) -> [UInt8]? {
        let size = Functions.lgetxattr(path, name, nil, 0)
        if size < 0 {
            if errno == ENODATA { return nil }
            throw .systemCall("lgetxattr(\(path), \(name))", errno: errno)
        }
        var buffer = [UInt8](repeating: 0, count: size)
        let read = buffer.withUnsafeMutableBytes { Functions.lgetxattr(path, name, $0.baseAddress, $0.count) }
        guard read >= 0 else {
            if errno == ENODATA { return nil }
            throw .systemCall("lgetxattr(\(path), \(name))", errno: errno)
        }
        return Array(buffer[0..<read])
    }

    private enum Functions {
        typealias SetAttribute = @convention(c) (
            UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafeRawPointer?, Int, Int32
        ) -> Int32
        typealias GetAttribute = @convention(c) (
            UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafeMutableRawPointer?, Int
        ) -> Int

        static let lsetxattr: SetAttribute = bind("lsetxattr")
        static let lgetxattr: GetAttribute = bind("lgetxattr")

        private static func bind<Function>(_ name: String) -> Function {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else {
                fatalError("the C library has no \(name)")
            }
            return unsafeBitCast(symbol, to: Function.self)
        }
    }
}
