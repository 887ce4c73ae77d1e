/// An IPv4 address as a 32-bit number in host byte order, written in dotted-quad form ("10.244.0.2").
///
/// A value type; Sendable. Parsing is strict: four decimal octets 0...255, no leading zeros, no spaces.
public struct IPv4Address: Sendable, Hashable, Comparable, Codable, LosslessStringConvertible {
    /// The address as a number: 10.244.0.2 is `0x0AF4_0002`.
    public let value: UInt32

    public init(_ value: UInt32) {
        self.value = value
    }

    /// Parses "a.b.c.d"; nil when the text is not exactly a dotted-quad IPv4 address.
    public init?(_ description: String) {
        let parts = description.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  part.count == 1 || part.first != "0", let octet = UInt8(part) else { return nil }
            result = result << 8 | UInt32(octet)
        }
        value = result
    }

    /// The four octets, most significant first.
    public var octets: [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff)]
    }

    public var description: String {
        octets.map(String.init).joined(separator: ".")
    }

    /// The address `offset` positions later (or earlier, when negative); nil when that leaves 0.0.0.0...255.255.255.255.
    public func advanced(by offset: Int64) -> IPv4Address? {
        let result = Int64(value) + offset
        guard result >= 0, result <= Int64(UInt32.max) else { return nil }
        return IPv4Address(UInt32(result))
    }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool {
        lhs.value < rhs.value
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let address = IPv4Address(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not an IPv4 address such as 10.244.0.2")
        }
        self = address
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
