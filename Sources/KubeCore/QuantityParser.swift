/// Parses quantity strings with the algorithm of upstream `resource.ParseQuantity`, including its
/// decision of when to keep the caller's original text as the canonical string.
enum QuantityParser {
    private static let maxInt64Factors = 18
    private static let nanoExponent = -9

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isSuffixLetter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "i"), UInt8(ascii: "n"), UInt8(ascii: "u"),
            UInt8(ascii: "m"), UInt8(ascii: "k"), UInt8(ascii: "K"), UInt8(ascii: "M"), UInt8(ascii: "G"),
            UInt8(ascii: "T"), UInt8(ascii: "P"):
            return true
        default:
            return false
        }
    }

    /// Upstream `suffixHandler.interpret`: (base, exponent, format).
    static func interpret(suffix: String) -> (base: Int, exponent: Int, format: QuantityFormat)? {
        switch suffix {
        case "n": return (10, -9, .decimalSI)
        case "u": return (10, -6, .decimalSI)
        case "m": return (10, -3, .decimalSI)
        case "": return (10, 0, .decimalSI)
        case "k": return (10, 3, .decimalSI)
        case "M": return (10, 6, .decimalSI)
        case "G": return (10, 9, .decimalSI)
        case "T": return (10, 12, .decimalSI)
        case "P": return (10, 15, .decimalSI)
        case "E": return (10, 18, .decimalSI)
        case "Ki": return (2, 10, .binarySI)
        case "Mi": return (2, 20, .binarySI)
        case "Gi": return (2, 30, .binarySI)
        case "Ti": return (2, 40, .binarySI)
        case "Pi": return (2, 50, .binarySI)
        case "Ei": return (2, 60, .binarySI)
        default:
            guard suffix.utf8.count > 1, let first = suffix.first, first == "e" || first == "E",
                let exponent = Int32(suffix.dropFirst())
            else {
                return nil
            }
            return (10, Int(exponent), .decimalExponent)
        }
    }

    static func parse(_ text: String) throws(QuantityParseError) -> Quantity {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .formatWrong }
        if text == "0" {
            return Quantity(mantissa: 0, exponent: 0, format: .decimalSI, preservedText: nil)
        }

        // parseQuantityString
        var positive = true
        var position = 0
        let end = bytes.count
        if bytes[0] == UInt8(ascii: "-") {
            positive = false
            position = 1
        } else if bytes[0] == UInt8(ascii: "+") {
            position = 1
        }
        while position < end, bytes[position] == UInt8(ascii: "0") { position += 1 }
        let numeratorStart = position
        while position < end, isDigit(bytes[position]) { position += 1 }
        var numerator = Array(bytes[numeratorStart..<position])
        if numerator.isEmpty { numerator = [UInt8(ascii: "0")] }
        var denominator: [UInt8] = []
        if position < end, bytes[position] == UInt8(ascii: ".") {
            position += 1
            let denominatorStart = position
            while position < end, isDigit(bytes[position]) { position += 1 }
            denominator = Array(bytes[denominatorStart..<position])
        }
        let suffixStart = position
        while position < end, isSuffixLetter(bytes[position]) { position += 1 }
        if position < end, bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "+") {
            position += 1
        }
        while position < end, isDigit(bytes[position]) { position += 1 }
        guard position == end else { throw .formatWrong }
        let suffix = String(decoding: bytes[suffixStart..<end], as: UTF8.self)

        guard let (base, exponent, format) = interpret(suffix: suffix) else { throw .suffix }

        // Upstream fast path: decides whether the original text is already canonical.
        var precision: Int
        var scale: Int
        var multiplier: Int64 = 1
        switch format {
        case .decimalExponent, .decimalSI:
            scale = exponent
            precision = maxInt64Factors - (numerator.count + denominator.count)
        case .binarySI:
            scale = 0
            if exponent >= 0 && denominator.isEmpty {
                multiplier = Int64(1) << Int64(exponent)
                precision = 15 - numerator.count - exponent * 3 / 10 - 1
            } else {
                precision = -1
            }
        }
        if precision >= 0 {
            scale -= denominator.count
            if scale >= nanoExponent {
                let shifted = numerator + denominator
                if let value = Int64(String(decoding: shifted, as: UTF8.self)) {
                    let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
                    if !overflow {
                        let isCanonical: Bool
                        if format == .binarySI {
                            isCanonical = exponent % 10 == 0 && value & 0x07 != 0
                        } else {
                            isCanonical = scale % 3 == 0 && !shifted.reversed().starts(with: [48, 48, 48])
                                && shifted.first != UInt8(ascii: "0")
                        }
                        return Quantity(
                            mantissa: Int128(positive ? product : -product),
                            exponent: Int32(scale),
                            format: format,
                            preservedText: isCanonical ? text : nil
                        )
                    }
                }
            }
        }

        // Exact path (upstream inf.Dec): value = digits × 10^(exp − len(denominator)) × 2^(binary exp),
        // rounded up to nano units when non-zero, BinarySI capped at Int64.max.
        var digits = numerator + denominator
        var decimalExponent = (base == 10 ? exponent : 0) - denominator.count
        while digits.count > 1, digits.last == UInt8(ascii: "0") {
            digits.removeLast()
            decimalExponent += 1
        }
        var magnitude = BigUnsignedInteger(decimalDigits: digits)
        if magnitude.isZero {
            return Quantity(mantissa: 0, exponent: 0, format: format, preservedText: nil)
        }
        if base == 2 { magnitude.multiplyByPowerOfTwo(exponent) }
        if decimalExponent < nanoExponent {
            magnitude.divideByPowerOfTenRoundingUp(nanoExponent - decimalExponent)
            decimalExponent = nanoExponent
        }
        var resultFormat = format
        if format == .binarySI {
            if exceedsInt64Max(magnitude, decimalExponent: decimalExponent) {
                magnitude = BigUnsignedInteger(UInt64(Int64.max))
                decimalExponent = 0
            }
            if decimalExponent < 0 {
                var one = BigUnsignedInteger(1)
                one.multiplyByPowerOfTen(-decimalExponent)
                if magnitude < one { resultFormat = .decimalSI }
            }
        }
        guard let unsigned = magnitude.uint128, unsigned <= UInt128(Int128.max),
            let scaled = Int32(exactly: decimalExponent)
        else {
            throw .numeric
        }
        let signed = Int128(unsigned)
        return Quantity(mantissa: positive ? signed : -signed, exponent: scaled, format: resultFormat, preservedText: nil)
    }

    private static func exceedsInt64Max(_ magnitude: BigUnsignedInteger, decimalExponent: Int) -> Bool {
        var limit = BigUnsignedInteger(UInt64(Int64.max))
        if decimalExponent >= 0 {
            if decimalExponent > 19 { return true }
            var value = magnitude
            value.multiplyByPowerOfTen(decimalExponent)
            return limit < value
        }
        limit.multiplyByPowerOfTen(-decimalExponent)
        return limit < magnitude
    }
}
