import Foundation
import HostSystem
import Logging

extension PodNetwork {
    /// Puts a sandbox on the pod network: a namespace `<namespacePrefix><sandboxID>`, a veth pair whose host end
    /// sits on the bridge (hairpin on) and whose other end is the namespace's `eth0` with the next free address of
    /// the pod CIDR and a default route via the gateway; `lo` is up. Two `ip` processes in total.
    ///
    /// Idempotent: a sandbox that is already attached gets its existing attachment back (also from a new
    /// `PodNetwork` after a restart). Leftovers of an interrupted attach are removed and the attach starts over.
    /// On failure everything this call created is removed again and the address is released.
    public func attach(sandboxID: String) async throws(NodeNetworkingError) -> PodNetworkAttachment {
        try Self.validate(sandboxID: sandboxID)
        await beginOperation(on: sandboxID)
        defer { endOperation(on: sandboxID) }

        let namespaceName = namespaceName(for: sandboxID)
        let hostInterface = hostInterfaceName(for: sandboxID)
        let namespacePath = Self.join(Self.namespaceDirectory, namespaceName)
        if let recorded = try recordedAttachment(sandboxID: sandboxID),
           configuration.podCIDR.contains(recorded.ipAddress), StateFiles.exists(namespacePath),
           Self.interfaceExists(hostInterface) {
            return recorded
        }
        guard Self.interfaceExists(configuration.bridgeName) else {
            throw .invalidConfiguration(
                "bridge \(configuration.bridgeName) does not exist; call setUpNode() before attaching sandboxes")
        }
        try await removeInterfaces(namespaceName: namespaceName, hostInterface: hostInterface)

        let address = try await allocator.allocate(for: sandboxID)
        let attachment = PodNetworkAttachment(
            sandboxID: sandboxID, namespaceName: namespaceName, namespacePath: namespacePath, ipAddress: address,
            prefixLength: configuration.podCIDR.prefixLength, gateway: configuration.podCIDR.gateway!,
            hostInterface: hostInterface)
        do throws(NodeNetworkingError) {
            try StateFiles.createDirectory(sandboxStateDirectory)
            try await runIP(
                ["-batch", "-"],
                script: commands.hostSideScript(namespaceName: namespaceName, hostInterface: hostInterface))
            try await runIP(["-n", namespaceName, "-batch", "-"], script: commands.podSideScript(address: address))
            try record(attachment)
        } catch {
            logger.warning(
                "Pod network attach failed; undoing it",
                metadata: [
                    NodeNetworkingLogKey.sandboxID: "\(sandboxID)", NodeNetworkingLogKey.error: "\(error)",
                ])
            try? await removeInterfaces(namespaceName: namespaceName, hostInterface: hostInterface)
            try? StateFiles.remove(recordPath(sandboxID: sandboxID))
            _ = try? await allocator.release(sandboxID: sandboxID)
            throw error
        }
        logger.debug(
            "Pod network attached",
            metadata: [
                NodeNetworkingLogKey.sandboxID: "\(sandboxID)", NodeNetworkingLogKey.namespace: "\(namespaceName)",
                NodeNetworkingLogKey.podIP: "\(address)", NodeNetworkingLogKey.hostInterface: "\(hostInterface)",
            ])
        return attachment
    }

    /// The recorded attachment of a sandbox, nil if it has none (reads the state directory only; no commands).
    public func attachment(sandboxID: String) throws(NodeNetworkingError) -> PodNetworkAttachment? {
        try Self.validate(sandboxID: sandboxID)
        return try recordedAttachment(sandboxID: sandboxID)
    }

    /// Takes a sandbox off the pod network: deletes its veth pair and namespace, forgets the attachment and
    /// releases its address. Idempotent: whatever is already gone is skipped.
    public func detach(sandboxID: String) async throws(NodeNetworkingError) {
        try Self.validate(sandboxID: sandboxID)
        await beginOperation(on: sandboxID)
        defer { endOperation(on: sandboxID) }

        let namespaceName = namespaceName(for: sandboxID)
        try await removeInterfaces(namespaceName: namespaceName, hostInterface: hostInterfaceName(for: sandboxID))
        try StateFiles.remove(recordPath(sandboxID: sandboxID))
        let released = try await allocator.release(sandboxID: sandboxID)
        logger.debug(
            "Pod network detached",
            metadata: [
                NodeNetworkingLogKey.sandboxID: "\(sandboxID)", NodeNetworkingLogKey.namespace: "\(namespaceName)",
                NodeNetworkingLogKey.podIP: "\(released.map(\.description).joined(separator: ","))",
            ])
    }

