import Testing
@Test func kubeletPlaceholder() { #expect(Bool(true)) }
