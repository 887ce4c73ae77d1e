import Testing
@Test func apiServerPlaceholder() { #expect(Bool(true)) }
