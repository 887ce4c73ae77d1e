import NodeNetworking
import Testing

@Suite struct IPv4AddressTests {
    @Test func parse_dottedQuad_roundTrips() throws {
        let address = try #require(IPv4Address("10.244.0.2"))
        #expect(address.value == 0x0AF4_0002)
        #expect(address.description == "10.244.0.2")
        #expect(address.octets == [10, 244, 0, 2])
        #expect(IPv4Address("0.0.0.0")?.value == 0)
        #expect(IPv4Address("255.255.255.255")?.value == UInt32.max)
    }

    @Test(arguments: ["", "10.244.0", "10.244.0.2.1", "10.244.0.256", "10.244.0.-1", "10.244.00.1", "a.b.c.d",
                      " 10.244.0.1", "10.244..1", "10.244.0.1/24", "1000.1.1.1"])
    func parse_invalidText_isNil(_ text: String) {
        #expect(IPv4Address(text) == nil)
    }

    @Test func advanced_staysInsideTheAddressSpace() {
        #expect(IPv4Address("10.0.0.255")!.advanced(by: 1) == IPv4Address("10.0.1.0"))
        #expect(IPv4Address("10.0.1.0")!.advanced(by: -1) == IPv4Address("10.0.0.255"))
        #expect(IPv4Address("255.255.255.255")!.advanced(by: 1) == nil)
        #expect(IPv4Address("0.0.0.0")!.advanced(by: -1) == nil)
    }

    @Test func comparable_ordersNumerically() {
        #expect(IPv4Address("10.0.0.9")! < IPv4Address("10.0.0.10")!)
        #expect(IPv4Address("9.255.255.255")! < IPv4Address("10.0.0.0")!)
    }
}
