import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Bad input for the node agent, driven by the real kubectl: missing images, a command the image lacks,
/// volumes that cannot be set up, a read-only or missing hostPath and a full disk each show the waiting
/// reason and Warning event upstream shows; the server keeps serving, other pods still start, and once the
/// bad pods are deleted nothing of them stays on the node (network namespaces, veths, mounts, runc
/// containers, bundles, pod directories, cgroups).
///
/// Corrupt layers and digest mismatches from a registry are covered by the registry e2e tests.
@Suite(.serialized, .enabled(if: NodeAgentTestSupport.isAvailable, "needs root, runc, busybox-static and kubectl"))
struct NodeAgentBadInputE2ETests {
    static let image = NodeAgentTestSupport.image

    static func pod(_ name: String, image: String = image, pullPolicy: String = "IfNotPresent",
                    command: [String] = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"],
                    restartPolicy: String = "Always", volumes: String = "", mounts: String = "",
                    containerFields: String = "") -> String {
        let quoted = command.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }.joined(separator: ", ")
        return """
            apiVersion: v1
            kind: Pod
            metadata:
              name: \(name)
            spec:
              terminationGracePeriodSeconds: 1
              restartPolicy: \(restartPolicy)
            \(volumes.isEmpty ? "" : "  volumes:\n" + volumes)
              containers:
              - name: main
                image: \(image)
                imagePullPolicy: \(pullPolicy)
                command: [\(quoted)]
            \(containerFields)
            \(mounts.isEmpty ? "" : "    volumeMounts:\n" + mounts)
            """
    }

    // MARK: Cases

    @Test func missingOrInvalidImagesShowErrImageNeverPullErrImagePullImagePullBackOffAndInvalidImageName() async throws {
        try await withNodeAgentServer { server, kubectl, network in
            let port = try Self.closedLocalPort()
            let unreachable = "127.0.0.1:\(port)/swiftlet-test/absent:v1"
            let watch = try Self.watchWaitingReasons(kubectl)
            defer { watch.stop() }
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod(
                "never-pull", image: "swiftlet.test/absent:1", pullPolicy: "Never"))
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod("unreachable", image: unreachable))
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod("invalid-image", image: "swiftlet.test/Upper:1"))

            try await Self.waitForWaitingReason(kubectl, "never-pull", "ErrImageNeverPull")
            #expect(try await Self.waitingMessage(kubectl, "never-pull")
                == "Container image \"swiftlet.test/absent:1\" is not present with pull policy of Never")
            try await Self.expectEvent(kubectl, "never-pull", "Warning", "ErrImageNeverPull",
                                       "Container image \"swiftlet.test/absent:1\" is not present with pull policy of Never")
            try await Self.expectEvent(kubectl, "never-pull", "Warning", "Failed", "Error: ErrImageNeverPull")

            try await Self.waitForWaitingReason(kubectl, "unreachable", "ImagePullBackOff")
            #expect(await watch.waitFor("unreachable ErrImagePull\n"))
            #expect(await watch.waitFor("unreachable ImagePullBackOff\n"))
            #expect(try await Self.waitingMessage(kubectl, "unreachable") == "Back-off pulling image \"\(unreachable)\"")
            try await Self.expectEvent(kubectl, "unreachable", "Normal", "Pulling", "Pulling image \"\(unreachable)\"")
            try await Self.expectEvent(kubectl, "unreachable", "Warning", "Failed",
                                       "Failed to pull image \"\(unreachable)\": rpc error: code = Unknown desc = ")
            try await Self.expectEvent(kubectl, "unreachable", "Warning", "Failed", "Error: ErrImagePull")
            try await Self.expectEvent(kubectl, "unreachable", "Normal", "BackOff", "Back-off pulling image \"\(unreachable)\"")
            try await Self.expectEvent(kubectl, "unreachable", "Warning", "Failed", "Error: ImagePullBackOff")
            #expect(try await Self.phase(kubectl, "unreachable") == "Pending")

            try await Self.waitForWaitingReason(kubectl, "invalid-image", "InvalidImageName")
            let invalid = "Failed to apply default image tag \"swiftlet.test/Upper:1\": couldn't parse image name "
                + "\"swiftlet.test/Upper:1\": invalid reference format"
            #expect(try await Self.waitingMessage(kubectl, "invalid-image") == invalid)
            try await Self.expectEvent(kubectl, "invalid-image", "Warning", "InspectFailed", invalid)
            try await Self.expectEvent(kubectl, "invalid-image", "Warning", "Failed", "Error: InvalidImageName")

            try await Self.expectOtherPodsStillStart(kubectl)
            try await Self.deleteAndExpectNoLeaks(["never-pull", "unreachable", "invalid-image"], kubectl, server, network)
        }
    }

    /// Upstream with containerd: the container is created, its start fails ("Failed" event with the runtime's
    /// error), and the run counts as terminated with reason StartError and exit code 128; restartPolicy Never
    /// leaves it so (the pod fails), Always shows RunContainerError and then CrashLoopBackOff.
    @Test func aCommandMissingFromTheImageEndsInStartError() async throws {
        try await withNodeAgentServer { server, kubectl, network in
            let watch = try Self.watchWaitingReasons(kubectl)
            defer { watch.stop() }
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod(
                "bad-command-never", command: ["/no/such/tool"], restartPolicy: "Never"))
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod("bad-command-always", command: ["no-such-tool"]))

            _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.phase}=Failed", "pod/bad-command-never",
                                      "--timeout=60s"])
            let terminated = try await kubectl.ok(["get", "pod", "bad-command-never", "-o", "jsonpath="
                + "{.status.containerStatuses[0].state.terminated.reason} {.status.containerStatuses[0].state.terminated.exitCode}"])
            #expect(terminated == "StartError 128")
            let message = try await kubectl.ok(["get", "pod", "bad-command-never", "-o",
                                                "jsonpath={.status.containerStatuses[0].state.terminated.message}"])
            #expect(message.contains("/no/such/tool"))
            try await Self.expectEvent(kubectl, "bad-command-never", "Normal", "Created", "Created container: main")
            try await Self.expectEvent(kubectl, "bad-command-never", "Warning", "Failed", "Error: " + message)

            try await Self.waitForWaitingReason(kubectl, "bad-command-always", "CrashLoopBackOff")
            #expect(await watch.waitFor("bad-command-always RunContainerError\n"))
            let always = try await kubectl.ok(["get", "pod", "bad-command-always", "-o", "jsonpath="
                + "{.status.containerStatuses[0].lastState.terminated.reason} {.status.containerStatuses[0].lastState.terminated.exitCode} "
                + "{.status.containerStatuses[0].restartCount}"])
            #expect(always == "StartError 128 1")
            try await Self.expectEvent(kubectl, "bad-command-always", "Warning", "Failed", "Error: ")
            try await Self.expectEvent(kubectl, "bad-command-always", "Warning", "BackOff",
                                       "Back-off restarting failed container main in pod bad-command-always_default(")

            try await Self.expectOtherPodsStillStart(kubectl)
            try await Self.deleteAndExpectNoLeaks(["bad-command-never", "bad-command-always"], kubectl, server, network)
        }
    }

    /// Volumes naming a missing configMap or secret keep the pod ContainerCreating with FailedMount; an env
    /// var from a missing configMap is CreateContainerConfigError with one Failed event; all start once the
    /// objects exist.
    @Test func missingConfigMapAndSecretKeepPodsWaitingUntilTheyExist() async throws {
        try await withNodeAgentServer { server, kubectl, network in
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod(
                "needs-config", volumes: "  - name: config\n    configMap: {name: late-settings}\n",
                mounts: "    - {name: config, mountPath: /config}\n"))
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod(
                "needs-secret", volumes: "  - name: creds\n    secret: {secretName: late-creds}\n",
                mounts: "    - {name: creds, mountPath: /creds}\n"))
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod(
                "needs-env", command: ["sh", "-c", "echo $MESSAGE; trap 'exit 0' TERM; while true; do sleep 1; done"],
                containerFields: "    env:\n    - name: MESSAGE\n      valueFrom: {configMapKeyRef: {name: late-settings, key: message}}"))
            try await Self.waitForWaitingReason(kubectl, "needs-env", "CreateContainerConfigError")
            #expect(try await Self.waitingMessage(kubectl, "needs-env") == "configmap \"late-settings\" not found")
            try await Self.expectEvent(kubectl, "needs-env", "Warning", "Failed", "Error: configmap \"late-settings\" not found")
            try await Self.expectEvent(kubectl, "needs-config", "Warning", "FailedMount",
                                       "MountVolume.SetUp failed for volume \"config\" : configmap \"late-settings\" not found")
            try await Self.expectEvent(kubectl, "needs-secret", "Warning", "FailedMount",
                                       "MountVolume.SetUp failed for volume \"creds\" : secret \"late-creds\" not found")
            for name in ["needs-config", "needs-secret"] {
                #expect(try await Self.phase(kubectl, name) == "Pending")
                #expect(try await Self.waitingReason(kubectl, name) == "ContainerCreating")
            }
            try await Self.expectOtherPodsStillStart(kubectl)

            _ = try await kubectl.ok(["create", "configmap", "late-settings", "--from-literal=message=hello"])
            _ = try await kubectl.ok(["create", "secret", "generic", "late-creds", "--from-literal=token=s3cret"])
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/needs-config", "pod/needs-secret",
                                      "pod/needs-env", "--timeout=90s"])
            #expect(try await kubectl.ok(["logs", "needs-env"]) == "hello\n")
            #expect(try await kubectl.ok(["exec", "needs-config", "--", "cat", "/config/message"]) == "hello")
            #expect(try await kubectl.ok(["exec", "needs-secret", "--", "cat", "/creds/token"]) == "s3cret")
            try await Self.deleteAndExpectNoLeaks(["needs-config", "needs-secret", "needs-env"], kubectl, server, network)
        }
    }

    @Test func missingAndReadOnlyHostPathsShowFailedMount() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("swiftlet-badinput-\(UUID().uuidString)")
        let readOnly = base.appendingPathComponent("read-only")
        try FileManager.default.createDirectory(at: readOnly, withIntermediateDirectories: true)
        try NodeAgentTestSupport.runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=1m,ro", "swiftlet-test", readOnly.path])
        defer {
            _ = try? NodeAgentTestSupport.runTool("/bin/umount", [readOnly.path])
            try? FileManager.default.removeItem(at: base)
        }
        let missing = base.appendingPathComponent("absent").path
        let unwritable = readOnly.appendingPathComponent("sub").path
        try await withNodeAgentServer { server, kubectl, network in
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod(
                "hostpath-missing", volumes: "  - name: host\n    hostPath: {path: \(missing), type: Directory}\n",
                mounts: "    - {name: host, mountPath: /host}\n"))
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod(
                "hostpath-readonly", volumes: "  - name: host\n    hostPath: {path: \(unwritable), type: DirectoryOrCreate}\n",
                mounts: "    - {name: host, mountPath: /host}\n"))
            try await Self.expectEvent(kubectl, "hostpath-missing", "Warning", "FailedMount",
                                       "MountVolume.SetUp failed for volume \"host\" : hostPath type check failed: \(missing) is not a directory")
            try await Self.expectEvent(kubectl, "hostpath-readonly", "Warning", "FailedMount",
                                       "MountVolume.SetUp failed for volume \"host\" : mkdir \(unwritable): read-only file system")
            for name in ["hostpath-missing", "hostpath-readonly"] {
                #expect(try await Self.waitingReason(kubectl, name) == "ContainerCreating")
            }
            #expect(!FileManager.default.fileExists(atPath: missing))
            try await Self.expectOtherPodsStillStart(kubectl)
            try await Self.deleteAndExpectNoLeaks(["hostpath-missing", "hostpath-readonly"], kubectl, server, network)
        }
    }

    /// A container that writes past a 2 MiB memory emptyDir (sized by `sizeLimit`) or a 2 MiB host file
    /// system sees ENOSPC and fails; its termination message carries the error (written to the termination
    /// log, or taken from the container's log under `FallbackToLogsOnError`).
    @Test func aContainerThatFillsItsVolumeFailsWithNoSpaceLeft() async throws {
        let tiny = FileManager.default.temporaryDirectory.appendingPathComponent("swiftlet-badinput-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tiny, withIntermediateDirectories: true)
        try NodeAgentTestSupport.runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=2m", "swiftlet-test", tiny.path])
        defer {
            _ = try? NodeAgentTestSupport.runTool("/bin/umount", [tiny.path])
            try? FileManager.default.removeItem(at: tiny)
        }
        let fill = ["sh", "-c", "dd if=/dev/zero of=/scratch/fill bs=1M count=4 2>/dev/termination-log"]
        // The same, reported through terminationMessagePolicy FallbackToLogsOnError (the log's tail).
        let fillLogging = ["sh", "-c", "dd if=/dev/zero of=/scratch/fill bs=1M count=4"]
        try await withNodeAgentServer { server, kubectl, network in
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod(
                "fills-memory-dir", command: fill, restartPolicy: "Never",
                volumes: "  - name: scratch\n    emptyDir: {medium: Memory, sizeLimit: 2Mi}\n",
                mounts: "    - {name: scratch, mountPath: /scratch}\n"))
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod(
                "fills-host-disk", command: fillLogging, restartPolicy: "Never",
                volumes: "  - name: scratch\n    hostPath: {path: \(tiny.path), type: Directory}\n",
                mounts: "    - {name: scratch, mountPath: /scratch}\n",
                containerFields: "    terminationMessagePolicy: FallbackToLogsOnError"))
            for name in ["fills-memory-dir", "fills-host-disk"] {
                _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.phase}=Failed", "pod/" + name, "--timeout=60s"])
                let state = try await kubectl.ok(["get", "pod", name, "-o", "jsonpath="
                    + "{.status.containerStatuses[0].state.terminated.reason} {.status.containerStatuses[0].state.terminated.exitCode}"])
                #expect(state == "Error 1", "\(name)")
                let message = try await kubectl.ok(["get", "pod", name, "-o",
                                                    "jsonpath={.status.containerStatuses[0].state.terminated.message}"])
                #expect(message.contains("No space left on device"), "\(name): \(message)")
            }
            try await Self.expectOtherPodsStillStart(kubectl)
            try await Self.deleteAndExpectNoLeaks(["fills-memory-dir", "fills-host-disk"], kubectl, server, network)
        }
    }

    /// The image store's scratch space is full while a layer is unpacked: the pod shows
    /// CreateContainerError with the ENOSPC error, nothing half-unpacked stays in the store, and once there
    /// is space the retry runs the pod.
    @Test func aFullImageStoreFailsTheUnpackCleanlyAndARetryWithSpaceWorks() async throws {
        try await withNodeAgentServer { server, kubectl, network in
            let store = server.dataDirectory.appendingPathComponent("images")
            let scratch = store.appendingPathComponent("tmp").path
            let layers = store.appendingPathComponent("layers").path
            try #require(Self.entries(layers).isEmpty, "the layer was unpacked before the test filled the disk")
            try NodeAgentTestSupport.runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=256k", "swiftlet-test", scratch])
            var mounted = true
            defer { if mounted { _ = try? NodeAgentTestSupport.runTool("/bin/umount", [scratch]) } }

            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod("full-disk"))
            try await Self.waitForWaitingReason(kubectl, "full-disk", "CreateContainerError")
            let message = try await Self.waitingMessage(kubectl, "full-disk")
            #expect(message.contains("No space left on device") || message.contains("no space left on device"), "\(message)")
            try await Self.expectEvent(kubectl, "full-disk", "Warning", "Failed", "Error: failed to prepare the root file system")
            #expect(Self.entries(layers).isEmpty)
            #expect(Self.entries(scratch).isEmpty)

            try NodeAgentTestSupport.runTool("/bin/umount", [scratch])
            mounted = false
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/full-disk", "--timeout=90s"])
            #expect(Self.entries(layers).count == 1)
            try await Self.deleteAndExpectNoLeaks(["full-disk"], kubectl, server, network)
        }
    }

    /// The node agent's container directory is full (a one-page file system): writing the container's
    /// configuration fails, which containerd reports as a failed start (StartError, RunContainerError, then
    /// CrashLoopBackOff) with the ENOSPC error; the failed attempts leave nothing behind, and once there is
    /// space the next restart runs the pod.
    @Test func aFullContainerDirectoryFailsTheStartUntilThereIsSpace() async throws {
        try await withNodeAgentServer { server, kubectl, network in
            let bundles = server.dataDirectory.appendingPathComponent("agent/kubelet/bundles").path
            try FileManager.default.createDirectory(atPath: bundles, withIntermediateDirectories: true)
            try #require(Self.entries(bundles).isEmpty)
            try NodeAgentTestSupport.runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=4k", "swiftlet-test", bundles])
            var mounted = true
            defer { if mounted { _ = try? NodeAgentTestSupport.runTool("/bin/umount", ["-l", bundles]) } }

            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod("full-bundles"))
            try await Self.waitForWaitingReason(kubectl, "full-bundles", "CrashLoopBackOff")
            let last = try await kubectl.ok(["get", "pod", "full-bundles", "-o", "jsonpath="
                + "{.status.containerStatuses[0].lastState.terminated.reason}|{.status.containerStatuses[0].lastState.terminated.message}"])
            #expect(last.hasPrefix("StartError|"), "\(last)")
            #expect(last.lowercased().contains("no space left on device"), "\(last)")
            try await Self.expectEvent(kubectl, "full-bundles", "Warning", "Failed", "Error: ")
            #expect(Self.entries(bundles).isEmpty)

            try NodeAgentTestSupport.runTool("/bin/umount", [bundles])
            mounted = false
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/full-bundles", "--timeout=90s"])
            try await Self.expectOtherPodsStillStart(kubectl)
            try await Self.deleteAndExpectNoLeaks(["full-bundles"], kubectl, server, network)
        }
    }

    /// A layer blob in the node's own store is truncated (disk corruption): unpacking it fails, the pod shows
    /// CreateContainerError naming the layer, nothing half-unpacked stays, and once the blob is whole again
    /// the retry runs the pod. (Corrupt layers from a registry are covered by the registry e2e tests.)
    @Test func aTruncatedLayerInTheLocalStoreShowsCreateContainerErrorUntilItIsRepaired() async throws {
        try await withNodeAgentServer { server, kubectl, network in
            let store = server.dataDirectory.appendingPathComponent("images")
            let blobs = store.appendingPathComponent("blobs/sha256").path
            let layers = store.appendingPathComponent("layers").path
            try #require(Self.entries(layers).isEmpty, "the layer was unpacked before the test truncated it")
            let largest = try #require(Self.entries(blobs).max { Self.size(blobs + "/" + $0) < Self.size(blobs + "/" + $1) })
            let layerPath = blobs + "/" + largest
            let original = try Data(contentsOf: URL(fileURLWithPath: layerPath))
            try original.prefix(original.count / 2).write(to: URL(fileURLWithPath: layerPath))
            defer { try? original.write(to: URL(fileURLWithPath: layerPath)) }

            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod("truncated-layer"))
            try await Self.waitForWaitingReason(kubectl, "truncated-layer", "CreateContainerError")
            let message = try await Self.waitingMessage(kubectl, "truncated-layer")
            #expect(message.hasPrefix("failed to prepare the root file system: "), "\(message)")
            #expect(message.contains("sha256:"), "\(message)")
            try await Self.expectEvent(kubectl, "truncated-layer", "Warning", "Failed",
                                       "Error: failed to prepare the root file system: ")
            #expect(Self.entries(layers).isEmpty)
            #expect(Self.entries(store.appendingPathComponent("tmp").path).isEmpty)
            let ready = try await kubectl.ok(["get", "nodes", "-o",
                                              "jsonpath={.items[0].status.conditions[?(@.type==\"Ready\")].status}"])
            #expect(ready == "True")

            try original.write(to: URL(fileURLWithPath: layerPath))
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/truncated-layer", "--timeout=90s"])
            try await Self.deleteAndExpectNoLeaks(["truncated-layer"], kubectl, server, network)
        }
    }

    /// Bad pods survive a restart of the server as they were: a pod that failed with StartError stays
    /// Failed without another attempt, a pod waiting for its configMap keeps waiting (still one network
    /// namespace per pod) and starts once the configMap exists; afterwards nothing of them stays on the node.
    @Test func badPodsKeepTheirStateAcrossAServerRestartAndLeaveNothingBehind() async throws {
        let network = NodeAgentTestSupport.uniqueNetwork()
        let first = try SwiftletServerProcess()
        let dataDirectory = first.dataDirectory
        defer {
            NodeAgentTestSupport.cleanUp(dataDirectory: dataDirectory, network: network)
            try? FileManager.default.removeItem(at: dataDirectory)
        }
        let arguments = try NodeAgentTestSupport.serverArguments(dataDirectory: dataDirectory, network: network)
        try await first.start(arguments: arguments)
        var failedAt = ""
        do {
            let kubectl = try Kubectl(server: first)
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "node", "--all", "--timeout=60s"])
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod(
                "start-error", command: ["/no/such/tool"], restartPolicy: "Never"))
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod(
                "waits-for-config", volumes: "  - name: config\n    configMap: {name: later}\n",
                mounts: "    - {name: config, mountPath: /config}\n"))
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.phase}=Failed", "pod/start-error", "--timeout=60s"])
            failedAt = try await kubectl.ok(["get", "pod", "start-error", "-o",
                                             "jsonpath={.status.containerStatuses[0].state.terminated.finishedAt}"])
            try await Self.expectEvent(kubectl, "waits-for-config", "Warning", "FailedMount",
                                       "MountVolume.SetUp failed for volume \"config\" : configmap \"later\" not found")
        } catch {
            _ = await first.stopped()
            throw error
        }
        _ = await first.stopped(keepingData: true)

        let second = SwiftletServerProcess(dataDirectory: dataDirectory)
        try await second.start(arguments: arguments)
        do {
            let kubectl = try Kubectl(server: second)
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "node", "--all", "--timeout=60s"])
            try await Self.expectOtherPodsStillStart(kubectl)
            let state = try await kubectl.ok(["get", "pod", "start-error", "-o", "jsonpath={.status.phase} "
                + "{.status.containerStatuses[0].state.terminated.reason} {.status.containerStatuses[0].state.terminated.finishedAt}"])
            #expect(state == "Failed StartError \(failedAt)")
            #expect(try await Self.waitingReason(kubectl, "waits-for-config") == "ContainerCreating")
            // One namespace per pod (a finished pod keeps its sandbox until it is deleted), none added.
            let uids = try await kubectl.ok(["get", "pods", "start-error", "waits-for-config", "-o",
                                             "jsonpath={.items[*].metadata.uid}"]).split(separator: " ")
            let namespaces = try NodeAgentTestSupport.runTool("/usr/sbin/ip", ["netns", "list"])
            #expect(namespaces.split(separator: "\n").filter { $0.hasPrefix(network.bridge + "-") }
                .map { String($0.split(separator: " ")[0]) }.sorted() == uids.map { network.bridge + "-" + $0 }.sorted())

            _ = try await kubectl.ok(["create", "configmap", "later", "--from-literal=message=now"])
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/waits-for-config", "--timeout=90s"])
            try await Self.deleteAndExpectNoLeaks(["start-error", "waits-for-config"], kubectl, second, network)
        } catch {
            _ = await second.stopped(keepingData: true)
            throw error
        }
        #expect(await second.stopped(keepingData: true) == 0)
    }

    // MARK: Helpers

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    /// `kubectl get pods -w` printing "<name> <waiting reason>" for every change.
    static func watchWaitingReasons(_ kubectl: Kubectl) throws -> KubectlStream {
        try KubectlStream(kubectl, ["get", "pods", "-w", "-o",
                                    "jsonpath={.metadata.name} {.status.containerStatuses[0].state.waiting.reason}{\"\\n\"}"])
    }

    static func waitForWaitingReason(_ kubectl: Kubectl, _ pod: String, _ reason: String) async throws {
        _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.containerStatuses[0].state.waiting.reason}=" + reason,
                                  "pod/" + pod, "--timeout=90s"])
    }

    static func waitingReason(_ kubectl: Kubectl, _ pod: String) async throws -> String {
        try await kubectl.ok(["get", "pod", pod, "-o", "jsonpath={.status.containerStatuses[0].state.waiting.reason}"])
    }

    static func waitingMessage(_ kubectl: Kubectl, _ pod: String) async throws -> String {
        try await kubectl.ok(["get", "pod", pod, "-o", "jsonpath={.status.containerStatuses[0].state.waiting.message}"])
    }

    static func phase(_ kubectl: Kubectl, _ pod: String) async throws -> String {
        try await kubectl.ok(["get", "pod", pod, "-o", "jsonpath={.status.phase}"])
    }

    /// Waits (through a watch on the pod's events) for an event of `type` and `reason` whose message starts
    /// with `message`.
    static func expectEvent(_ kubectl: Kubectl, _ pod: String, _ type: String, _ reason: String, _ message: String,
                            sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let stream = try KubectlStream(kubectl, [
            "get", "events", "-w", "--field-selector", "involvedObject.name=" + pod, "-o",
            "jsonpath={\"\\n\"}{.type}|{.reason}|{.source.component}|{.message}",
        ])
        defer { stream.stop() }
        let found = await stream.waitFor("\n\(type)|\(reason)|kubelet|\(message)", timeout: 90)
        #expect(found, "no \(type) \(reason) event \"\(message)…\" about \(pod); events:\n\(stream.text)",
                sourceLocation: sourceLocation)
    }

    /// The server still serves and schedules: a healthy pod starts and is removed.
    static func expectOtherPodsStillStart(_ kubectl: Kubectl) async throws {
        let name = "healthy-\(UInt16.random(in: 0...UInt16.max))"
        _ = try await kubectl.ok(["apply", "-f", "-"], stdin: pod(name))
        _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/" + name, "--timeout=60s"])
        #expect(try await kubectl.ok(["exec", name, "--", "echo", "alive"]) == "alive\n")
        _ = try await kubectl.ok(["delete", "pod", name, "--timeout=60s"])
    }

    /// Deletes `pods` and checks that the node holds nothing of them any more.
    static func deleteAndExpectNoLeaks(_ pods: [String], _ kubectl: Kubectl, _ server: SwiftletServerProcess,
                                       _ network: NodeAgentTestSupport.NodeNetwork,
                                       sourceLocation: SourceLocation = #_sourceLocation) async throws {
        var uids: [String] = []
        for pod in pods {
            uids.append(try await kubectl.ok(["get", "pod", pod, "-o", "jsonpath={.metadata.uid}"]))
        }
        _ = try await kubectl.ok(["delete", "pod"] + pods + ["--timeout=60s"])
        #expect(try await kubectl.ok(["get", "pods", "-o", "name"]).isEmpty, sourceLocation: sourceLocation)

        let agent = server.dataDirectory.appendingPathComponent("agent").path
        let namespaces = try NodeAgentTestSupport.runTool("/usr/sbin/ip", ["netns", "list"])
        let links = try NodeAgentTestSupport.runTool("/usr/sbin/ip", ["-o", "link", "show", "master", network.bridge])
        let containers = try NodeAgentTestSupport.runTool("/usr/sbin/runc", ["--root", agent + "/runc", "list", "-q"])
        let mountTable = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
        let mounts = mountTable.split(separator: "\n").filter { $0.contains(agent) }
        for uid in uids {
            #expect(!namespaces.contains(network.bridge + "-" + uid), "network namespace of \(uid)",
                    sourceLocation: sourceLocation)
            #expect(!mounts.contains { $0.contains(uid) }, "mounts of \(uid)", sourceLocation: sourceLocation)
            #expect(!FileManager.default.fileExists(atPath: "/sys/fs/cgroup/swiftlet/pod" + uid), "cgroup of \(uid)",
                    sourceLocation: sourceLocation)
        }
        #expect(links.isEmpty, "veths left on \(network.bridge): \(links)", sourceLocation: sourceLocation)
        #expect(containers.isEmpty, "runc containers left: \(containers)", sourceLocation: sourceLocation)
        #expect(mounts.isEmpty, "mounts left: \(mounts)", sourceLocation: sourceLocation)
        #expect(entries(agent + "/kubelet/bundles").isEmpty, "bundles left", sourceLocation: sourceLocation)
        #expect(entries(agent + "/kubelet/pods").isEmpty, "pod directories left", sourceLocation: sourceLocation)
        #expect(entries(agent + "/containers").isEmpty, "container state left", sourceLocation: sourceLocation)
        let logs = entries(agent + "/kubelet/logs")
        #expect(!logs.contains { name in uids.contains { name.hasSuffix("_" + $0) } }, "pod logs left: \(logs)",
                sourceLocation: sourceLocation)
    }

    static func entries(_ directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    /// A port on 127.0.0.1 that nothing listens on (bound, then closed).
    static func closedLocalPort() throws -> UInt16 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw NodeAgentTestError.toolFailed("socket: \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else { throw NodeAgentTestError.toolFailed("bind: \(errno)") }
        return UInt16(bigEndian: address.sin_port)
    }
}
