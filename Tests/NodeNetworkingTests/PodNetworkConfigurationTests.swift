@testable import NodeNetworking
import Testing

@Suite struct PodNetworkConfigurationTests {
    let cidr = IPv4CIDR("10.244.0.0/24")!

    @Test func defaults_areTheDocumentedOnes() throws {
        let configuration = PodNetworkConfiguration(podCIDR: cidr, stateDirectory: "/var/lib/swiftlet/network")
        #expect(configuration.bridgeName == "swiftlet0")
        #expect(configuration.namespacePrefix == "swiftlet-")
        #expect(configuration.mtu == nil)
        try configuration.validate()
    }

    @Test(arguments: [
        PodNetworkConfiguration(bridgeName: "", podCIDR: IPv4CIDR("10.244.0.0/24")!, stateDirectory: "/s"),
        PodNetworkConfiguration(bridgeName: "sixteen-chars-xx", podCIDR: IPv4CIDR("10.244.0.0/24")!, stateDirectory: "/s"),
        PodNetworkConfiguration(bridgeName: "br 0", podCIDR: IPv4CIDR("10.244.0.0/24")!, stateDirectory: "/s"),
        PodNetworkConfiguration(podCIDR: IPv4CIDR("10.244.0.0/31")!, stateDirectory: "/s"),
        PodNetworkConfiguration(podCIDR: IPv4CIDR("10.244.0.0/24")!, stateDirectory: ""),
        PodNetworkConfiguration(podCIDR: IPv4CIDR("10.244.0.0/24")!, stateDirectory: "/s", namespacePrefix: ""),
        PodNetworkConfiguration(podCIDR: IPv4CIDR("10.244.0.0/24")!, stateDirectory: "/s", namespacePrefix: "a/b"),
        PodNetworkConfiguration(podCIDR: IPv4CIDR("10.244.0.0/24")!, stateDirectory: "/s", mtu: 67),
    ])
    func validate_rejectsUnworkableFields(_ configuration: PodNetworkConfiguration) {
        #expect(throws: NodeNetworkingError.self) { try configuration.validate() }
        #expect(throws: NodeNetworkingError.self) { _ = try PodNetwork(configuration: configuration) }
    }

    @Test(arguments: ["", ".hidden", "a/b", "a b", String(repeating: "x", count: 201)])
    func attach_rejectsSandboxIDsThatCannotNameANamespace(_ sandboxID: String) async throws {
        let network = try PodNetwork(configuration: PodNetworkConfiguration(podCIDR: cidr, stateDirectory: "/nonexistent"))
        await #expect(throws: NodeNetworkingError.self) { _ = try await network.attach(sandboxID: sandboxID) }
        await #expect(throws: NodeNetworkingError.self) { try await network.detach(sandboxID: sandboxID) }
    }

    @Test func names_deriveFromThePrefixAndTheSandboxID() throws {
        let network = try PodNetwork(
            configuration: PodNetworkConfiguration(podCIDR: cidr, stateDirectory: "/s", namespacePrefix: "p-"))
        #expect(network.namespaceName(for: "abc") == "p-abc")
        #expect(network.hostInterfaceName(for: "abc").count == 15)
    }
}
