import Foundation
import Testing

/// Static pods: the node agent runs the manifests of `--pod-manifest-path` without the API and shows each
/// as a mirror pod that kubectl sees, that comes back when deleted and that goes away with its manifest.
@Suite(.serialized, .enabled(if: NodeAgentTestSupport.isAvailable, "needs root, runc, busybox-static and kubectl"))
struct StaticPodE2ETests {
    /// Re-reads with kubectl until `done` holds for stdout (each read is a round trip; no sleeping).
    @discardableResult
    static func eventually(_ kubectl: Kubectl, _ arguments: [String], attempts: Int = 600,
                           _ done: (String) -> Bool) async throws -> String {
        var last = ""
        for _ in 0..<attempts {
            last = try await kubectl.ok(arguments)
            if done(last) { return last }
        }
        Issue.record("kubectl \(arguments.joined(separator: " ")) never matched; last output: \(last)")
        return last
    }

    static let manifest = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: static-web
          labels:
            tier: static
        spec:
          terminationGracePeriodSeconds: 2
          containers:
          - name: main
            image: \(NodeAgentTestSupport.image)
            imagePullPolicy: IfNotPresent
            command: ["sh", "-c", "echo static; trap 'exit 0' TERM; while true; do sleep 1; done"]
        """

    @Test func manifestRunsAsAMirroredPodThatOutlivesItsMirror() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("swiftlet-manifests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("static-web.yaml")
        try Data(Self.manifest.utf8).write(to: file)

        try await withNodeAgentServer(extraArguments: ["--pod-manifest-path", directory.path]) { _, kubectl, network in
            let name = "static-web-node-\(network.bridge)"
            let phase = ["get", "pods", "-o", #"jsonpath={range .items[*]}{.metadata.name}={.status.phase}={.metadata.uid}{"\n"}{end}"#]
            let first = try await Self.eventually(kubectl, phase) { $0.contains("\(name)=Running=") }
            let firstUID = first.split(separator: "\n").first { $0.hasPrefix("\(name)=") }?
                .split(separator: "=").last.map(String.init) ?? ""

            let owner = try await kubectl.ok(["get", "pod", name, "-o",
                                              "jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name} {.metadata.annotations.kubernetes\\.io/config\\.source}"])
            #expect(owner == "Node/node-\(network.bridge) file")
            let mirror = try await kubectl.ok(["get", "pod", name, "-o",
                                               "jsonpath={.metadata.annotations.kubernetes\\.io/config\\.mirror}"])
            #expect(mirror.count == 32)

            // Deleting the mirror does not stop the pod: the node agent recreates the mirror (with its status).
            _ = try await kubectl.ok(["delete", "pod", name, "--wait=false"])
            try await Self.eventually(kubectl, phase) { output in
                output.split(separator: "\n").contains { line in
                    line.hasPrefix("\(name)=Running=") && !line.hasSuffix("=\(firstUID)")
                }
            }
            let restarts = try await kubectl.ok(["get", "pod", name, "-o",
                                                 "jsonpath={.status.containerStatuses[0].restartCount}"])
            #expect(restarts == "0")

            // Removing the manifest stops the pod and deletes its mirror.
            try FileManager.default.removeItem(at: file)
            try await Self.eventually(kubectl, phase) { !$0.contains("\(name)=") }
            // The mirror goes once the pod has stopped: its network namespace is gone by then.
            let namespaces = try NodeAgentTestSupport.runTool("/usr/sbin/ip", ["netns", "list"])
            #expect(!namespaces.contains(network.bridge + "-"))
        }
    }

}
