/// Durations written as Go's `time.ParseDuration` reads and `Duration.String` prints them (`1m0s`, `500ms`,
/// `1h2m3.5s`), the format of kubectl's duration flags.
///
/// Namespace of pure functions.
public enum GoDuration {
    private static let units: [(String, Double)] = [
        ("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("μs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600),
    ]

    /// Parses `text`; nil when it is not a Go duration.
    public static func parse(_ text: String) -> Duration? {
        var rest = Substring(text)
        var negative = false
        if rest.first == "-" || rest.first == "+" {
            negative = rest.first == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return .zero }
        guard !rest.isEmpty else { return nil }
        var seconds = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !($0.isNumber || $0 == ".") }
            // Longest unit first so "ms" is not read as "m".
            guard let unit = units.filter({ unitText == $0.0 }).first else { return nil }
            rest = rest.dropFirst(unitText.count)
            seconds += value * unit.1
        }
        let nanoseconds = Int64((seconds * 1e9).rounded())
        return .nanoseconds(negative ? -nanoseconds : nanoseconds)
    }

    /// Go's `Duration.String()`.
    public static func format(_ duration: Duration) -> String {
        var nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        if nanoseconds == 0 { return "0s" }
        let sign = nanoseconds < 0 ? "-" : ""
        nanoseconds = abs(nanoseconds)
        if nanoseconds < 1_000 { return "\(sign)\(nanoseconds)ns" }
        if nanoseconds < 1_000_000 { return sign + fraction(nanoseconds, 1_000) + "µs" }
        if nanoseconds < 1_000_000_000 { return sign + fraction(nanoseconds, 1_000_000) + "ms" }
        let hours = nanoseconds / 3_600_000_000_000
        let minutes = (nanoseconds / 60_000_000_000) % 60
        let secondPart = fraction(nanoseconds % 60_000_000_000, 1_000_000_000) + "s"
        if hours > 0 { return "\(sign)\(hours)h\(minutes)m\(secondPart)" }
        if minutes > 0 { return "\(sign)\(minutes)m\(secondPart)" }
        return sign + secondPart
    }

    private static func fraction(_ value: Int64, _ unit: Int64) -> String {
        let whole = value / unit
        var remainder = value % unit
        guard remainder != 0 else { return String(whole) }
        var digits = String(remainder)
        let width = String(unit).count - 1
        digits = String(repeating: "0", count: width - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        remainder = 0
        return "\(whole).\(digits)"
    }
}
