public import Logging
import HostSystem

/// The node's pod network: a bridge with the gateway address of the pod CIDR, and one network namespace with a
/// veth pair per pod sandbox, wired with `ip` and `iptables` through `HostCommand`.
///
/// Actor; safe to call from any task. Operations on the same sandbox id run one at a time; attaches of
/// different sandboxes overlap. Call `setUpNode()` once before the first `attach` (it is idempotent, also after a
/// crash). All state lives in the kernel and under `configuration.stateDirectory`, so a new `PodNetwork` on the
/// same directory (after a restart of the node agent) sees every existing attachment again: `attach` returns it
/// unchanged, `sandboxIDs()` lists it for cleanup.
///
/// Pods with `hostNetwork: true` need nothing from here: the kubelet neither attaches them nor gives runc a
/// network namespace path, so their containers stay in the host's namespace and report the node's address.
///
/// Layout of the state directory: `ipam/` (one file per reserved address, see `HostLocalIPAllocator`),
/// `sandboxes/<sandboxID>.json` (the attachment, written when it is complete) and `node/<sysctl>.previous`
/// (kernel parameters as they were before `setUpNode()`, restored by `tearDownNode()`).
public actor PodNetwork {
    public nonisolated let configuration: PodNetworkConfiguration
    /// The address allocator over the pod CIDR (state in `<stateDirectory>/ipam`).
    public nonisolated let allocator: HostLocalIPAllocator
    /// Where `ip netns` keeps its namespace files.
    public static let namespaceDirectory = "/var/run/netns"

    let commands: PodNetworkCommands
    let logger: Logger
    private var busySandboxes: Set<String> = []
    private var sandboxWaiters: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Validates the configuration; touches nothing on the host yet.
    public init(
        configuration: PodNetworkConfiguration, logger: Logger = Logger(label: "swiftlet.pod-network")
    ) throws(NodeNetworkingError) {
        try configuration.validate()
        self.configuration = configuration
        self.allocator = try HostLocalIPAllocator(
            range: configuration.podCIDR, directory: Self.join(configuration.stateDirectory, "ipam"))
        self.commands = PodNetworkCommands(configuration: configuration)
        self.logger = logger
    }

    /// The namespace name of a sandbox: `<namespacePrefix><sandboxID>`.
    public nonisolated func namespaceName(for sandboxID: String) -> String {
        configuration.namespacePrefix + sandboxID
    }

    /// The host end of a sandbox's veth pair (derived from a hash of the bridge name and the sandbox id).
    public nonisolated func hostInterfaceName(for sandboxID: String) -> String {
        commands.hostInterfaceName(for: sandboxID)
    }

    // MARK: - Node

    /// Creates the bridge if missing and gives it the gateway address, brings it up, sets `net.ipv4.ip_forward=1`
    /// and `net.bridge.bridge-nf-call-iptables=1` (when the kernel has it), remembering their previous values,
    /// sets `route_localnet` on the bridge and inserts the FORWARD rule that drops pod traffic leaving the node
    /// through anything but the bridge. Idempotent: safe to run again, also after a crash half-way.
    public func setUpNode() async throws(NodeNetworkingError) {
        let bridge = configuration.bridgeName
        for directory in [nodeStateDirectory, sandboxStateDirectory, allocator.directory] {
            try StateFiles.createDirectory(directory)
        }
        let bridgeExists = Self.interfaceExists(bridge)
        if bridgeExists && !StateFiles.exists("/sys/class/net/\(bridge)/bridge") {
            throw .notABridge(bridge)
        }
        try await runIP(["-batch", "-"], script: commands.bridgeSetUpScript(create: !bridgeExists))
        try setRemembering(.ipForward, to: "1")
        if KernelParameter.bridgeCallIPTables.isPresent {
            try setRemembering(.bridgeCallIPTables, to: "1")
        }
        try KernelParameter.routeLocalnet(interface: bridge).write("1")
        if try await !forwardRuleExists() {
            try await runIPTables(["-I", "FORWARD"] + commands.forwardRule)
        }
        logger.info(
            "Pod network node set up",
            metadata: [
                NodeNetworkingLogKey.bridge: "\(bridge)", NodeNetworkingLogKey.podCIDR: "\(configuration.podCIDR)",
                NodeNetworkingLogKey.createdBridge: "\(!bridgeExists)",
            ])
    }

    /// Undoes `setUpNode()` and every attachment: detaches all sandboxes `sandboxIDs()` lists, deletes the
    /// FORWARD rule and the bridge, and restores the kernel parameters it changed. For tests and uninstalling;
    /// an agent restart must not call it (pods keep running across restarts).
    public func tearDownNode() async throws(NodeNetworkingError) {
        for sandboxID in try await sandboxIDs() {
            try await detach(sandboxID: sandboxID)
        }
        while try await forwardRuleExists() {
            try await runIPTables(["-D", "FORWARD"] + commands.forwardRule)
        }
        let bridge = configuration.bridgeName
        if Self.interfaceExists(bridge) {
            let output = try await runIP(["link", "del", "dev", bridge], checked: false)
            if !output.status.succeeded && Self.interfaceExists(bridge) {
                throw .hostCommand(
                    .commandFailed(
                        command: ["ip", "link", "del", "dev", bridge], status: output.status,
                        stderr: output.standardErrorText))
            }
        }
        for parameter in [KernelParameter.ipForward, .bridgeCallIPTables] {
            let record = Self.join(nodeStateDirectory, parameter.name + ".previous")
            guard let previous = try StateFiles.readText(record)?.trimmingSpaces() else { continue }
            if !previous.isEmpty && parameter.isPresent { try parameter.write(previous) }
            try StateFiles.remove(record)
        }
        logger.info("Pod network node torn down", metadata: [NodeNetworkingLogKey.bridge: "\(bridge)"])
    }

    // MARK: - Sandbox locking

    /// Waits until no other operation on `sandboxID` runs, then marks it busy; pair with `endOperation`.
    func beginOperation(on sandboxID: String) async {
        if busySandboxes.insert(sandboxID).inserted { return }
        await withCheckedContinuation { continuation in
            sandboxWaiters[sandboxID, default: []].append(continuation)
        }
        // The finishing operation handed the sandbox over without clearing the busy mark.
    }

    func endOperation(on sandboxID: String) {
        if var waiters = sandboxWaiters[sandboxID], !waiters.isEmpty {
            let next = waiters.removeFirst()
            sandboxWaiters[sandboxID] = waiters.isEmpty ? nil : waiters
            next.resume()
        } else {
            busySandboxes.remove(sandboxID)
        }
    }

    // MARK: - Helpers

    var nodeStateDirectory: String { Self.join(configuration.stateDirectory, "node") }
    var sandboxStateDirectory: String { Self.join(configuration.stateDirectory, "sandboxes") }

    /// Sets a kernel parameter; the value it had before the first change is kept in the node state directory.
    private func setRemembering(_ parameter: KernelParameter, to value: String) throws(NodeNetworkingError) {
        let record = Self.join(nodeStateDirectory, parameter.name + ".previous")
        let current = try parameter.read()
        if try StateFiles.readText(record) == nil {
            _ = try StateFiles.createExclusively(record, current)
        }
        if current != value { try parameter.write(value) }
    }

    private func forwardRuleExists() async throws(NodeNetworkingError) -> Bool {
        let output = try await runIPTables(["-C", "FORWARD"] + commands.forwardRule, checked: false)
        switch output.status {
        case .exited(0): return true
        case .exited(1): return false
        default:
            throw .hostCommand(
                .commandFailed(
                    command: ["iptables", "-C", "FORWARD"] + commands.forwardRule, status: output.status,
                    stderr: output.standardErrorText))
        }
    }

    @discardableResult
    func runIP(_ arguments: [String], script: String? = nil, checked: Bool = true) async throws(NodeNetworkingError)
        -> HostCommand.Output
    {
        let output: HostCommand.Output
        do {
            output = try await HostCommand.run("ip", arguments, input: script.map { Array($0.utf8) } ?? [])
        } catch {
            throw .hostCommand(error)
        }
        guard checked, !output.status.succeeded else { return output }
        let stderr = output.standardErrorText
        guard let script else {
            throw .hostCommand(.commandFailed(command: ["ip"] + arguments, status: output.status, stderr: stderr))
        }
        throw .ipBatchFailed(
            arguments: arguments, script: script, failedCommand: Self.failedBatchLine(stderr: stderr, script: script),
            status: output.status, stderr: stderr)
    }

    /// The script line named by `ip -batch`'s "Command failed -:<line>" message, if any.
    static func failedBatchLine(stderr: String, script: String) -> String? {
        let marker = "Command failed -:"
        guard let report = stderr.split(separator: "\n").last(where: { $0.hasPrefix(marker) }),
              let number = Int(report.dropFirst(marker.count).prefix(while: { $0.isNumber })) else { return nil }
        let lines = script.split(separator: "\n", omittingEmptySubsequences: false)
        return (1...lines.count).contains(number) ? String(lines[number - 1]) : nil
    }

    @discardableResult
    private func runIPTables(_ arguments: [String], checked: Bool = true) async throws(NodeNetworkingError)
        -> HostCommand.Output
    {
        do {
            return checked
                ? try await HostCommand.runChecked("iptables", ["-w", "5"] + arguments)
                : try await HostCommand.run("iptables", ["-w", "5"] + arguments)
        } catch {
            throw .hostCommand(error)
        }
    }

    static func interfaceExists(_ name: String) -> Bool {
        StateFiles.exists("/sys/class/net/\(name)")
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}

/// Metadata keys of the pod network's log messages.
enum NodeNetworkingLogKey {
    static let bridge = "bridge"
    static let podCIDR = "podCIDR"
    static let createdBridge = "createdBridge"
    static let sandboxID = "sandboxID"
    static let namespace = "netns"
    static let podIP = "podIP"
    static let hostInterface = "hostInterface"
    static let error = "error"
}
