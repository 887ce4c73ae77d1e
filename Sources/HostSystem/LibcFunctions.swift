#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// C library functions the Swift Glibc module does not import (variadic or behind `_GNU_SOURCE`), bound
/// once through `dlsym` with their fixed-argument signatures.
///
/// Immutable after first use; safe from any thread.
enum LibcFunctions {
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32

    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    static let pipe2: Pipe2 = bind("pipe2")
    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+); nil on an older C library.
    static let addCloseFrom: AddCloseFrom? = bindIfPresent("posix_spawn_file_actions_addclosefrom_np")
    static let prctl: Prctl = bind("prctl")

    private static func bindIfPresent<Function>(_ name: String) -> Function? {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(symbol, to: Function.self)
    }

    private static func bind<Function>(_ name: String) -> Function {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else {
            fatalError("the C library has no \(name)")
        }
        return unsafeBitCast(symbol, to: Function.self)
    }
}
