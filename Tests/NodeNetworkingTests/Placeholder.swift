import Testing
@Test func nodeNetworkingPlaceholder() { #expect(Bool(true)) }
