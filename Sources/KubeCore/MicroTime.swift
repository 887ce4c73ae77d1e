public import Foundation

/// A point in time with microsecond precision, serialized like Kubernetes `metav1.MicroTime`
/// (`"2006-01-02T15:04:05.000000Z"`, always UTC, exactly six fractional digits).
///
/// Decoding accepts any number of fractional digits (truncated to microseconds) and offsets.
/// Value type; Sendable.
public struct MicroTime: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public let microsecondsSince1970: Int64

    public init(microsecondsSince1970: Int64) {
        self.microsecondsSince1970 = microsecondsSince1970
    }

    /// Rounds `date` to the nearest microsecond (a `Date` is a `Double`, so truncation could be off by one).
    public init(_ date: Date) {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        self.microsecondsSince1970 = Int64(exactly: micros) ?? (micros < 0 ? Int64.min : Int64.max)
    }

    /// The current time, at microsecond precision.
    public static func now() -> MicroTime {
        MicroTime(Date())
    }

    /// Parses an RFC 3339 timestamp; digits beyond microseconds are dropped.
    public init(parsing text: String) throws(TimestampParseError) {
        switch CivilTime.parse(text) {
        case .success(let parsed):
            self.init(microsecondsSince1970: parsed.seconds * 1_000_000 + parsed.nanoseconds / 1000)
        case .failure(let error):
            throw error
        }
    }

    public var date: Date {
        let seconds = CivilTime.floorDivide(microsecondsSince1970, 1_000_000)
        let micros = microsecondsSince1970 - seconds * 1_000_000
        return Date(timeIntervalSince1970: TimeInterval(seconds) + TimeInterval(micros) / 1_000_000)
    }

    /// The same instant truncated to whole seconds.
    public var rfc3339Time: RFC3339Time {
        RFC3339Time(secondsSince1970: CivilTime.floorDivide(microsecondsSince1970, 1_000_000))
    }

    /// The canonical `metav1.MicroTime` text, e.g. `2006-01-02T15:04:05.000000Z`.
    public var description: String {
        let seconds = CivilTime.floorDivide(microsecondsSince1970, 1_000_000)
        return CivilTime.format(secondsSince1970: seconds, microseconds: microsecondsSince1970 - seconds * 1_000_000)
    }

    public static func < (lhs: MicroTime, rhs: MicroTime) -> Bool {
        lhs.microsecondsSince1970 < rhs.microsecondsSince1970
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        let year = CivilTime.year(ofSecondsSince1970: CivilTime.floorDivide(microsecondsSince1970, 1_000_000))
        guard (0...9999).contains(year) else {
            throw EncodingError.invalidValue(
                self,
                EncodingError.Context(
                    codingPath: encoder.codingPath,
                    debugDescription: "MicroTime.MarshalJSON: year \(year) outside of range [0,9999]; use a timestamp within years 0000-9999"
                )
            )
        }
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
