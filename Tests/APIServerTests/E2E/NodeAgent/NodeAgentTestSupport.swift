import Foundation
import Synchronization
import Testing

/// What the node-agent e2e tests need: root, runc, a static busybox, kubectl; a busybox image archive
/// (built once per test run with scripts/make-busybox-image.sh); a private bridge and pod CIDR per server;
/// and a cleanup that leaves the machine as it was (network namespaces, bridge, iptables rule, mounts,
/// runc containers).
enum NodeAgentTestSupport {
    static let image = "swiftlet.test/busybox:1"

    /// Why these tests cannot run here, or nil.
    static var unavailableReason: String? {
        if getuid() != 0 { return "the node agent needs root" }
        for tool in ["/usr/sbin/runc", "/bin/busybox", "/usr/sbin/iptables", "/usr/sbin/ip"]
            where !FileManager.default.isExecutableFile(atPath: tool) && !FileManager.default.isExecutableFile(atPath: "/usr/bin/" + (tool as NSString).lastPathComponent) {
            return "\(tool) is missing (apt-get install -y runc busybox-static iptables iproute2)"
        }
        if !Kubectl.isInstalled { return "needs kubectl" }
        return nil
    }

    static var isAvailable: Bool { unavailableReason == nil }

    private static let archive = Mutex<String?>(nil)

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The busybox image archive, built on first use.
    static func imageArchive() throws -> String {
        try archive.withLock { cached in
            if let cached, FileManager.default.fileExists(atPath: cached) { return cached }
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("swiftlet-busybox-\(getpid()).tar").path
            try runTool("/bin/bash", [repositoryRoot.appendingPathComponent("scripts/make-busybox-image.sh").path, path, image])
            cached = path
            return path
        }
    }

    /// A node bridge name and pod CIDR no other test server uses.
    struct NodeNetwork {
        let bridge: String
        let podCIDR: String
        let podPrefix: String
    }

    /// A bridge and pod CIDR for one test server.
    ///
    /// Servers of this process get distinct /24s inside 10.250.0.0/17 (NodeNetworkingTests use the upper half)
    /// that no route or address on the host uses yet: two node bridges with one pod CIDR would each install a
    /// FORWARD rule dropping the other's pod traffic. The bridge name is derived from the /24, so it is unique too.
    /// `cleanUp(dataDirectory:network:)` returns the /24 to the pool.
    static func uniqueNetwork() -> NodeNetwork {
        let inUse = ((try? runTool("/usr/sbin/ip", ["-4", "-o", "route", "show", "table", "all"])) ?? "")
            + ((try? runTool("/usr/sbin/ip", ["-4", "-o", "addr", "show"])) ?? "")
        let third = allocatedThirdOctets.withLock { allocated -> Int in
            let free = (0..<128).shuffled().filter { !allocated.contains($0) }
            let pick = free.first(where: { !inUse.contains("10.250.\($0).") }) ?? free.first ?? Int.random(in: 0..<128)
            allocated.insert(pick)
            return pick
        }
        let suffix = String(third, radix: 16)
        return NodeNetwork(bridge: "swta" + (third < 16 ? "0" : "") + suffix,
                           podCIDR: "10.250.\(third).0/24", podPrefix: "10.250.\(third).")
    }

    /// Returns a network's /24 to the pool; `cleanUp` calls it last.
    static func releaseNetwork(_ network: NodeNetwork) {
        let third = network.podPrefix.split(separator: ".").dropFirst(2).first.flatMap { Int($0) }
        if let third { _ = allocatedThirdOctets.withLock { $0.remove(third) } }
    }

    private static let allocatedThirdOctets = Mutex<Set<Int>>([])

    /// Server arguments that run the node agent on `network`, after importing the test image into the
    /// server's image store.
    static func serverArguments(dataDirectory: URL, network: NodeNetwork, extra: [String] = []) throws -> [String] {
        try runTool(try SwiftletServerProcess.binary(),
                    ["image", "import", "--data-dir", dataDirectory.path, try imageArchive()])
        return ["--enable-agent", "--node-bridge", network.bridge, "--pod-cidr", network.podCIDR,
                "--node-name", "node-" + network.bridge] + extra
    }

