import Foundation
import HostSystem
import NodeNetworking
import Testing

/// Real bridges, namespaces and iptables rules; serialized because `net.ipv4.ip_forward` is host-wide and each
/// test restores the value it found.
@Suite(.serialized, .enabled(if: PodNetworkTestEnvironment.isAvailable, Comment(rawValue: PodNetworkTestEnvironment.reason)))
struct PodNetworkTests {
    @Test func setUpNode_twice_thenTearDownNode_leavesNothingBehind() async throws {
        try await PodNetworkFixture.with { fixture in
            let ipForwardBefore = try Host.kernelParameter("/proc/sys/net/ipv4/ip_forward")
            let network = try fixture.network()

            try await network.setUpNode()
            try await network.setUpNode()

            let addresses = try await Host.run(["ip", "-4", "-o", "addr", "show", "dev", fixture.bridge])
            #expect(addresses.standardOutputText.contains("inet \(fixture.cidr.gateway!)/24"))
            let link = try await Host.run(["ip", "-o", "link", "show", "dev", fixture.bridge]).standardOutputText
            #expect(link.contains("state UP") || link.contains(",UP"))
            #expect(try Host.kernelParameter("/proc/sys/net/ipv4/ip_forward") == "1")
            #expect(try Host.kernelParameter("/proc/sys/net/ipv4/conf/\(fixture.bridge)/route_localnet") == "1")
            let rules = try await Host.run(["iptables", "-w", "5", "-S", "FORWARD"]).standardOutputText
            #expect(rules.split(separator: "\n").filter { $0.contains("swiftlet pod network \(fixture.bridge)") }.count == 1)
            #expect(try await Host.succeeds(["iptables", "-w", "5", "-C", "FORWARD"] + fixture.forwardRule))

            try await network.tearDownNode()

            #expect(!Host.interfaceExists(fixture.bridge))
            #expect(try await !Host.succeeds(["iptables", "-w", "5", "-C", "FORWARD"] + fixture.forwardRule))
            #expect(try Host.kernelParameter("/proc/sys/net/ipv4/ip_forward") == ipForwardBefore)
        }
    }

    @Test func attach_twoSandboxes_reachEachOtherTheGatewayAndTheHost() async throws {
        try await PodNetworkFixture.with { fixture in
            let network = try fixture.network()
            try await network.setUpNode()

            let started = ContinuousClock.now
            let first = try await network.attach(sandboxID: "sandbox-a")
            print("pod network attach took \(ContinuousClock.now - started)")
            let second = try await network.attach(sandboxID: "sandbox-b")

            #expect(first.ipAddress != second.ipAddress)
            #expect(fixture.cidr.contains(first.ipAddress) && fixture.cidr.contains(second.ipAddress))
            #expect(first.gateway == fixture.cidr.gateway)
            #expect(first.prefixLength == 24)
            #expect(first.namespaceName == fixture.configuration.namespacePrefix + "sandbox-a")
            #expect(first.namespacePath == "/var/run/netns/\(first.namespaceName)")
            #expect(FileManager.default.fileExists(atPath: first.namespacePath))
            #expect(first.hostInterface.count <= 15 && Host.interfaceExists(first.hostInterface))

            let eth0 = try await Host.run(["ip", "-n", first.namespaceName, "-4", "-o", "addr", "show", "dev", "eth0"])
            #expect(eth0.standardOutputText.contains("inet \(first.ipAddress)/24"))
            let route = try await Host.run(["ip", "-n", first.namespaceName, "route", "show", "default"])
            #expect(route.standardOutputText.contains("default via \(fixture.cidr.gateway!)"))
            let veth = try await Host.run(["ip", "-d", "link", "show", "dev", first.hostInterface]).standardOutputText
            #expect(veth.contains("master \(fixture.bridge)"))
            #expect(veth.contains("hairpin on"))

            let podToPod = try await Host.run(
                ["ip", "netns", "exec", first.namespaceName, "ping", "-c1", "-W30", "\(second.ipAddress)"])
            #expect(podToPod.status.succeeded, "\(podToPod.standardOutputText)\(podToPod.standardErrorText)")
            let podToGateway = try await Host.run(
                ["ip", "netns", "exec", first.namespaceName, "ping", "-c1", "-W30", "\(first.gateway)"])
            #expect(podToGateway.status.succeeded, "\(podToGateway.standardOutputText)\(podToGateway.standardErrorText)")
            let hostToPod = try await Host.run(["ping", "-c1", "-W30", "\(second.ipAddress)"])
            #expect(hostToPod.status.succeeded, "\(hostToPod.standardOutputText)\(hostToPod.standardErrorText)")
        }
    }

    @Test func detach_removesNamespaceVethAndAddress_andIsIdempotent() async throws {
        try await PodNetworkFixture.with { fixture in
            let network = try fixture.network()
            try await network.setUpNode()
            let attachment = try await network.attach(sandboxID: "sandbox-a")

            try await network.detach(sandboxID: "sandbox-a")

            #expect(!FileManager.default.fileExists(atPath: attachment.namespacePath))
            #expect(!Host.interfaceExists(attachment.hostInterface))
            let namespaces = try await Host.run(["ip", "netns", "list"]).standardOutputText
            #expect(!namespaces.contains(attachment.namespaceName))
            #expect(try await network.allocator.address(for: "sandbox-a") == nil)
            #expect(try await network.attachment(sandboxID: "sandbox-a") == nil)
            #expect(try await network.sandboxIDs().isEmpty)

            try await network.detach(sandboxID: "sandbox-a")
            try await network.detach(sandboxID: "never-attached")
            #expect(try await network.sandboxIDs().isEmpty)
        }
    }

