import KubeCore
import Testing

/// Deterministic SplitMix64 so failures reproduce.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

private func randomStrings(alphabet: String, count: Int, maxLength: Int, seed: UInt64) -> [String] {
    var generator = SeededGenerator(state: seed)
    let characters = Array(alphabet)
    return (0..<count).map { _ in
        let length = Int.random(in: 0...maxLength, using: &generator)
        return String((0..<length).map { _ in characters.randomElement(using: &generator)! })
    }
}

@Suite struct ParserFuzzTests {
    @Test func quantityCanonicalTextAlwaysReparsesToTheSameValue() throws {
        var parsedCount = 0
        for text in randomStrings(alphabet: "0123456789.+-eEinumkKMGTP", count: 20_000, maxLength: 10, seed: 1) {
            guard let quantity = Quantity(text) else { continue }
            parsedCount += 1
            let reparsed = try Quantity(parsing: quantity.description)
            #expect(reparsed == quantity, "\(text) → \(quantity.description)")
            #expect(try Quantity(parsing: reparsed.withFormat(quantity.format).description) == quantity, "\(text)")
        }
        #expect(parsedCount > 1000)
    }

    @Test func labelSelectorCanonicalTextAlwaysReparsesToTheSameSelector() throws {
        var parsedCount = 0
        for text in randomStrings(alphabet: "ab1=!(), <>-in", count: 20_000, maxLength: 12, seed: 2) {
            guard let selector = try? LabelSelectorExpression(parsing: text) else { continue }
            parsedCount += 1
            let reparsed = try LabelSelectorExpression(parsing: selector.description)
            #expect(reparsed.description == selector.description, "\(text)")
        }
        #expect(parsedCount > 500)
    }

    @Test func fieldSelectorCanonicalTextAlwaysReparsesToTheSameSelector() throws {
        var parsedCount = 0
        for text in randomStrings(alphabet: "ab=!,\\.", count: 20_000, maxLength: 10, seed: 3) {
            guard let selector = try? FieldSelector(parsing: text) else { continue }
            parsedCount += 1
            #expect(try FieldSelector(parsing: selector.description) == selector, "\(text)")
        }
        #expect(parsedCount > 500)
    }

    @Test func timestampParserNeverAcceptsWhatItCannotRender() {
        for text in randomStrings(alphabet: "0123456789-T:Z+.", count: 20_000, maxLength: 26, seed: 4) {
            guard let time = try? RFC3339Time(parsing: text) else { continue }
            #expect((try? RFC3339Time(parsing: time.description)) == time, "\(text)")
        }
    }
}
