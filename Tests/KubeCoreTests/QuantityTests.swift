import KubeCore
import Testing

/// Upstream `decQuantity(mantissa, scale, format)`.
private func dec(_ mantissa: Int64, _ scale: Int32, _ format: QuantityFormat) -> Quantity {
    Quantity(scaledValue: mantissa, scale: scale, format: format)
}

@Suite struct QuantityParseTests {
    // Upstream quantity_test.go TestQuantityParse table.
    static let table: [(String, Quantity)] = [
        ("0", dec(0, 0, .decimalSI)),
        ("0n", dec(0, 0, .decimalSI)),
        ("0u", dec(0, 0, .decimalSI)),
        ("0m", dec(0, 0, .decimalSI)),
        ("0Ki", dec(0, 0, .binarySI)),
        ("0k", dec(0, 0, .decimalSI)),
        ("0Mi", dec(0, 0, .binarySI)),
        ("0M", dec(0, 0, .decimalSI)),
        ("0Gi", dec(0, 0, .binarySI)),
        ("0G", dec(0, 0, .decimalSI)),
        ("0Ti", dec(0, 0, .binarySI)),
        ("0T", dec(0, 0, .decimalSI)),
        // Quantity-less numbers are allowed.
        ("1", dec(1, 0, .decimalSI)),
        // Binary suffixes.
        ("1Ki", dec(1024, 0, .binarySI)),
        ("8Ki", dec(8 * 1024, 0, .binarySI)),
        ("7Mi", dec(7 * 1024 * 1024, 0, .binarySI)),
        ("6Gi", dec(6 * 1024 * 1024 * 1024, 0, .binarySI)),
        ("5Ti", dec(5 * 1024 * 1024 * 1024 * 1024, 0, .binarySI)),
        ("4Pi", dec(4 * 1024 * 1024 * 1024 * 1024 * 1024, 0, .binarySI)),
        ("3Ei", dec(3 * 1024 * 1024 * 1024 * 1024 * 1024 * 1024, 0, .binarySI)),
        ("10Ti", dec(10 * 1024 * 1024 * 1024 * 1024, 0, .binarySI)),
        ("100Ti", dec(100 * 1024 * 1024 * 1024 * 1024, 0, .binarySI)),
        // Decimal suffixes.
        ("5n", dec(5, -9, .decimalSI)),
        ("4u", dec(4, -6, .decimalSI)),
        ("3m", dec(3, -3, .decimalSI)),
        ("9", dec(9, 0, .decimalSI)),
        ("8k", dec(8, 3, .decimalSI)),
        ("50k", dec(5, 4, .decimalSI)),
        ("7M", dec(7, 6, .decimalSI)),
        ("6G", dec(6, 9, .decimalSI)),
        ("5T", dec(5, 12, .decimalSI)),
        ("40T", dec(4, 13, .decimalSI)),
        ("300T", dec(3, 14, .decimalSI)),
        ("2P", dec(2, 15, .decimalSI)),
        ("1E", dec(1, 18, .decimalSI)),
        // Decimal exponents.
        ("1e-9", dec(1, -9, .decimalExponent)),
        ("1e-6", dec(1, -6, .decimalExponent)),
        ("1e-3", dec(1, -3, .decimalExponent)),
        ("1e0", dec(1, 0, .decimalExponent)),
        ("1e3", dec(1, 3, .decimalExponent)),
        ("1e6", dec(1, 6, .decimalExponent)),
        ("1e9", dec(1, 9, .decimalExponent)),
        ("1E12", dec(1, 12, .decimalExponent)),
        ("1e15", dec(1, 15, .decimalExponent)),
        ("1e18", dec(1, 18, .decimalExponent)),
        // Nonstandard but still parsable.
        ("1e14", dec(1, 14, .decimalExponent)),
        ("1e13", dec(1, 13, .decimalExponent)),
        ("100.035k", dec(100_035, 0, .decimalSI)),
        // Things that look like floating point.
        ("0.001", dec(1, -3, .decimalSI)),
        ("0.0005k", dec(5, -1, .decimalSI)),
        ("0.005", dec(5, -3, .decimalSI)),
        ("0.05", dec(5, -2, .decimalSI)),
        ("0.5", dec(5, -1, .decimalSI)),
        ("0.00050k", dec(5, -1, .decimalSI)),
        ("0.00500", dec(5, -3, .decimalSI)),
        ("0.05000", dec(5, -2, .decimalSI)),
        ("0.50000", dec(5, -1, .decimalSI)),
        ("0.5e0", dec(5, -1, .decimalExponent)),
        ("0.5e-1", dec(5, -2, .decimalExponent)),
        ("0.5e-2", dec(5, -3, .decimalExponent)),
        ("10.035M", dec(10035, 3, .decimalSI)),
        ("1.2e3", dec(12, 2, .decimalExponent)),
        ("1.3E+6", dec(13, 5, .decimalExponent)),
        ("1.40e9", dec(14, 8, .decimalExponent)),
        ("1.53E12", dec(153, 10, .decimalExponent)),
        ("1.6e15", dec(16, 14, .decimalExponent)),
        ("1.7E18", dec(17, 17, .decimalExponent)),
        ("9.01", dec(901, -2, .decimalSI)),
        ("8.1k", dec(81, 2, .decimalSI)),
        ("7.123456M", dec(7_123_456, 0, .decimalSI)),
        ("6.987654321G", dec(6_987_654_321, 0, .decimalSI)),
        ("5.444T", dec(5444, 9, .decimalSI)),
        ("40.1T", dec(401, 11, .decimalSI)),
        ("300.2T", dec(3002, 11, .decimalSI)),
        ("2.5P", dec(25, 14, .decimalSI)),
        ("1.01E", dec(101, 16, .decimalSI)),
        // Things that saturate/round.
        ("3.001n", dec(4, -9, .decimalSI)),
        ("1.1E-9", dec(2, -9, .decimalExponent)),
        ("0.0000000001", dec(1, -9, .decimalSI)),
        ("0.0000000005", dec(1, -9, .decimalSI)),
        ("0.00000000050", dec(1, -9, .decimalSI)),
        ("0.5e-9", dec(1, -9, .decimalExponent)),
        ("0.9n", dec(1, -9, .decimalSI)),
        ("0.00000012345", dec(124, -9, .decimalSI)),
        ("0.00000012354", dec(124, -9, .decimalSI)),
        ("9Ei", dec(Int64.max, 0, .binarySI)),
        ("9223372036854775807Ki", dec(Int64.max, 0, .binarySI)),
        ("12E", dec(12, 18, .decimalSI)),
        // Fractional binary values.
        ("100.035Ki", dec(10_243_584, -2, .binarySI)),
        ("0.5Mi", dec(512 * 1024, 0, .binarySI)),
        ("0.05Gi", dec(536_870_912, -1, .binarySI)),
        ("0.025Ti", dec(274_877_906_944, -1, .binarySI)),
        // Things written by trolls.
        ("0.000000000001Ki", dec(2, -9, .decimalSI)),  // rounds up, changes format
        (".001", dec(1, -3, .decimalSI)),
        (".0001k", dec(100, -3, .decimalSI)),
        ("1.", dec(1, 0, .decimalSI)),
        ("1.G", dec(1, 9, .decimalSI)),
    ]