    /// Every sandbox this network knows of: recorded attachments, address reservations and namespaces named with
    /// `namespacePrefix` (sorted, without duplicates). After a restart the kubelet detaches those it has no pod for.
    /// Give every `PodNetwork` on a host its own prefix: namespaces are matched by name only.
    public func sandboxIDs() async throws(NodeNetworkingError) -> [String] {
        var identifiers = Set<String>()
        for name in try StateFiles.list(sandboxStateDirectory) where name.hasSuffix(".json") {
            identifiers.insert(String(name.dropLast(".json".count)))
        }
        for owner in try await allocator.allocations().values where !owner.isEmpty {
            identifiers.insert(owner)
        }
        let prefix = configuration.namespacePrefix
        for name in try StateFiles.list(Self.namespaceDirectory) where name.hasPrefix(prefix) {
            identifiers.insert(String(name.dropFirst(prefix.count)))
        }
        return identifiers.filter(Self.isValid(sandboxID:)).sorted()
    }

    // MARK: - Helpers

    /// Deletes whichever of the host veth and the namespace exist, in one `ip -force -batch`.
    private func removeInterfaces(namespaceName: String, hostInterface: String) async throws(NodeNetworkingError) {
        let namespacePath = Self.join(Self.namespaceDirectory, namespaceName)
        guard let script = commands.removalScript(
            hostInterface: Self.interfaceExists(hostInterface) ? hostInterface : nil,
            namespaceName: StateFiles.exists(namespacePath) ? namespaceName : nil)
        else { return }
        let output = try await runIP(["-force", "-batch", "-"], script: script, checked: false)
        // A concurrent removal may have won a race; only what is still there is a failure.
        if !output.status.succeeded
            && (Self.interfaceExists(hostInterface) || StateFiles.exists(namespacePath)) {
            throw .ipBatchFailed(
                arguments: ["-force", "-batch", "-"], script: script,
                failedCommand: Self.failedBatchLine(stderr: output.standardErrorText, script: script),
                status: output.status, stderr: output.standardErrorText)
        }
    }

    private func recordPath(sandboxID: String) -> String {
        Self.join(sandboxStateDirectory, sandboxID + ".json")
    }

    private func record(_ attachment: PodNetworkAttachment) throws(NodeNetworkingError) {
        let path = recordPath(sandboxID: attachment.sandboxID)
        let data: Data
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            data = try encoder.encode(attachment)
        } catch {
            throw .stateFile(path: path, reason: "cannot encode the attachment: \(error)")
        }
        try StateFiles.writeAtomically(path, String(decoding: data, as: UTF8.self))
    }

    private func recordedAttachment(sandboxID: String) throws(NodeNetworkingError) -> PodNetworkAttachment? {
        let path = recordPath(sandboxID: sandboxID)
        guard let text = try StateFiles.readText(path) else { return nil }
        do {
            return try JSONDecoder().decode(PodNetworkAttachment.self, from: Data(text.utf8))
        } catch {
            // A record that cannot be read is treated as missing: attach starts over, detach removes it.
            logger.warning(
                "Unreadable pod network attachment record ignored",
                metadata: [NodeNetworkingLogKey.sandboxID: "\(sandboxID)", NodeNetworkingLogKey.error: "\(error)"])
            return nil
        }
    }

    static func validate(sandboxID: String) throws(NodeNetworkingError) {
        guard isValid(sandboxID: sandboxID) else { throw .invalidSandboxID(sandboxID) }
    }

    static func isValid(sandboxID: String) -> Bool {
        (1...200).contains(sandboxID.utf8.count) && sandboxID.first != "."
            && sandboxID.unicodeScalars.allSatisfy(PodNetworkConfiguration.isNameCharacter)
    }
}
