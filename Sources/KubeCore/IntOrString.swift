/// Kubernetes `intstr.IntOrString`: a JSON value that is either an int32 (`3`) or a string
/// (`"25%"`, `"http"`). Used for ports and rolling-update budgets.
/// Value type; Sendable.
public enum IntOrString: Codable, Hashable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral
{
    case int(Int32)
    case string(String)

    public init(integerLiteral value: Int32) { self = .int(value) }
    public init(stringLiteral value: String) { self = .string(value) }

    /// Upstream `IntValue()`: the int, or the string parsed as a base-10 integer (0 if it is not one).
    public var intValue: Int {
        switch self {
        case .int(let value): return Int(value)
        case .string(let text): return Int(text) ?? 0
        }
    }

    /// Upstream `String()`: the string, or the int in decimal.
    public var description: String {
        switch self {
        case .int(let value): return String(value)
        case .string(let text): return text
        }
    }

    /// Upstream `GetScaledValueFromIntOrPercent`: an int is returned as is; `"N%"` yields
    /// `N * total / 100` rounded up (`roundUp`) or down. Any other string is an error.
    public func scaledValue(total: Int, roundUp: Bool) throws(IntOrStringError) -> Int {
        switch self {
        case .int(let value):
            return Int(value)
        case .string(let text):
            guard text.hasSuffix("%") else {
                throw IntOrStringError(message: "invalid value for IntOrString: invalid type: string is not a percentage")
            }
            let number = String(text.dropLast())
            let percent: Int
            switch Self.atoi(number) {
            case .success(let value):
                percent = value
            case .failure(let reason):
                throw IntOrStringError(
                    message: "invalid value for IntOrString: invalid value \(GoQuoting.quote(text)): "
                        + "strconv.Atoi: parsing \(GoQuoting.quote(number)): \(reason.rawValue)"
                )
            }
            let product = Int128(percent) * Int128(total)
            var quotient = product / 100
            let remainder = product % 100
            if remainder != 0 {
                if roundUp && product > 0 { quotient += 1 }
                if !roundUp && product < 0 { quotient -= 1 }
            }
            return Int(clamping: quotient)
        }
    }

    enum AtoiFailure: String, Error {
        case invalidSyntax = "invalid syntax"
        case outOfRange = "value out of range"
    }

    /// Go `strconv.Atoi`: optional sign, then one or more ASCII digits.
    static func atoi(_ text: String) -> Result<Int, AtoiFailure> {
        var digits = Substring(text)
        if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return .failure(.invalidSyntax)
        }
        guard let value = Int(text) else { return .failure(.outOfRange) }
        return .success(value)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int32.self) {
            self = .int(value)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "IntOrString must be a JSON int32 (e.g. 8080) or a JSON string (e.g. \"25%\")."
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .string(let text): try container.encode(text)
        }
    }
}