    @Test(arguments: table)
    func parsesUpstreamTable(input: String, expected: Quantity) throws {
        let parsed = try Quantity(parsing: input)
        #expect(parsed == expected)
        #expect(parsed.format == expected.format)
    }

    @Test(arguments: table)
    func signedVariantsParseToTheSameMagnitude(input: String, expected: Quantity) throws {
        // Upstream caps BinarySI by magnitude, so negative caps mirror positive ones.
        let negative = try Quantity(parsing: "-" + input)
        #expect(negative.mantissa == -expected.mantissa)
        #expect(negative.exponent == expected.exponent)
        #expect(negative.format == expected.format)
        let positive = try Quantity(parsing: "+" + input)
        #expect(positive == expected)
        #expect(positive.format == expected.format)
    }

    @Test(arguments: [
        ("1.1.M", QuantityParseError.formatWrong), ("1+1.0M", .formatWrong), ("0.1mi", .suffix), ("0.1am", .formatWrong),
        ("aoeu", .formatWrong), (".5i", .suffix), ("1i", .suffix), ("-3.01i", .suffix), ("-3.01e-", .suffix),
        (" 1", .formatWrong), ("1 ", .formatWrong), ("", .formatWrong), ("1Ki3", .suffix), ("1EE", .suffix), ("1e", .suffix),
        ("1e99999999999", .suffix), ("1ki", .suffix),
    ])
    func rejectsInvalidInput(input: String, expected: QuantityParseError) {
        let error = #expect(throws: QuantityParseError.self) { try Quantity(parsing: input) }
        #expect(error == expected)
        #expect(Quantity(input) == nil)
    }

