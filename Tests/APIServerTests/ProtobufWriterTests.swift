@testable import APIServer
import Testing

/// The protobuf writer against known wire bytes and the existing reader: varints, proto3 zero values
/// left out, doubles, negative int64s, and nested messages (written even when empty).
@Suite struct ProtobufWriterTests {
    @Test func knownWireBytes() {
        var writer = ProtobufWriter()
        writer.int64(1, 150)
        writer.string(2, "testing")
        #expect(writer.bytes == [0x08, 0x96, 0x01, 0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6E, 0x67])

        var zeros = ProtobufWriter()
        zeros.int64(1, 0)
        zeros.string(2, "")
        zeros.bool(3, false)
        zeros.double(4, 0)
        #expect(zeros.bytes.isEmpty)

        var repeated = ProtobufWriter()
        repeated.repeatedString(5, "")
        repeated.message(6) { _ in }
        #expect(repeated.bytes == [0x2A, 0x00, 0x32, 0x00])
    }

    @Test func readerReadsWhatTheWriterWrote() throws {
        var writer = ProtobufWriter()
        writer.int64(1, -2)
        writer.double(2, 1.5)
        writer.bool(3, true)
        writer.message(300) { nested in nested.string(1, "inner") }
        var reader = ProtobufReader(writer.bytes)

        #expect(try reader.readTag() == (1, .varint))
        #expect(Int64(bitPattern: try reader.readVarint()) == -2)
        #expect(try reader.readTag() == (2, .fixed64))
        #expect(Double(bitPattern: try reader.readFixed64()) == 1.5)
        #expect(try reader.readTag() == (3, .varint))
        #expect(try reader.readVarint() == 1)
        #expect(try reader.readTag() == (300, .lengthDelimited))
        var nested = try reader.readMessage()
        #expect(try nested.readTag() == (1, .lengthDelimited))
        #expect(try nested.readString() == "inner")
        #expect(nested.isAtEnd && reader.isAtEnd)
    }
}
