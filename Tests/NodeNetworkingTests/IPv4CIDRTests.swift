import Foundation
import NodeNetworking
import Testing

@Suite struct IPv4CIDRTests {
    @Test func parse_slash24_describesTheNetwork() throws {
        let cidr = try #require(IPv4CIDR("10.244.0.0/24"))
        #expect(cidr.network == IPv4Address("10.244.0.0"))
        #expect(cidr.prefixLength == 24)
        #expect(cidr.description == "10.244.0.0/24")
        #expect(cidr.netmask == IPv4Address("255.255.255.0"))
        #expect(cidr.broadcast == IPv4Address("10.244.0.255"))
        #expect(cidr.size == 256)
        #expect(cidr.hostCount == 254)
        #expect(cidr.gateway == IPv4Address("10.244.0.1"))
        #expect(cidr.lastHost == IPv4Address("10.244.0.254"))
    }

    @Test func parse_hostBitsSet_masksThemOff() {
        #expect(IPv4CIDR("10.244.3.7/16")?.description == "10.244.0.0/16")
        #expect(IPv4CIDR("10.244.3.7/32")?.description == "10.244.3.7/32")
        #expect(IPv4CIDR("10.244.3.7/0")?.description == "0.0.0.0/0")
    }

    @Test(arguments: ["10.244.0.0", "10.244.0.0/", "10.244.0.0/33", "10.244.0.0/-1", "10.244.0/24", "/24",
                      "10.244.0.0/24/1", "10.244.0.0/x"])
    func parse_invalidText_isNil(_ text: String) {
        #expect(IPv4CIDR(text) == nil)
    }

    @Test func contains_coversNetworkThroughBroadcastOnly() throws {
        let cidr = try #require(IPv4CIDR("10.250.3.0/24"))
        #expect(cidr.contains(IPv4Address("10.250.3.0")!))
        #expect(cidr.contains(IPv4Address("10.250.3.255")!))
        #expect(!cidr.contains(IPv4Address("10.250.4.0")!))
        #expect(!cidr.contains(IPv4Address("10.250.2.255")!))
        #expect(IPv4CIDR("0.0.0.0/0")!.contains(IPv4Address("192.168.1.1")!))
    }

    @Test func overlaps_detectsNestedNetworks() {
        #expect(IPv4CIDR("10.250.0.0/16")!.overlaps(IPv4CIDR("10.250.7.0/24")!))
        #expect(IPv4CIDR("10.250.7.0/24")!.overlaps(IPv4CIDR("10.250.0.0/16")!))
        #expect(!IPv4CIDR("10.250.7.0/24")!.overlaps(IPv4CIDR("10.250.8.0/24")!))
    }

    @Test func host_isOneBasedAndStopsBeforeBroadcast() throws {
        let cidr = try #require(IPv4CIDR("10.250.3.0/29"))
        #expect(cidr.host(0) == nil)
        #expect(cidr.host(1) == IPv4Address("10.250.3.1"))
        #expect(cidr.host(6) == IPv4Address("10.250.3.6"))
        #expect(cidr.host(7) == nil)
        #expect(cidr.hostCount == 6)
    }

    @Test func tinyNetworks_haveNoGateway() {
        #expect(IPv4CIDR("10.0.0.0/31")!.gateway == nil)
        #expect(IPv4CIDR("10.0.0.0/32")!.hostCount == 0)
        #expect(IPv4CIDR("10.0.0.0/30")!.lastHost == IPv4Address("10.0.0.2"))
    }

    @Test func codable_usesTheTextForm() throws {
        let data = try JSONEncoder().encode([IPv4CIDR("10.244.0.0/24")!])
        #expect(String(decoding: data, as: UTF8.self) == #"["10.244.0.0\/24"]"#)
        #expect(try JSONDecoder().decode([IPv4CIDR].self, from: data) == [IPv4CIDR("10.244.0.0/24")!])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([IPv4Address].self, from: Data(#"["10.244.0"]"#.utf8))
        }
    }
}