    @Test func errorMessagesMatchUpstream() {
        #expect(
            QuantityParseError.formatWrong.description
                == "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        )
        #expect(QuantityParseError.suffix.description == "unable to parse quantity's suffix")
        #expect(QuantityParseError.numeric.description == "unable to parse quantity's numeric part")
    }

    @Test func valuesBeyondInt128PrecisionAreRejectedButSubNanoDigitsRound() throws {
        #expect(throws: QuantityParseError.numeric) { try Quantity(parsing: "123456789012345678901234567890123456789012") }
        #expect(try Quantity(parsing: "0.00000000000000000000000000000000000000000000000001").description == "1n")
        #expect(try Quantity(parsing: "1.000000000000000000000000000000000000000000001").description == "1000000001n")
        #expect(try Quantity(parsing: "1" + String(repeating: "0", count: 60)).description == "1" + String(repeating: "0", count: 42) + "E")
    }
}

@Suite struct QuantityFormattingTests {
    // Upstream TestQuantityString: (quantity, canonical, alternate spelling).
    static let table: [(Quantity, String, String)] = [
        (dec(1024 * 1024 * 1024, 0, .binarySI), "1Gi", "1024Mi"),
        (dec(300 * 1024 * 1024, 0, .binarySI), "300Mi", "307200Ki"),
        (dec(6 * 1024, 0, .binarySI), "6Ki", ""),
        (dec(1001 * 1024 * 1024 * 1024, 0, .binarySI), "1001Gi", "1025024Mi"),
        (dec(1024 * 1024 * 1024 * 1024, 0, .binarySI), "1Ti", "1024Gi"),
        (dec(5, 0, .binarySI), "5", "5000m"),
        (dec(500, -3, .binarySI), "500m", "0.5"),
        (dec(1, 9, .decimalSI), "1G", "1000M"),
        (dec(1000, 6, .decimalSI), "1G", "0.001T"),
        (dec(1_000_000, 3, .decimalSI), "1G", ""),
        (dec(1_000_000_000, 0, .decimalSI), "1G", ""),
        (dec(1, -3, .decimalSI), "1m", "1000u"),
        (dec(80, -3, .decimalSI), "80m", ""),
        (dec(1080, -3, .decimalSI), "1080m", "1.08"),
        (dec(108, -2, .decimalSI), "1080m", "1080000000n"),
        (dec(10800, -4, .decimalSI), "1080m", ""),
        (dec(300, 6, .decimalSI), "300M", ""),
        (dec(1, 12, .decimalSI), "1T", ""),
        (dec(1_234_567, 6, .decimalSI), "1234567M", ""),
        (dec(1_234_567, -3, .binarySI), "1234567m", ""),
        (dec(3, 3, .decimalSI), "3k", ""),
        (dec(1025, 0, .binarySI), "1025", ""),
        (dec(0, 0, .decimalSI), "0", ""),
        (dec(0, 0, .binarySI), "0", ""),
        (dec(1, 9, .decimalExponent), "1e9", ".001e12"),
        (dec(1, -3, .decimalExponent), "1e-3", "0.001e0"),
        (dec(1, -9, .decimalExponent), "1e-9", "1000e-12"),
        (dec(80, -3, .decimalExponent), "80e-3", ""),
        (dec(300, 6, .decimalExponent), "300e6", ""),
        (dec(1, 12, .decimalExponent), "1e12", ""),
        (dec(1, 3, .decimalExponent), "1e3", ""),
        (dec(3, 3, .decimalExponent), "3e3", ""),
        (dec(3, 3, .decimalSI), "3k", ""),
        (dec(0, 0, .decimalExponent), "0", "00"),
        (dec(1, -9, .decimalSI), "1n", ""),
        (dec(80, -9, .decimalSI), "80n", ""),
        (dec(1080, -9, .decimalSI), "1080n", ""),
        (dec(108, -8, .decimalSI), "1080n", ""),
        (dec(10800, -10, .decimalSI), "1080n", ""),
        (dec(1, -6, .decimalSI), "1u", ""),
        (dec(80, -6, .decimalSI), "80u", ""),
        (dec(1080, -6, .decimalSI), "1080u", ""),
    ]

