public import Foundation

/// A point in time with whole-second precision, serialized like Kubernetes `metav1.Time`
/// (`"2006-01-02T15:04:05Z"`, always UTC).
///
/// Decoding accepts fractional seconds (dropped) and numeric offsets such as `+02:00`.
/// Parsing and formatting are hand-written integer code (no `DateFormatter`).
/// Value type; Sendable.
public struct RFC3339Time: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    public let secondsSince1970: Int64

    public init(secondsSince1970: Int64) {
        self.secondsSince1970 = secondsSince1970
    }

    /// Truncates `date` down to the whole second.
    public init(_ date: Date) {
        let interval = date.timeIntervalSince1970.rounded(.down)
        self.secondsSince1970 = Int64(exactly: interval) ?? (interval < 0 ? Int64.min : Int64.max)
    }

    /// The current time, truncated to the second.
    public static func now() -> RFC3339Time {
        RFC3339Time(Date())
    }

    /// Parses an RFC 3339 timestamp; any fraction of a second is dropped.
    public init(parsing text: String) throws(TimestampParseError) {
        switch CivilTime.parse(text) {
        case .success(let parsed): self.init(secondsSince1970: parsed.seconds)
        case .failure(let error): throw error
        }
    }

    public var date: Date {
        Date(timeIntervalSince1970: TimeInterval(secondsSince1970))
    }

    /// The canonical `metav1.Time` text, e.g. `2006-01-02T15:04:05Z`.
    public var description: String {
        CivilTime.format(secondsSince1970: secondsSince1970, microseconds: nil)
    }

    public static func < (lhs: RFC3339Time, rhs: RFC3339Time) -> Bool {
        lhs.secondsSince1970 < rhs.secondsSince1970
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
        let year = CivilTime.year(ofSecondsSince1970: secondsSince1970)
        guard (0...9999).contains(year) else {
            throw EncodingError.invalidValue(
                self,
                EncodingError.Context(
                    codingPath: encoder.codingPath,
                    debugDescription: "Time.MarshalJSON: year \(year) outside of range [0,9999]; use a timestamp within years 0000-9999"
                )
            )
        }
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