    /// Removes whatever a stopped server's node agent left: containers, mounts, network namespaces, the
    /// bridge and its iptables rule, empty pod cgroups; then returns the network's /24 to the pool.
    static func cleanUp(dataDirectory: URL, network: NodeNetwork) {
        let runcRoot = dataDirectory.appendingPathComponent("agent/runc").path
        if let list = try? runTool("/usr/sbin/runc", ["--root", runcRoot, "list", "-q"]) {
            for id in list.split(separator: "\n") {
                _ = try? runTool("/usr/sbin/runc", ["--root", runcRoot, "delete", "--force", String(id)])
            }
        }
        // procfs reports a size of 0: read to the end instead of trusting it.
        if let handle = FileHandle(forReadingAtPath: "/proc/self/mounts"),
           let data = try? handle.readToEnd(), let mounts = String(data: data, encoding: .utf8) {
            for line in mounts.split(separator: "\n").reversed() {
                let fields = line.split(separator: " ")
                if fields.count > 1, fields[1].hasPrefix(dataDirectory.path) {
                    _ = try? runTool("/bin/umount", ["-l", String(fields[1])])
                }
            }
        }
        if let namespaces = try? runTool("/usr/sbin/ip", ["netns", "list"]) {
            for line in namespaces.split(separator: "\n") {
                let name = String(line.split(separator: " ").first ?? "")
                if name.hasPrefix(network.bridge + "-") { _ = try? runTool("/usr/sbin/ip", ["netns", "del", name]) }
            }
        }
        _ = try? runTool("/usr/sbin/ip", ["link", "del", network.bridge])
        if let rules = try? runTool("/usr/sbin/iptables", ["-S", "FORWARD"]) {
            for rule in rules.split(separator: "\n") where rule.contains(network.bridge) && rule.hasPrefix("-A ") {
                let arguments = ["-D"] + Self.shellWords(String(rule.dropFirst(3)))
                _ = try? runTool("/usr/sbin/iptables", arguments)
            }
        }
        for hierarchy in (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? [] {
            let base = "/sys/fs/cgroup/\(hierarchy)/swiftlet"
            for pod in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] {
                rmdir(base + "/" + pod)
            }
        }
        releaseNetwork(network)
    }

    /// Splits an `iptables -S` line into words, keeping quoted comments together.
    static func shellWords(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle(); continue }
            if character == " " && !quoted {
                if !current.isEmpty { words.append(current); current = "" }
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// Runs a tool to completion (on the calling thread) and returns its stdout; throws on a non-zero exit.
    @discardableResult
    static func runTool(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NodeAgentTestError.toolFailed("\(executable) \(arguments.joined(separator: " ")): "
                + String(decoding: errorData, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self)
    }
}

enum NodeAgentTestError: Error, CustomStringConvertible {
    case toolFailed(String)

    var description: String {
        switch self {
        case .toolFailed(let message): message
        }
    }
}

/// Starts a server with the node agent on a private network, runs `body`, stops the server, removes what its
/// node agent left running or mounted, and only then removes the data directory (removing it first would
/// reach into the containers' still-mounted root filesystems and leave the mounts behind).
func withNodeAgentServer(extraArguments: [String] = [],
                         _ body: (SwiftletServerProcess, Kubectl, NodeAgentTestSupport.NodeNetwork) async throws -> Void)
    async throws
{
    let network = NodeAgentTestSupport.uniqueNetwork()
    let server = try SwiftletServerProcess()
    var status: Int32 = 0
    do {
        defer {
            NodeAgentTestSupport.cleanUp(dataDirectory: server.dataDirectory, network: network)
            try? FileManager.default.removeItem(at: server.dataDirectory)
        }
        try await server.start(arguments: try NodeAgentTestSupport.serverArguments(
            dataDirectory: server.dataDirectory, network: network, extra: extraArguments))
        do {
            let kubectl = try Kubectl(server: server)
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "node", "--all", "--timeout=60s"])
            try await body(server, kubectl, network)
        } catch {
            _ = await server.stopped(keepingData: true)
            throw error
        }
        status = await server.stopped(keepingData: true)
    }
    if status != 0 { throw ServerProcessError.notReady("server exited \(status) on SIGTERM:\n\(server.output)") }
}
