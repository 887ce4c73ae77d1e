import NIOCore

/// Where serialised JSON is appended: a byte array (whole bodies) or a NIO buffer (streamed bodies that go
/// to the socket without another copy).
///
/// Implemented by value types; no shared state.
protocol JSONByteSink {
    /// Bytes appended so far.
    var writtenByteCount: Int { get }
    mutating func append(bytes: UnsafeBufferPointer<UInt8>)
    mutating func append(byte: UInt8)
}

extension Array: JSONByteSink where Element == UInt8 {
    var writtenByteCount: Int { count }
    mutating func append(bytes: UnsafeBufferPointer<UInt8>) { append(contentsOf: bytes) }
    mutating func append(byte: UInt8) { append(byte) }
}

extension ByteBuffer: JSONByteSink {
    var writtenByteCount: Int { readableBytes }
    mutating func append(bytes: UnsafeBufferPointer<UInt8>) { writeBytes(bytes) }
    mutating func append(byte: UInt8) { writeInteger(byte) }
}
