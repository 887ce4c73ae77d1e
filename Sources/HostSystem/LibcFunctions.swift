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

    static let pipe2: Pipe2 = bind("pipe2")
    static let prctl: Prctl = bind("prctl")

    private static func bind<Function>(_ name: String) -> Function {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else {
            fatalError("the C library has no \(name)")
        }
        return unsafeBitCast(symbol, to: Function.self)
    }
}
