import Foundation
import Testing

/// Hooks, volumes and limits on real containers: a preStop hook runs before the container is told to stop,
/// a configMap volume update reaches a running pod, a memory limit ends in OOMKilled, and the seed's
/// hook-demo and probe manifests work with the busybox test image.
@Suite(.serialized, .enabled(if: NodeAgentTestSupport.isAvailable, "needs root, runc, busybox-static and kubectl"))
struct NodeAgentLifecycleE2ETests {
    static let image = NodeAgentTestSupport.image

    @Test func preStopHookRunsBeforeTermination() async throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("swiftlet-prestop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: marker, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: marker) }
        try await withNodeAgentServer { _, kubectl, _ in
            let manifest = """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: hooks
                spec:
                  terminationGracePeriodSeconds: 10
                  volumes:
                  - name: host
                    hostPath: {path: \(marker.path), type: Directory}
                  containers:
                  - name: main
                    image: \(Self.image)
                    imagePullPolicy: IfNotPresent
                    command: ["sh", "-c", "trap 'echo term >> /host/order; exit 0' TERM; while true; do sleep 1; done"]
                    volumeMounts: [{name: host, mountPath: /host}]
                    lifecycle:
                      postStart:
                        exec: {command: ["sh", "-c", "echo poststart >> /host/order"]}
                      preStop:
                        exec: {command: ["sh", "-c", "echo prestop >> /host/order"]}
                """
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: manifest)
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/hooks", "--timeout=60s"])
            _ = try await kubectl.ok(["delete", "pod", "hooks", "--timeout=60s"])
            let order = try String(contentsOf: marker.appendingPathComponent("order"), encoding: .utf8)
            #expect(order == "poststart\nprestop\nterm\n")
        }
    }

    @Test func configMapVolumeUpdateReachesTheRunningPod() async throws {
        try await withNodeAgentServer { _, kubectl, _ in
            _ = try await kubectl.ok(["create", "configmap", "settings", "--from-literal=message=one"])
            let manifest = """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: watcher
                spec:
                  restartPolicy: Never
                  volumes:
                  - name: config
                    configMap: {name: settings}
                  containers:
                  - name: main
                    image: \(Self.image)
                    imagePullPolicy: IfNotPresent
                    command: ["sh", "-c", "cat /config/message; until grep -q two /config/message; do sleep 0.2; done; cat /config/message"]
                    volumeMounts: [{name: config, mountPath: /config}]
                """
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: manifest)
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/watcher", "--timeout=60s"])
            _ = try await kubectl.ok(["patch", "configmap", "settings", "-p", #"{"data":{"message":"two"}}"#])
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/watcher", "--timeout=90s"])
            #expect(try await kubectl.ok(["logs", "watcher"]) == "onetwo\n")
        }
    }

    @Test func memoryLimitEndsInOOMKilled() async throws {
        try await withNodeAgentServer { _, kubectl, _ in
            let manifest = """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: hungry
                spec:
                  restartPolicy: Never
                  containers:
                  - name: main
                    image: \(Self.image)
                    imagePullPolicy: IfNotPresent
                    command: ["sh", "-c", "x=$(head -c 64m /dev/zero | tr '\\\\0' a); echo survived"]
                    resources:
                      limits: {memory: 16Mi}
                """
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: manifest)
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.phase}=Failed", "pod/hungry", "--timeout=60s"])
            let state = try await kubectl.ok(["get", "pod", "hungry", "-o",
                                              "jsonpath={.status.containerStatuses[0].state.terminated.reason} {.status.containerStatuses[0].state.terminated.exitCode}"])
            #expect(state == "OOMKilled 137")
            let table = try await kubectl.ok(["get", "pod", "hungry"])
            #expect(table.contains("OOMKilled"))
        }
    }

    /// The seed's hook-demo (preStop) and health-check probes (tcpSocket readiness, httpGet liveness), with
    /// busybox httpd standing in for nginx on port 80.
    @Test func seedHookDemoAndProbesWork() async throws {
        try await withNodeAgentServer { _, kubectl, _ in
            let manifest = """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: hook-demo
                spec:
                  terminationGracePeriodSeconds: 5
                  containers:
                  - name: hook-demo
                    image: \(Self.image)
                    imagePullPolicy: IfNotPresent
                    command: ["sh", "-c", "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 80 -h /www"]
                    lifecycle:
                      preStop:
                        exec:
                          command: ["sh", "-c", "kill 1"]
                    readinessProbe:
                      tcpSocket:
                        port: 80
                      initialDelaySeconds: 5
                      periodSeconds: 10
                    livenessProbe:
                      httpGet:
                        path: /
                        port: 80
                      initialDelaySeconds: 15
                      periodSeconds: 20
                """
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: manifest)
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/hook-demo", "--timeout=60s"])
            let ip = try await kubectl.ok(["get", "pod", "hook-demo", "-o", "jsonpath={.status.podIP}"])
            let body = try NodeAgentTestSupport.runTool("/bin/busybox", ["wget", "-q", "-O", "-", "http://\(ip):80/"])
            #expect(body == "ok\n")
            _ = try await kubectl.ok(["delete", "pod", "hook-demo", "--timeout=60s"])
            let events = try await kubectl.ok(["get", "events", "--field-selector", "involvedObject.name=hook-demo", "-o",
                                               "jsonpath={range .items[*]}{.reason}{\"\\n\"}{end}"])
            #expect(events.contains("Started"))
            #expect(!events.contains("FailedPreStopHook"))
        }
    }
}