    @Test(arguments: table)
    func rendersUpstreamCanonicalString(quantity: Quantity, canonical: String, alternate: String) throws {
        #expect(quantity.description == canonical)
        let reparsed = try Quantity(parsing: canonical)
        #expect(reparsed == quantity)
        if !alternate.isEmpty {
            let parsedAlternate = try Quantity(parsing: alternate)
            #expect(parsedAlternate == quantity)
            #expect(parsedAlternate.description == canonical)
        }
    }

    @Test(arguments: [
        // Upstream TestQuantityParseEmit.
        ("1Ki", "1Ki"), ("1Mi", "1Mi"), ("1Gi", "1Gi"), ("1024Mi", "1Gi"), ("1000M", "1G"), (".001Ki", "1024m"),
        (".000001Ki", "1024u"), (".000000001Ki", "1024n"), (".000000000001Ki", "2n"),
        // Canonical forms listed in the design brief.
        ("100m", "100m"), ("1.5", "1500m"), ("1e3", "1e3"), ("1000", "1k"), ("0.1", "100m"), ("1536Mi", "1536Mi"),
        ("1.5Gi", "1536Mi"), ("0", "0"), ("-1", "-1"), ("12e6", "12e6"), ("1001m", "1001m"), ("0.0001", "100u"),
        ("0.0000000001", "1n"),
        // More upstream behaviour.
        ("0.1Gi", "107374182400m"), ("1000m", "1"), ("-1.5", "-1500m"), ("1.0", "1"), ("100Mi", "100Mi"),
        ("1024Ki", "1Mi"), ("1000Ki", "1000Ki"), ("0.5Ki", "512"), ("-1Ki", "-1Ki"), ("-1024Mi", "-1Gi"), ("1Pi", "1Pi"),
        ("8Ei", "9223372036854775807"), ("1e21", "1e21"), ("1000E", "1000E"), ("1e-12", "1e-9"), ("128974848", "128974848"),
        ("129e6", "129e6"), ("129M", "129M"), ("123Mi", "123Mi"), ("5Gi", "5Gi"), ("500Mi", "500Mi"), ("1.5k", "1500"),
        ("12000", "12k"), ("0.5", "500m"), ("-0.5", "-500m"), ("-0", "0"), ("00", "0"),
        // Upstream keeps already-canonical input text verbatim, quirks included.
        ("+1k", "+1k"), ("1E3", "1E3"), ("1e0", "1e0"), ("01", "01"), ("+1Ki", "+1Ki"),
    ])
    func parseThenEmit(input: String, expected: String) throws {
        #expect(try Quantity(parsing: input).description == expected)
    }

    @Test func withFormatDropsPreservedText() throws {
        let quantity = try Quantity(parsing: "+1k")
        #expect(quantity.withFormat(.decimalSI).description == "1k")
        #expect(quantity.withFormat(.decimalExponent).description == "1e3")
        #expect(Quantity(2048, format: .binarySI).description == "2Ki")
        #expect(Quantity(-1023, format: .binarySI).description == "-1023")
        #expect(Quantity(milliValue: 1500).description == "1500m")
    }
}

