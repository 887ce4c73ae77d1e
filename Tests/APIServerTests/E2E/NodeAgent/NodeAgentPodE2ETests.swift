import Foundation
import Testing

/// `swiftlet server` with its node agent, driven by the real kubectl: pods run as runc containers in their own
/// network namespaces; logs, exec, init containers, probes, hooks, volumes and deletion behave as upstream.
@Suite(.serialized, .enabled(if: NodeAgentTestSupport.isAvailable, "needs root, runc, busybox-static and kubectl"))
struct NodeAgentPodE2ETests {
    static func pod(_ name: String, command: String, extra: String = "") -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: \(name)
        spec:
          terminationGracePeriodSeconds: 2
          containers:
          - name: main
            image: \(NodeAgentTestSupport.image)
            imagePullPolicy: IfNotPresent
            command: ["sh", "-c", "\(command)"]
        \(extra)
        """
    }

    @Test func podRunsLogsExecAndIsDeleted() async throws {
        try await withNodeAgentServer { server, kubectl, network in
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod(
                "hello", command: "echo hello from $(hostname); trap 'exit 0' TERM; while true; do sleep 1; done"))
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/hello", "--timeout=60s"])
            let fields = try await kubectl.ok(["get", "pod", "hello", "-o",
                                               "jsonpath={.status.phase} {.status.podIP} {.status.containerStatuses[0].containerID}"])
                .split(separator: " ").map(String.init)
            #expect(fields.first == "Running")
            #expect(fields.dropFirst().first?.hasPrefix(network.podPrefix) == true)
            #expect(fields.last?.hasPrefix("runc://") == true)

            let logs = try await kubectl.ok(["logs", "hello"])
            #expect(logs == "hello from hello\n")

            let exec = try await kubectl.run(["exec", "hello", "--", "sh", "-c", "echo out; exit 3"])
            #expect(exec.status == 3)
            #expect(exec.stdout == "out\n")
            #expect(try await kubectl.ok(["exec", "-i", "hello", "--", "cat"], stdin: "piped input\n") == "piped input\n")
            let pinned = try Kubectl("kubectl.1.33", server: server)
            #expect(try await pinned.ok(["exec", "hello", "--", "cat", "/etc/hostname"]) == "hello\n")

            _ = try await kubectl.ok(["delete", "pod", "hello", "--timeout=60s"])
            let left = try await kubectl.run(["get", "pod", "hello"])
            #expect(left.status != 0)
            let namespaces = try NodeAgentTestSupport.runTool("/usr/sbin/ip", ["netns", "list"])
            #expect(!namespaces.contains(network.bridge + "-"))
        }
    }

    @Test func podsReachEachOtherByIP() async throws {
        try await withNodeAgentServer { _, kubectl, _ in
            for name in ["ping-a", "ping-b"] {
                _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod(
                    name, command: "trap 'exit 0' TERM; while true; do sleep 1; done"))
            }
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/ping-a", "pod/ping-b", "--timeout=60s"])
            let target = try await kubectl.ok(["get", "pod", "ping-b", "-o", "jsonpath={.status.podIP}"])
            let ping = try await kubectl.run(["exec", "ping-a", "--", "ping", "-c", "1", "-W", "30", target])
            #expect(ping.status == 0)
            #expect(ping.stdout.contains("1 packets received"))
        }
    }

    @Test func initContainersRunInOrderBeforeTheApp() async throws {
        try await withNodeAgentServer { _, kubectl, _ in
            let manifest = """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: init-order
                spec:
                  terminationGracePeriodSeconds: 1
                  restartPolicy: Never
                  volumes:
                  - name: work
                    emptyDir: {}
                  initContainers:
                  - name: first
                    image: \(NodeAgentTestSupport.image)
                    imagePullPolicy: IfNotPresent
                    command: ["sh", "-c", "echo first >> /scratch/order"]
                    volumeMounts: [{name: work, mountPath: /scratch}]
                  - name: second
                    image: \(NodeAgentTestSupport.image)
                    imagePullPolicy: IfNotPresent
                    command: ["sh", "-c", "echo second >> /scratch/order"]
                    volumeMounts: [{name: work, mountPath: /scratch}]
                  containers:
                  - name: main
                    image: \(NodeAgentTestSupport.image)
                    imagePullPolicy: IfNotPresent
                    command: ["sh", "-c", "cat /scratch/order; echo main"]
                    volumeMounts: [{name: work, mountPath: /scratch}]
                """
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: manifest)
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/init-order", "--timeout=60s"])
            #expect(try await kubectl.ok(["logs", "init-order"]) == "first\nsecond\nmain\n")
            let initStates = try await kubectl.ok(["get", "pod", "init-order", "-o",
                                                   "jsonpath={.status.initContainerStatuses[*].state.terminated.reason}"])
            #expect(initStates == "Completed Completed")
        }
    }

    @Test func failingLivenessProbeRestartsAndReadinessFlipsReady() async throws {
        try await withNodeAgentServer { _, kubectl, _ in
            let manifest = """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: probes
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: main
                    image: \(NodeAgentTestSupport.image)
                    imagePullPolicy: IfNotPresent
                    command: ["sh", "-c", "touch /tmp/ready; trap 'exit 0' TERM; while true; do sleep 1; done"]
                    readinessProbe:
                      exec: {command: ["cat", "/tmp/ready"]}
                      periodSeconds: 1
                    livenessProbe:
                      exec: {command: ["cat", "/tmp/alive"]}
                      initialDelaySeconds: 1
                      periodSeconds: 1
                      failureThreshold: 2
                """
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: manifest)
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/probes", "--timeout=60s"])
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.containerStatuses[0].restartCount}=1",
                                      "pod/probes", "--timeout=60s"])
            let events = try await kubectl.ok(["get", "events", "--field-selector", "involvedObject.name=probes", "-o",
                                               "jsonpath={range .items[*]}{.reason}:{.message}{\"\\n\"}{end}"])
            #expect(events.contains("Unhealthy:Liveness probe failed:"))
            #expect(events.contains("Killing:Container main failed liveness probe, will be restarted"))
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/probes", "--timeout=60s"])
            _ = try await kubectl.ok(["exec", "probes", "--", "rm", "/tmp/ready"])
            _ = try await kubectl.ok(["wait", "--for=condition=Ready=False", "pod/probes", "--timeout=60s"])
        }
    }
}
