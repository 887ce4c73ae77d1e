import Foundation

/// An exact fixed-point resource amount (upstream `resource.Quantity`), such as `100m`, `1.5Gi`,
/// `12e6`.
///
/// Stored as `mantissa × 10^exponent` (Int128 mantissa, normalized) plus the preferred
/// ``QuantityFormat``. Parsing rounds non-zero values up to the nearest nano unit and caps
/// BinarySI at `Int64.max`, as upstream. Equality, hashing and ordering are by numeric value
/// (`500Mi == 524288000`, `1000m == 1`); ``description`` is upstream's canonical `String()`.
/// Codable as a JSON string (decoding also accepts a JSON number).
/// Value type; Sendable.
public struct Quantity: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, LosslessStringConvertible {
    /// Significand; no trailing decimal zeros (zero has exponent 0).
    public let mantissa: Int128
    /// Power of ten applied to ``mantissa``.
    public let exponent: Int32
    /// Preferred output format.
    public let format: QuantityFormat
    /// Upstream keeps the caller's text when it is already canonical (e.g. `+1k`, `1E3`).
    let preservedText: String?

    init(mantissa: Int128, exponent: Int32, format: QuantityFormat, preservedText: String?) {
        var mantissa = mantissa
        var exponent = exponent
        if mantissa == 0 {
            exponent = 0
        } else {
            while mantissa % 10 == 0, exponent < Int32.max {
                mantissa /= 10
                exponent += 1
            }
        }
        self.mantissa = mantissa
        self.exponent = exponent
        self.format = format
        self.preservedText = preservedText
    }

    /// Parses any upstream quantity form: `128974848`, `129e6`, `129M`, `123Mi`, `1.5`, `.5`, `-1e-3`.
    public init(parsing text: String) throws(QuantityParseError) {
        self = try QuantityParser.parse(text)
    }

    /// `LosslessStringConvertible`: nil when `description` is not a quantity.
    public init?(_ description: String) {
        guard let parsed = try? QuantityParser.parse(description) else { return nil }
        self = parsed
    }

    /// Upstream `NewQuantity(value, format)`.
    public init(_ value: Int64, format: QuantityFormat = .decimalSI) {
        self.init(mantissa: Int128(value), exponent: 0, format: format, preservedText: nil)
    }

    /// Upstream `NewMilliQuantity(milliValue, format)`: `milliValue / 1000`.
    public init(milliValue: Int64, format: QuantityFormat = .decimalSI) {
        self.init(mantissa: Int128(milliValue), exponent: -3, format: format, preservedText: nil)
    }

    /// Upstream `NewScaledQuantity(value, scale)` (`value × 10^scale`, DecimalSI). Scales below
    /// -9 are rounded up to nano units, like parsed values.
    public init(scaledValue value: Int64, scale: Int32, format: QuantityFormat = .decimalSI) {
        var mantissa = Int128(value)
        var exponent = scale
        if exponent < -9, mantissa != 0 {
            let divisor = Quantity.powerOfTen(Int(-9 - exponent)) ?? 0
            let (quotient, remainder) = divisor == 0 ? (0, mantissa) : mantissa.quotientAndRemainder(dividingBy: divisor)
            mantissa = remainder == 0 ? quotient : quotient + (mantissa > 0 ? 1 : -1)
            exponent = -9
        }
        self.init(mantissa: mantissa, exponent: exponent, format: format, preservedText: nil)
    }

    /// The same amount with another preferred format (the original text is not kept).
    public func withFormat(_ format: QuantityFormat) -> Quantity {
        Quantity(mantissa: mantissa, exponent: exponent, format: format, preservedText: nil)
    }

    public var isZero: Bool { mantissa == 0 }

    /// -1, 0 or 1.
    public var sign: Int { mantissa == 0 ? 0 : (mantissa < 0 ? -1 : 1) }

    /// Upstream `Value()`: whole units, rounded away from zero; saturates at the `Int64` bounds.
    public var value: Int64 { scaledValue(0) }

    /// Upstream `MilliValue()`: thousandths, rounded away from zero; saturates at the `Int64` bounds.
    public var milliValue: Int64 { scaledValue(-3) }

    /// Upstream `ScaledValue(scale)`: the amount in units of `10^scale`, rounded away from zero.
    public func scaledValue(_ scale: Int32) -> Int64 {
        if mantissa == 0 { return 0 }
        let difference = Int(exponent) - Int(scale)
        let result: Int128
        if difference >= 0 {
            guard let factor = Quantity.powerOfTen(difference) else { return saturated(positive: mantissa > 0) }
            let (product, overflow) = mantissa.multipliedReportingOverflow(by: factor)
            if overflow { return saturated(positive: mantissa > 0) }
            result = product
        } else {
            guard let divisor = Quantity.powerOfTen(-difference) else { return mantissa > 0 ? 1 : -1 }
            let (quotient, remainder) = mantissa.quotientAndRemainder(dividingBy: divisor)
            result = remainder == 0 ? quotient : quotient + (mantissa > 0 ? 1 : -1)
        }
        return Int64(exactly: result) ?? saturated(positive: result > 0)
    }

    private func saturated(positive: Bool) -> Int64 { positive ? Int64.max : Int64.min }

