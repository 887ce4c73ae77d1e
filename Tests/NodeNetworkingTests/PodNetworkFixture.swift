#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import HostSystem
import NodeNetworking

/// Whether the host can run the pod network tests, and why not.
enum PodNetworkTestEnvironment {
    static let isAvailable: Bool = getuid() == 0 && ["ip", "iptables", "ping"].allSatisfy(isOnPath)
    static let reason = "needs root and ip, iptables and ping (apt-get install -y iproute2 iptables iputils-ping)"

    static func isOnPath(_ tool: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"
        return path.split(separator: ":").contains { access("\($0)/\(tool)", X_OK) == 0 }
    }
}

/// One test's private pod network: a unique bridge ("swt" + 4 hex digits), namespace prefix, /24 inside
/// 10.250.128.0/17 (the node-agent e2e tests use the lower half) that no interface or route on the host uses yet, and state directory.
///
/// A value type; Sendable. `cleanUp()` removes everything, also what a failed `tearDownNode()` left behind.
struct PodNetworkFixture: Sendable {
    let configuration: PodNetworkConfiguration
    let stateDirectory: TemporaryDirectory

    var bridge: String { configuration.bridgeName }
    var cidr: IPv4CIDR { configuration.podCIDR }

    static func make() async throws -> PodNetworkFixture {
        let tag = String(UInt16.random(in: 0x1000...0xffff), radix: 16)
        let routes = try await Host.run(["ip", "-4", "-o", "route", "show", "table", "all"]).standardOutputText
            + Host.run(["ip", "-4", "-o", "addr", "show"]).standardOutputText
        guard let third = (128..<256).shuffled().first(where: { !routes.contains("10.250.\($0).") }) else {
            throw FixtureError("no unused /24 left in 10.250.128.0/17")
        }
        let state = try TemporaryDirectory("swiftlet-podnet-\(tag)")
        return PodNetworkFixture(
            configuration: PodNetworkConfiguration(
                bridgeName: "swt\(tag)", podCIDR: IPv4CIDR("10.250.\(third).0/24")!,
                stateDirectory: state.path, namespacePrefix: "swt\(tag)-"),
            stateDirectory: state)
    }

    /// Runs `body` with a fresh fixture and always cleans up afterwards, also when `body` throws.
    static func with(_ body: (PodNetworkFixture) async throws -> Void) async throws {
        let fixture = try await make()
        do {
            try await body(fixture)
        } catch {
            await fixture.cleanUp()
            throw error
        }
        await fixture.cleanUp()
    }

    func network() throws -> PodNetwork {
        try PodNetwork(configuration: configuration)
    }

    func cleanUp() async {
        if let network = try? network() { try? await network.tearDownNode() }
        // Fallbacks for what a failed teardown may have left.
        let namespaces = (try? FileManager.default.contentsOfDirectory(atPath: PodNetwork.namespaceDirectory)) ?? []
        for name in namespaces where name.hasPrefix(configuration.namespacePrefix) {
            _ = try? await Host.run(["ip", "netns", "del", name])
        }
        if FileManager.default.fileExists(atPath: "/sys/class/net/\(bridge)") {
            _ = try? await Host.run(["ip", "link", "del", "dev", bridge])
        }
        for _ in 0..<3 {
            guard let output = try? await Host.run(["iptables", "-w", "5", "-D", "FORWARD"] + forwardRule),
                  output.status.succeeded else { break }
        }
        let record = stateDirectory.path + "/node/net.ipv4.ip_forward.previous"
        if let previous = try? String(contentsOfFile: record, encoding: .utf8) {
            try? previous.write(toFile: "/proc/sys/net/ipv4/ip_forward", atomically: false, encoding: .utf8)
        }
        stateDirectory.remove()
    }

    var forwardRule: [String] {
        ["-s", cidr.description, "!", "-o", bridge, "-m", "comment", "--comment", "swiftlet pod network \(bridge)",
         "-j", "DROP"]
    }
}

/// Host commands for assertions.
enum Host {
    static func run(_ command: [String]) async throws -> HostCommand.Output {
        try await HostCommand.run(command[0], Array(command.dropFirst()))
    }

    static func succeeds(_ command: [String]) async throws -> Bool {
        try await run(command).status.succeeded
    }

    static func interfaceExists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: "/sys/class/net/\(name)")
    }

    static func kernelParameter(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
