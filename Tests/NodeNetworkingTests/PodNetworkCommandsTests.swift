import HostSystem
@testable import NodeNetworking
import Testing

@Suite struct PodNetworkCommandsTests {
    let commands = PodNetworkCommands(
        configuration: PodNetworkConfiguration(
            bridgeName: "swt1a2b", podCIDR: IPv4CIDR("10.250.17.0/24")!, stateDirectory: "/tmp/state"))

    @Test func hostInterfaceName_isShortStableAndDistinct() {
        let name = commands.hostInterfaceName(for: "0123456789abcdef0123456789abcdef")
        #expect(name.count == 15)
        #expect(name.hasPrefix("veth"))
        #expect(name == commands.hostInterfaceName(for: "0123456789abcdef0123456789abcdef"))
        #expect(name != commands.hostInterfaceName(for: "0123456789abcdef0123456789abcdee"))
        let otherBridge = PodNetworkCommands(
            configuration: PodNetworkConfiguration(
                bridgeName: "swt9999", podCIDR: IPv4CIDR("10.250.17.0/24")!, stateDirectory: "/tmp/state"))
        #expect(name != otherBridge.hostInterfaceName(for: "0123456789abcdef0123456789abcdef"))
    }

    @Test func bridgeMACAddress_isLocallyAdministeredUnicast() {
        let parts = commands.bridgeMACAddress.split(separator: ":")
        #expect(parts.count == 6)
        #expect(parts.first == "02")
        #expect(parts.allSatisfy { $0.count == 2 && UInt8($0, radix: 16) != nil })
    }

    @Test func bridgeSetUpScript_createsOnlyWhenAsked() {
        #expect(commands.bridgeSetUpScript(create: false) == "addr replace 10.250.17.1/24 dev swt1a2b\nlink set dev swt1a2b up\n")
        #expect(
            commands.bridgeSetUpScript(create: true).hasPrefix(
                "link add name swt1a2b address \(commands.bridgeMACAddress) type bridge\naddr replace"))
    }

    @Test func attachScripts_wireTheVethIntoTheBridgeAndTheNamespace() {
        #expect(
            commands.hostSideScript(namespaceName: "swt-a", hostInterface: "veth0123") == """
                netns add swt-a
                link add name veth0123 type veth peer name eth0 netns swt-a
                link set dev veth0123 master swt1a2b
                link set dev veth0123 type bridge_slave hairpin on
                link set dev veth0123 up

                """)
        #expect(
            commands.podSideScript(address: IPv4Address("10.250.17.9")!) == """
                link set dev lo up
                addr add 10.250.17.9/24 dev eth0
                link set dev eth0 up
                route add default via 10.250.17.1 dev eth0

                """)
    }

    @Test func mtu_appliesToBridgeAndBothVethEnds() {
        let withMTU = PodNetworkCommands(
            configuration: PodNetworkConfiguration(
                bridgeName: "swt1a2b", podCIDR: IPv4CIDR("10.250.17.0/24")!, stateDirectory: "/tmp/state", mtu: 1450))
        #expect(withMTU.bridgeSetUpScript(create: true).hasPrefix("link add name swt1a2b mtu 1450 address"))
        #expect(
            withMTU.hostSideScript(namespaceName: "ns", hostInterface: "v").contains(
                "link add name v mtu 1450 type veth peer name eth0 mtu 1450 netns ns"))
    }

    @Test func removalScript_onlyNamesWhatExists() {
        #expect(commands.removalScript(hostInterface: nil, namespaceName: nil) == nil)
        #expect(commands.removalScript(hostInterface: "v1", namespaceName: nil) == "link del dev v1\n")
        #expect(commands.removalScript(hostInterface: "v1", namespaceName: "ns") == "link del dev v1\nnetns del ns\n")
    }

    @Test func forwardRule_dropsPodTrafficLeavingThroughAnythingButTheBridge() {
        #expect(
            commands.forwardRule == [
                "-s", "10.250.17.0/24", "!", "-o", "swt1a2b", "-m", "comment", "--comment",
                "swiftlet pod network swt1a2b", "-j", "DROP",
            ])
    }

    @Test func failedBatchLine_picksTheLineIPReported() {
        let script = "netns add a\nlink add name v type veth peer name eth0 netns a\nlink set dev v master br\n"
        #expect(
            PodNetwork.failedBatchLine(stderr: "Cannot find device \"br\"\nCommand failed -:3\n", script: script)
                == "link set dev v master br")
        #expect(PodNetwork.failedBatchLine(stderr: "RTNETLINK answers: Operation not supported", script: script) == nil)
        #expect(PodNetwork.failedBatchLine(stderr: "Command failed -:9", script: script) == nil)
    }

    @Test func ipBatchFailed_describesTheFailingCommand() {
        let error = NodeNetworkingError.ipBatchFailed(
            arguments: ["-batch", "-"], script: "link set dev v master br\n", failedCommand: "link set dev v master br",
            status: .exited(1), stderr: "Cannot find device \"br\"\nCommand failed -:1\n")
        #expect("\(error)" == #"`ip -batch -` failed with exit status 1 at "link set dev v master br": Cannot find device "br""#)
    }
}