    @Test func attach_afterRestart_returnsTheSameAttachment_andSandboxIDsListsLeftovers() async throws {
        try await PodNetworkFixture.with { fixture in
            let before = try fixture.network()
            try await before.setUpNode()
            let attachmentA = try await before.attach(sandboxID: "sandbox-a")
            let attachmentB = try await before.attach(sandboxID: "sandbox-b")
            #expect(try await before.attach(sandboxID: "sandbox-a") == attachmentA)
            let orphan = fixture.configuration.namespacePrefix + "orphan"
            #expect(try await Host.succeeds(["ip", "netns", "add", orphan]))

            let after = try fixture.network()
            try await after.setUpNode()

            #expect(try await after.sandboxIDs() == ["orphan", "sandbox-a", "sandbox-b"])
            #expect(try await after.attach(sandboxID: "sandbox-a") == attachmentA)
            #expect(try await after.attachment(sandboxID: "sandbox-b") == attachmentB)
            let attachmentC = try await after.attach(sandboxID: "sandbox-c")
            #expect(![attachmentA.ipAddress, attachmentB.ipAddress].contains(attachmentC.ipAddress))

            for sandboxID in try await after.sandboxIDs() where sandboxID != "sandbox-c" {
                try await after.detach(sandboxID: sandboxID)
            }
            #expect(try await after.sandboxIDs() == ["sandbox-c"])
            #expect(!FileManager.default.fileExists(atPath: "/var/run/netns/\(orphan)"))
            let podToGateway = try await Host.run(
                ["ip", "netns", "exec", attachmentC.namespaceName, "ping", "-c1", "-W30", "\(attachmentC.gateway)"])
            #expect(podToGateway.status.succeeded, "\(podToGateway.standardOutputText)\(podToGateway.standardErrorText)")
        }
    }

    @Test func attach_whenTheNamespaceVanished_rebuildsItWithTheSameAddress() async throws {
        try await PodNetworkFixture.with { fixture in
            let network = try fixture.network()
            try await network.setUpNode()
            let attachment = try await network.attach(sandboxID: "sandbox-a")
            // What a reboot leaves: the state directory, but no namespace and no veth.
            #expect(try await Host.succeeds(["ip", "link", "del", "dev", attachment.hostInterface]))
            #expect(try await Host.succeeds(["ip", "netns", "del", attachment.namespaceName]))

            let rebuilt = try await network.attach(sandboxID: "sandbox-a")

            #expect(rebuilt == attachment)
            #expect(Host.interfaceExists(rebuilt.hostInterface))
            let ping = try await Host.run(
                ["ip", "netns", "exec", rebuilt.namespaceName, "ping", "-c1", "-W30", "\(rebuilt.gateway)"])
            #expect(ping.status.succeeded, "\(ping.standardOutputText)\(ping.standardErrorText)")
        }
    }

    @Test func attach_concurrently_givesEverySandboxItsOwnAddress() async throws {
        try await PodNetworkFixture.with { fixture in
            let network = try fixture.network()
            try await network.setUpNode()

            let attachments = try await withThrowingTaskGroup(of: PodNetworkAttachment.self) { group in
                for index in 0..<6 {
                    group.addTask { try await network.attach(sandboxID: "sandbox-\(index % 5)") }
                }
                return try await group.reduce(into: [PodNetworkAttachment]()) { $0.append($1) }
            }

            #expect(attachments.count == 6)
            #expect(Set(attachments).count == 5)
            #expect(Set(attachments.map(\.ipAddress)).count == 5)
            #expect(try await network.allocator.allocations().count == 5)
        }
    }

    @Test func attach_whenTheHostSideFails_undoesEverything() async throws {
        try await PodNetworkFixture.with { fixture in
            let network = try fixture.network()
            try await network.setUpNode()
            // A veth in place of the bridge: the pod's veth cannot be enslaved to it.
            #expect(try await Host.succeeds(["ip", "link", "del", "dev", fixture.bridge]))
            #expect(
                try await Host.succeeds(
                    ["ip", "link", "add", fixture.bridge, "type", "veth", "peer", "name", fixture.bridge + "p"]))

            await #expect {
                _ = try await network.attach(sandboxID: "sandbox-a")
            } throws: { error in
                guard case .ipBatchFailed = error as? NodeNetworkingError else { return false }
                return "\(error)".contains("master \(fixture.bridge)")
            }

            #expect(!FileManager.default.fileExists(atPath: "/var/run/netns/\(network.namespaceName(for: "sandbox-a"))"))
            #expect(!Host.interfaceExists(network.hostInterfaceName(for: "sandbox-a")))
            #expect(try await network.allocator.allocations().isEmpty)
            #expect(try await network.attachment(sandboxID: "sandbox-a") == nil)
            #expect(try await network.sandboxIDs().isEmpty)
        }
    }
}
