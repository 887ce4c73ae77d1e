@testable import KubeCore
import Testing

/// `QuantityParser.parse` reads common quantities without allocating; it must agree with the step-by-step
/// upstream algorithm (`parseExactly`) on value, format, canonical text and errors.
@Suite struct QuantityFastPathTests {
    static let numbers = [
        "", "0", "00", "1", "5", "10", "100", "1000", "007", "123456789012345678", "1234567890123456789",
        ".", ".5", "0.5", "1.5", "1.000", "10.250", "0.001", "999999999999999999", "12.", "1.5.5",
    ]
    static let signs = ["", "+", "-"]
    static let suffixes = [
        "", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "e3", "E-2", "ki", "x",
        "i", "mm", "K", " ",
    ]

    @Test func agreesWithTheExactAlgorithm() {
        var checked = 0
        for sign in Self.signs {
            for number in Self.numbers {
                for suffix in Self.suffixes {
                    let text = sign + number + suffix
                    let fast = Result { () throws(QuantityParseError) in try QuantityParser.parse(text) }
                    let exact = Result { () throws(QuantityParseError) in try QuantityParser.parseExactly(text) }
                    switch (fast, exact) {
                    case (.success(let a), .success(let b)):
                        #expect(a == b, "\(text)")
                        #expect(a.format == b.format, "\(text)")
                        #expect(a.description == b.description, "\(text)")
                        #expect(a.mantissa == b.mantissa && a.exponent == b.exponent, "\(text)")
                    case (.failure(let a), .failure(let b)):
                        #expect(a == b, "\(text)")
                    default:
                        Issue.record("\(text): fast \(fast), exact \(exact)")
                    }
                    checked += 1
                }
            }
        }
        #expect(checked == Self.signs.count * Self.numbers.count * Self.suffixes.count)
    }

    @Test(arguments: [("100m", "100m"), ("64Mi", "64Mi"), ("1.5Gi", "1536Mi"), ("1000", "1k"), ("+1k", "+1k"), ("0.5", "500m")])
    func canonicalText(text: String, canonical: String) throws {
        #expect(try QuantityParser.parse(text).description == canonical)
    }

    @Test func treeDecodingTrimsOnlyWhenNeeded() throws {
        #expect(Quantity.trimmingSpace("64Mi") == "64Mi")
        #expect(Quantity.trimmingSpace(" 64Mi\n") == "64Mi")
        #expect(Quantity.trimmingSpace("\u{00A0}1\u{00A0}") == "1")
        #expect(try Quantity(jsonTree: .string(" 1Gi ")).description == "1Gi")
    }
}
