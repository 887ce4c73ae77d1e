/// The envelope of a Kubernetes protobuf body: the magic `k8s\0` (`6b 38 73 00`) followed by a
/// `runtime.Unknown` message `{1: typeMeta {1: apiVersion, 2: kind}, 2: raw, 3: contentEncoding,
/// 4: contentType}`, where `raw` is the object encoded with the field numbers of upstream
/// `generated.proto`.
///
/// Value type; Sendable.
struct ProtobufEnvelope: Equatable, Sendable {
    /// `k8s\0`.
    static let magic: [UInt8] = [0x6B, 0x38, 0x73, 0x00]

    var apiVersion: String
    var kind: String
    /// The encoded object.
    var raw: [UInt8]
    var contentEncoding: String
    var contentType: String

    init(apiVersion: String, kind: String, raw: [UInt8], contentEncoding: String = "", contentType: String = "") {
        self.apiVersion = apiVersion
        self.kind = kind
        self.raw = raw
        self.contentEncoding = contentEncoding
        self.contentType = contentType
    }

    /// Checks the magic and reads the `runtime.Unknown` after it. Unknown fields are skipped; a
    /// `contentEncoding` (upstream never sets one on requests) is rejected.
    init(decoding body: [UInt8]) throws(ProtobufDecodingError) {
        guard body.count >= Self.magic.count, body.prefix(Self.magic.count).elementsEqual(Self.magic) else {
            throw .missingMagic
        }
        var reader = ProtobufReader(Array(body.dropFirst(Self.magic.count)))
        self.init(apiVersion: "", kind: "", raw: [])
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            switch tag.field {
            case 1:
                try Self.expectLengthDelimited(tag.wireType, field: "typeMeta")
                var typeMeta = try reader.readMessage()
                while !typeMeta.isAtEnd {
                    let inner = try typeMeta.readTag()
                    switch inner.field {
                    case 1:
                        try Self.expectLengthDelimited(inner.wireType, field: "typeMeta.apiVersion")
                        apiVersion = try typeMeta.readString()
                    case 2:
                        try Self.expectLengthDelimited(inner.wireType, field: "typeMeta.kind")
                        kind = try typeMeta.readString()
                    default:
                        try typeMeta.skipValue(wireType: inner.wireType, field: inner.field)
                    }
                }
            case 2:
                try Self.expectLengthDelimited(tag.wireType, field: "raw")
                raw = try reader.readBytes()
            case 3:
                try Self.expectLengthDelimited(tag.wireType, field: "contentEncoding")
                contentEncoding = try reader.readString()
            case 4:
                try Self.expectLengthDelimited(tag.wireType, field: "contentType")
                contentType = try reader.readString()
            default:
                try reader.skipValue(wireType: tag.wireType, field: tag.field)
            }
        }
        if !contentEncoding.isEmpty { throw .unsupportedContentEncoding(contentEncoding) }
    }

    private static func expectLengthDelimited(_ wireType: ProtobufWireType, field: String)
        throws(ProtobufDecodingError)
    {
        if wireType != .lengthDelimited {
            throw .wrongWireType(field: "Unknown." + field, expected: .lengthDelimited, actual: wireType)
        }
    }
}
