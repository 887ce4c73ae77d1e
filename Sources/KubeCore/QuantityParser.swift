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
        var bytes = suffix
        if let (exponent, format) = bytes.withUTF8({ interpretShortSuffix($0, from: 0) }) {
            return (format == .binarySI ? 2 : 10, exponent, format)
        }
        guard suffix.utf8.count > 1, let first = suffix.first, first == "e" || first == "E",
            let exponent = Int32(suffix.dropFirst())
        else {
            return nil
        }
        return (10, Int(exponent), .decimalExponent)
    }

    static func parse(_ text: String) throws(QuantityParseError) -> Quantity {
        var contiguous = text
        if let quantity = contiguous.withUTF8({ commonFormFastPath($0, text: text) }) {
            return quantity
        }
        return try parseExactly(text)
    }

    /// The common case without allocating: an optional sign, digits with an optional fraction, and a
    /// suffix of at most two letters, that upstream's fast path takes. Nil sends the text to
    /// ``parseExactly(_:)``, which gives the same result for everything this accepts and reports every error.
    private static func commonFormFastPath(_ bytes: UnsafeBufferPointer<UInt8>, text: String) -> Quantity? {
        guard !bytes.isEmpty else { return nil }
        let (positive, numerator, denominator) = scanNumber(bytes)
        guard let (exponent, format) = interpretShortSuffix(bytes, from: denominator.upperBound) else { return nil }
        return upstreamFastPath(bytes, positive: positive, numerator: numerator, denominator: denominator,
                                exponent: exponent, format: format, text: text)
    }

    /// Upstream's fast path, which also decides whether the caller's text is already canonical: the value
    /// when it has at most 18 digits, is no finer than nano units and does not overflow `Int64`; nil
    /// otherwise (the exact path decides then).
    private static func upstreamFastPath(
        _ bytes: UnsafeBufferPointer<UInt8>, positive: Bool, numerator: Range<Int>, denominator: Range<Int>,
        exponent: Int, format: QuantityFormat, text: String
    ) -> Quantity? {
        // Upstream's empty numerator counts as the single digit "0".
        let numeratorLength = max(numerator.count, 1)
        var scale: Int
        var multiplier: Int64 = 1
        let precision: Int
        switch format {
        case .decimalSI, .decimalExponent:
            scale = exponent
            precision = maxInt64Factors - (numeratorLength + denominator.count)
        case .binarySI:
            guard exponent >= 0, denominator.isEmpty else { return nil }
            scale = 0
            multiplier = Int64(1) << Int64(exponent)
            precision = 15 - numeratorLength - exponent * 3 / 10 - 1
        }
        guard precision >= 0 else { return nil }
        scale -= denominator.count
        guard scale >= nanoExponent else { return nil }
        var value: Int64 = 0
        for index in numerator { value = value * 10 + Int64(bytes[index] &- UInt8(ascii: "0")) }
        for index in denominator { value = value * 10 + Int64(bytes[index] &- UInt8(ascii: "0")) }
        let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { return nil }
        let isCanonical: Bool
        if format == .binarySI {
            isCanonical = exponent % 10 == 0 && value & 0x07 != 0
        } else {
            // The digits are the numerator (or "0") followed by the fraction.
            func digit(_ offset: Int) -> UInt8 {
                if numerator.isEmpty { return offset == 0 ? UInt8(ascii: "0") : bytes[denominator.lowerBound + offset - 1] }
                return offset < numerator.count
                    ? bytes[numerator.lowerBound + offset] : bytes[denominator.lowerBound + offset - numerator.count]
            }
            let count = numeratorLength + denominator.count
            let endsInThreeZeros = count >= 3 && (count - 3..<count).allSatisfy { digit($0) == UInt8(ascii: "0") }
            isCanonical = scale % 3 == 0 && !endsInThreeZeros && digit(0) != UInt8(ascii: "0")
        }
        return Quantity(
            mantissa: Int128(positive ? product : -product),
            exponent: Int32(scale),
            format: format,
            preservedText: isCanonical ? text : nil
        )
    }

    /// Upstream `parseQuantityString`'s number part: the sign, the integer digits after leading zeros and
    /// the fraction's digits (its range is empty, at the end of the integer digits, when there is no `.`).
    /// The suffix starts at the end of the fraction's range.
    private static func scanNumber<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes)
        -> (positive: Bool, numerator: Range<Int>, denominator: Range<Int>) where Bytes.Index == Int
    {
        let end = bytes.endIndex
        var position = bytes.startIndex
        var positive = true
        if bytes[position] == UInt8(ascii: "-") {
            positive = false
            position += 1
        } else if bytes[position] == UInt8(ascii: "+") {
            position += 1
        }
        while position < end, bytes[position] == UInt8(ascii: "0") { position += 1 }
        let numeratorStart = position
        while position < end, isDigit(bytes[position]) { position += 1 }
        let numerator = numeratorStart..<position
        var denominator = position..<position
        if position < end, bytes[position] == UInt8(ascii: ".") {
            position += 1
            let denominatorStart = position
            while position < end, isDigit(bytes[position]) { position += 1 }
            denominator = denominatorStart..<position
        }
        return (positive, numerator, denominator)
    }

    /// The suffixes of at most two letters (upstream's table); nil for anything else, including an exponent.
    private static func interpretShortSuffix(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int)
        -> (exponent: Int, format: QuantityFormat)?
    {
        switch bytes.count - start {
        case 0:
            return (0, .decimalSI)
        case 1:
            switch bytes[start] {
            case UInt8(ascii: "n"): return (-9, .decimalSI)
            case UInt8(ascii: "u"): return (-6, .decimalSI)
            case UInt8(ascii: "m"): return (-3, .decimalSI)
            case UInt8(ascii: "k"): return (3, .decimalSI)
            case UInt8(ascii: "M"): return (6, .decimalSI)
            case UInt8(ascii: "G"): return (9, .decimalSI)
            case UInt8(ascii: "T"): return (12, .decimalSI)
            case UInt8(ascii: "P"): return (15, .decimalSI)
            case UInt8(ascii: "E"): return (18, .decimalSI)
            default: return nil
            }
        case 2:
            guard bytes[start + 1] == UInt8(ascii: "i") else { return nil }
            switch bytes[start] {
            case UInt8(ascii: "K"): return (10, .binarySI)
            case UInt8(ascii: "M"): return (20, .binarySI)
            case UInt8(ascii: "G"): return (30, .binarySI)
            case UInt8(ascii: "T"): return (40, .binarySI)
            case UInt8(ascii: "P"): return (50, .binarySI)
            case UInt8(ascii: "E"): return (60, .binarySI)
            default: return nil
            }
        default:
            return nil
        }
    }

    /// Upstream `ParseQuantity` step by step, for every form and every error.
    static func parseExactly(_ text: String) throws(QuantityParseError) -> Quantity {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .formatWrong }
        if text == "0" {
            return Quantity(mantissa: 0, exponent: 0, format: .decimalSI, preservedText: nil)
        }

        // parseQuantityString
        let (positive, numeratorRange, denominatorRange) = scanNumber(bytes)
        var numerator = Array(bytes[numeratorRange])
        if numerator.isEmpty { numerator = [UInt8(ascii: "0")] }
        let denominator = Array(bytes[denominatorRange])
        var position = denominatorRange.upperBound
        let end = bytes.count
        let suffixStart = position
        while position < end, isSuffixLetter(bytes[position]) { position += 1 }
        if position < end, bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "+") {
            position += 1
        }
        while position < end, isDigit(bytes[position]) { position += 1 }
        guard position == end else { throw .formatWrong }
        let suffix = String(decoding: bytes[suffixStart..<end], as: UTF8.self)

        guard let (base, exponent, format) = interpret(suffix: suffix) else { throw .suffix }

        let fast = bytes.withUnsafeBufferPointer { buffer in
            upstreamFastPath(buffer, positive: positive, numerator: numeratorRange, denominator: denominatorRange,
                             exponent: exponent, format: format, text: text)
        }
        if let fast { return fast }

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