@Suite struct QuantityValueTests {
    @Test(arguments: [
        ("1.5", Int64(2), Int64(1500)),
        ("-1.5", -2, -1500),
        ("1m", 1, 1),
        ("1n", 1, 1),
        ("-1n", -1, -1),
        ("100Mi", 104_857_600, 104_857_600_000),
        ("0", 0, 0),
        ("1E", 1_000_000_000_000_000_000, Int64.max),
        ("-1e30", Int64.min, Int64.min),
        ("1e-30", 1, 1),
        ("999m", 1, 999),
        ("1.0001", 2, 1001),
    ])
    func valueAndMilliValueRoundAwayFromZero(input: String, value: Int64, milli: Int64) throws {
        let quantity = try Quantity(parsing: input)
        #expect(quantity.value == value)
        #expect(quantity.milliValue == milli)
    }

    @Test func scaledValue() throws {
        #expect(try Quantity(parsing: "1.5").scaledValue(-9) == 1_500_000_000)
        #expect(try Quantity(parsing: "1.5G").scaledValue(6) == 1500)
        #expect(try Quantity(parsing: "1.5G").scaledValue(9) == 2)
        #expect(try Quantity(parsing: "250m").approximateDouble == 0.25)
    }

    @Test(arguments: [
        ("500Mi", "524288000"), ("1000m", "1"), ("1e3", "1k"), ("1Ki", "1024"), ("0.5", "500m"), ("1G", "1000M"),
        ("0", "0Ki"), ("-0", "0"), ("1.0", "1"), ("1e-9", "1n"), ("1Ei", "1152921504606846976"), ("+5", "5"),
    ])
    func equalByValue(lhs: String, rhs: String) throws {
        let left = try Quantity(parsing: lhs)
        let right = try Quantity(parsing: rhs)
        #expect(left == right)
        #expect(Set([left, right]).count == 1)
        #expect(!(left < right) && !(right < left))
    }

    @Test(arguments: [
        ("1Ki", "1025"), ("-1", "0"), ("999P", "1E"), ("0", "1n"), ("-1Ki", "-1000"), ("1e-3", "2m"), ("1E", "1e30"),
        ("-1e30", "-1E"), ("99999999999999999999999999999999999999", "1e38"), ("1n", "1e1000"), ("-1e1000", "-1n"),
        ("1.5", "1501m"),
    ])
    func ordered(smaller: String, larger: String) throws {
        let small = try Quantity(parsing: smaller)
        let large = try Quantity(parsing: larger)
        #expect(small < large)
        #expect(!(large < small))
        #expect(small != large)
    }

    @Test func sortsNumerically() throws {
        let sorted = try ["1Gi", "100m", "1", "2k", "-5", "1e-3"].map { try Quantity(parsing: $0) }.sorted().map(\.description)
        #expect(sorted == ["-5", "1e-3", "100m", "1", "2k", "1Gi"])
    }

    @Test func codable() throws {
        #expect(try encodedJSON(Box(value: Quantity(parsing: "1.5Gi"))) == #"{"value":"1536Mi"}"#)
        #expect(try decodeJSON(Box<Quantity>.self, #"{"value":"1.5Gi"}"#).value.description == "1536Mi")
        #expect(try decodeJSON(Box<Quantity>.self, #"{"value":" 1Gi "}"#).value.description == "1Gi")
        #expect(try decodeJSON(Box<Quantity>.self, #"{"value":1.5}"#).value.description == "1500m")
        #expect(try decodeJSON(Box<Quantity>.self, #"{"value":1000}"#).value.description == "1k")
        #expect(try decodeJSON(Box<Quantity>.self, #"{"value":0.1}"#).value.description == "100m")
        #expect(throws: DecodingError.self) { try decodeJSON(Box<Quantity>.self, #"{"value":"abc"}"#) }
        #expect(throws: DecodingError.self) { try decodeJSON(Box<Quantity>.self, #"{"value":true}"#) }
    }
}