    /// Upstream `AsApproximateFloat64()`.
    public var approximateDouble: Double {
        Double(mantissa) * pow(10, Double(exponent))
    }

    // MARK: Comparison by value

    public static func == (lhs: Quantity, rhs: Quantity) -> Bool {
        lhs.mantissa == rhs.mantissa && lhs.exponent == rhs.exponent
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(mantissa)
        hasher.combine(exponent)
    }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool {
        if lhs.sign != rhs.sign { return lhs.sign < rhs.sign }
        if lhs.sign == 0 { return false }
        let magnitudeOrder = compareMagnitudes(lhs, rhs)
        return lhs.sign > 0 ? magnitudeOrder < 0 : magnitudeOrder > 0
    }

    /// -1, 0, 1 comparing |lhs| with |rhs|.
    private static func compareMagnitudes(_ lhs: Quantity, _ rhs: Quantity) -> Int {
        let lhsMagnitude = lhs.mantissa.magnitude
        let rhsMagnitude = rhs.mantissa.magnitude
        let lhsOrder = digitCount(lhsMagnitude) + Int(lhs.exponent)
        let rhsOrder = digitCount(rhsMagnitude) + Int(rhs.exponent)
        if lhsOrder != rhsOrder { return lhsOrder < rhsOrder ? -1 : 1 }
        // Same order of magnitude: align to the smaller exponent (the difference is < 40 digits).
        var left = lhsMagnitude
        var right = rhsMagnitude
        if lhs.exponent > rhs.exponent {
            let (scaled, overflow) = left.multipliedReportingOverflow(by: UInt128(powerOfTen(Int(lhs.exponent - rhs.exponent)) ?? 0))
            if overflow { return 1 }
            left = scaled
        } else if rhs.exponent > lhs.exponent {
            let (scaled, overflow) = right.multipliedReportingOverflow(by: UInt128(powerOfTen(Int(rhs.exponent - lhs.exponent)) ?? 0))
            if overflow { return -1 }
            right = scaled
        }
        return left == right ? 0 : (left < right ? -1 : 1)
    }

    private static func digitCount(_ value: UInt128) -> Int {
        var count = 1
        var remaining = value
        while remaining >= 10 {
            remaining /= 10
            count += 1
        }
        return count
    }

    /// 10^exponent as Int128, or nil when it does not fit (exponent > 38).
    static func powerOfTen(_ exponent: Int) -> Int128? {
        guard exponent >= 0, exponent <= 38 else { return nil }
        var result: Int128 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    // MARK: Canonical text

    /// Upstream `String()`: `100m`, `1536Mi`, `1e3`, `1k`, `0`.
    public var description: String {
        if let preservedText { return preservedText }
        if mantissa == 0 { return "0" }
        if format == .binarySI, let binary = binaryDescription() { return binary }
        return decimalDescription(format == .decimalExponent ? .decimalExponent : .decimalSI)
    }

    /// BinarySI text when the value is an integer with |value| ≥ 1024; nil means "use DecimalSI".
    private func binaryDescription() -> String? {
        guard exponent >= 0, let factor = Quantity.powerOfTen(Int(exponent)) else { return nil }
        let (integer, overflow) = mantissa.multipliedReportingOverflow(by: factor)
        guard !overflow, integer.magnitude >= 1024 else { return nil }
        var remaining = integer.magnitude
        let suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
        var power = 0
        while remaining >= 1024, remaining % 1024 == 0, power < suffixes.count - 1 {
            remaining /= 1024
            power += 1
        }
        return (integer < 0 ? "-" : "") + String(remaining) + suffixes[power]
    }

    private func decimalDescription(_ format: QuantityFormat) -> String {
        var digits = String(mantissa.magnitude)
        var exponent = Int(self.exponent)
        let remainder = exponent % 3
        if remainder != 0 {
            let adjustment = remainder > 0 ? remainder : remainder + 3
            digits += String(repeating: "0", count: adjustment)
            exponent -= adjustment
        }
        let suffix: String
        if format == .decimalExponent {
            suffix = exponent == 0 ? "" : "e\(exponent)"
        } else {
            switch exponent {
            case -9: suffix = "n"
            case -6: suffix = "u"
            case -3: suffix = "m"
            case 0: suffix = ""
            case 3: suffix = "k"
            case 6: suffix = "M"
            case 9: suffix = "G"
            case 12: suffix = "T"
            case 15: suffix = "P"
            case 18: suffix = "E"
            case 19...:
                // Beyond exa there is no SI suffix: write the extra zeros before "E".
                digits += String(repeating: "0", count: exponent - 18)
                suffix = "E"
            default:
                suffix = "e\(exponent)"
            }
        }
        return (mantissa < 0 ? "-" : "") + digits + suffix
    }

    // MARK: Codable

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text: String
        if let string = try? container.decode(String.self) {
            text = string.trimmingCharacters(in: .whitespacesAndNewlines)
        } else if let integer = try? container.decode(Int64.self) {
            text = String(integer)
        } else if let decimal = try? container.decode(Decimal.self), decimal.isFinite {
            text = decimal.description
        } else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "A quantity must be a JSON string like \"500Mi\" or a JSON number."
            )
        }
        do {
            self = try QuantityParser.parse(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(error.description) (got \"\(text)\")")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
