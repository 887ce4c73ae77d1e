import Foundation
import Testing

/// The remaining node-agent behaviours of issue 6 seen through the real kubectl: hostNetwork pods, init
/// container states as `kubectl get pod` prints them, force deletion, the `kubectl logs` flags and subPath
/// mounts.
@Suite(.serialized, .enabled(if: NodeAgentTestSupport.isAvailable, "needs root, runc, busybox-static and kubectl"))
struct NodeAgentCoverageE2ETests {
    static let image = NodeAgentTestSupport.image
    static let idle = "trap 'exit 0' TERM; while true; do sleep 1; done"

    static func pod(_ name: String, command: String, extra: String = "") -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: \(name)
        spec:
          terminationGracePeriodSeconds: 2
        \(extra)
          containers:
          - name: main
            image: \(image)
            imagePullPolicy: IfNotPresent
            command: ["sh", "-c", "\(command)"]
        """
    }

    // MARK: hostNetwork

    @Test func hostNetworkPodUsesTheNodeAddressAndNetwork() async throws {
        try await withNodeAgentServer { _, kubectl, network in
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod("host-net", command: Self.idle,
                                                                           extra: "  hostNetwork: true"))
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod("pod-net", command: Self.idle))
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/host-net", "pod/pod-net", "--timeout=60s"])

            let nodeIP = try await kubectl.ok(["get", "node", "-o",
                                               #"jsonpath={.items[0].status.addresses[?(@.type=="InternalIP")].address}"#])
            #expect(!nodeIP.isEmpty)
            let ips = try await kubectl.ok(["get", "pod", "host-net", "-o", "jsonpath={.status.podIP} {.status.hostIP}"])
            #expect(ips == "\(nodeIP) \(nodeIP)")
            let podIP = try await kubectl.ok(["get", "pod", "pod-net", "-o", "jsonpath={.status.podIP}"])
            #expect(podIP.hasPrefix(network.podPrefix))

            // The host's interfaces (the node bridge among them) are visible only in the hostNetwork pod.
            let hostView = try await kubectl.ok(["exec", "host-net", "--", "cat", "/proc/net/dev"])
            #expect(hostView.contains(network.bridge + ":"))
            let podView = try await kubectl.ok(["exec", "pod-net", "--", "cat", "/proc/net/dev"])
            #expect(!podView.contains(network.bridge + ":"))
            #expect(podView.contains("eth0:"))
            // It shares the host's UTS namespace too, so it carries the machine's hostname.
            let hostname = try await kubectl.ok(["exec", "host-net", "--", "cat", "/proc/sys/kernel/hostname"])
            #expect(hostname == ProcessInfo.processInfo.hostName + "\n")

            // Only the ordinary pod got a network namespace.
            let hostUID = try await kubectl.ok(["get", "pod", "host-net", "-o", "jsonpath={.metadata.uid}"])
            let podUID = try await kubectl.ok(["get", "pod", "pod-net", "-o", "jsonpath={.metadata.uid}"])
            let namespaces = try NodeAgentTestSupport.runTool("/usr/sbin/ip", ["netns", "list"])
            #expect(namespaces.contains(network.bridge + "-" + podUID))
            #expect(!namespaces.contains(hostUID))
        }
    }

    // MARK: Init containers in kubectl's STATUS column

    static func initPod(_ name: String, restartPolicy: String, first: String, second: String) -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: \(name)
        spec:
          terminationGracePeriodSeconds: 1
          restartPolicy: \(restartPolicy)
          initContainers:
          - name: first
            image: \(image)
            imagePullPolicy: IfNotPresent
            command: ["sh", "-c", "\(first)"]
          - name: second
            image: \(image)
            imagePullPolicy: IfNotPresent
            command: ["sh", "-c", "\(second)"]
          containers:
          - name: main
            image: \(image)
            imagePullPolicy: IfNotPresent
            command: ["sh", "-c", "\(idle)"]
        """
    }

    /// The STATUS cell of `kubectl get pod <name>` (the server-side table).
    static func statusColumn(_ kubectl: Kubectl, _ pod: String) async throws -> String {
        let table = try await kubectl.ok(["get", "pod", pod])
        let lines = table.split(separator: "\n")
        guard lines.count == 2, lines[0].split(separator: " ", omittingEmptySubsequences: true).dropFirst(2).first == "STATUS"
        else { return "unexpected table: \(table)" }
        return String(lines[1].split(separator: " ", omittingEmptySubsequences: true).dropFirst(2).first ?? "")
    }

    @Test func initContainerStatesShowAsKubectlPrintsThem() async throws {
        try await withNodeAgentServer { _, kubectl, _ in
            let watch = try KubectlStream(kubectl, ["get", "pods", "-w", "--no-headers"])
            defer { watch.stop() }

            // Waiting on the first of two init containers.
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.initPod(
                "init-waits", restartPolicy: "Always", first: Self.idle, second: "true"))
            #expect(await watch.waitFor("Init:0/2", timeout: 60), "watch output:\n\(watch.text)")
            #expect(try await Self.statusColumn(kubectl, "init-waits") == "Init:0/2")
            let waiting = try await kubectl.ok(["get", "pod", "init-waits", "-o",
                                                "jsonpath={.status.initContainerStatuses[0].state.running.startedAt}|{.status.containerStatuses[0].state.waiting.reason}"])
            #expect(waiting.hasSuffix("|PodInitializing"))
            #expect(!waiting.hasPrefix("|"))

            // The second init container fails and the pod must not restart it.
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.initPod(
                "init-error", restartPolicy: "Never", first: "true", second: "exit 1"))
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.phase}=Failed", "pod/init-error", "--timeout=60s"])
            #expect(try await Self.statusColumn(kubectl, "init-error") == "Init:Error")
            let states = try await kubectl.ok(["get", "pod", "init-error", "-o",
                                               "jsonpath={.status.initContainerStatuses[*].state.terminated.exitCode}"])
            #expect(states == "0 1")
            let mainStarted = try await kubectl.ok(["get", "pod", "init-error", "-o",
                                                    "jsonpath={.status.containerStatuses[0].state.running}{.status.containerStatuses[0].state.terminated}"])
            #expect(mainStarted.isEmpty)

            // With restartPolicy Always the failing init container is retried with a back-off.
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.initPod(
                "init-crash", restartPolicy: "Always", first: "exit 1", second: "true"))
            #expect(await watch.waitFor("Init:CrashLoopBackOff", timeout: 90), "watch output:\n\(watch.text)")
            let lastExit = try await kubectl.ok(["get", "pod", "init-crash", "-o",
                                                 "jsonpath={.status.initContainerStatuses[0].lastState.terminated.exitCode}"])
            #expect(lastExit == "1")
            let watched = watch.text.split(separator: "\n")
            #expect(!watched.contains { $0.hasPrefix("init-crash ") && $0.contains(" Running ") })
        }
    }

    // MARK: Force deletion

    @Test func forceDeletionRemovesThePodAtOnceAndKillsItsContainer() async throws {
        try await withNodeAgentServer { server, kubectl, network in
            // The container ignores SIGTERM and asks for a long grace period: only a kill ends it early.
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: stubborn
                spec:
                  terminationGracePeriodSeconds: 300
                  containers:
                  - name: main
                    image: \(Self.image)
                    imagePullPolicy: IfNotPresent
                    command: ["sh", "-c", "trap '' TERM; while true; do sleep 1; done"]
                """)
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/stubborn", "--timeout=60s"])
            let containerID = try await kubectl.ok(["get", "pod", "stubborn", "-o",
                                                    "jsonpath={.status.containerStatuses[0].containerID}"])
            #expect(containerID.hasPrefix("runc://"))
            let runcID = String(containerID.dropFirst("runc://".count))
            let runcRoot = server.dataDirectory.appendingPathComponent("agent/runc").path
            let state = try NodeAgentTestSupport.runTool("/usr/sbin/runc", ["--root", runcRoot, "state", runcID])
            let stateObject = try JSONSerialization.jsonObject(with: Data(state.utf8)) as? [String: Any]
            let pid = try #require(stateObject?["pid"] as? Int)
            #expect(pid > 0 && kill(pid_t(pid), 0) == 0)
            let uid = try await kubectl.ok(["get", "pod", "stubborn", "-o", "jsonpath={.metadata.uid}"])
            let namespace = network.bridge + "-" + uid
            #expect(try NodeAgentTestSupport.runTool("/usr/sbin/ip", ["netns", "list"]).contains(namespace))

            let deleted = try await kubectl.run(["delete", "pod", "stubborn", "--grace-period=0", "--force"])
            #expect(deleted.status == 0, "\(deleted.stderr)")
            #expect(deleted.stdout.contains("force deleted"))
            let lookup = try await kubectl.run(["get", "pod", "stubborn"])
            #expect(lookup.status != 0)
            #expect(lookup.stderr.contains("NotFound"))

            // No event tells the test that runc removed the container: re-check the node, bounded by a
            // deadline far below the pod's 300 s grace period.
            let deadline = Date(timeIntervalSinceNow: 60)
            var processGone = false
            var containerGone = false
            var namespaceGone = false
            while Date() < deadline {
                processGone = kill(pid_t(pid), 0) != 0 && errno == ESRCH
                let listed = try NodeAgentTestSupport.runTool("/usr/sbin/runc", ["--root", runcRoot, "list", "-q"])
                containerGone = !listed.split(separator: "\n").contains(Substring(runcID))
                namespaceGone = !(try NodeAgentTestSupport.runTool("/usr/sbin/ip", ["netns", "list"]).contains(namespace))
                if processGone && containerGone && namespaceGone { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(processGone, "the container's process \(pid) still runs")
            #expect(containerGone, "runc still lists \(runcID)")
            #expect(namespaceGone, "the pod's network namespace \(namespace) is left")
        }
    }

    // MARK: kubectl logs flags

    static let talker = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: talker
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: a
            image: \(image)
            imagePullPolicy: IfNotPresent
            command: ["sh", "-c", "echo a1; echo a2; sleep 2; echo a3; touch /tmp/ready; until [ -e /tmp/go ]; do sleep 0.1; done; echo after-follow; \(idle)"]
            readinessProbe:
              exec: {command: ["cat", "/tmp/ready"]}
              periodSeconds: 1
          - name: b
            image: \(image)
            imagePullPolicy: IfNotPresent
            command: ["sh", "-c", "echo b1; touch /tmp/ready; \(idle)"]
            readinessProbe:
              exec: {command: ["cat", "/tmp/ready"]}
              periodSeconds: 1
        """

    /// Splits a `--timestamps` line into its RFC3339Nano timestamp and the rest.
    static func timestamped(_ line: Substring) -> (Date, String)? {
        guard let space = line.firstIndex(of: " ") else { return nil }
        let stamp = String(line[..<space])
        guard stamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})/) != nil else {
            return nil
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = stamp.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        // ISO8601DateFormatter reads at most milliseconds: cut the fraction to three digits.
        var trimmed = stamp
        if let dot = stamp.firstIndex(of: "."), let zone = stamp[dot...].firstIndex(where: { $0 == "Z" || $0 == "+" || $0 == "-" }) {
            let digits = stamp[stamp.index(after: dot)..<zone]
            trimmed = String(stamp[..<dot]) + "." + String((digits + "000").prefix(3)) + String(stamp[zone...])
        }
        guard let date = formatter.date(from: trimmed) else { return nil }
        return (date, String(line[line.index(after: space)...]))
    }

    @Test func logsHonourTailTimestampsSinceContainerAndFollow() async throws {
        try await withNodeAgentServer { _, kubectl, _ in
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.talker)
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/talker", "--timeout=60s"])

            #expect(try await kubectl.ok(["logs", "talker", "-c", "a"]) == "a1\na2\na3\n")
            #expect(try await kubectl.ok(["logs", "talker", "-c", "a", "--tail=2"]) == "a2\na3\n")
            #expect(try await kubectl.ok(["logs", "talker", "-c", "b"]) == "b1\n")
            // kubectl fetches the containers' logs one after another in no fixed order (a Go map).
            let all = try await kubectl.ok(["logs", "talker", "--all-containers", "--prefix"])
            let allLines = all.split(separator: "\n").map(String.init)
            #expect(allLines.filter { $0.hasPrefix("[pod/talker/a] ") } == ["[pod/talker/a] a1", "[pod/talker/a] a2", "[pod/talker/a] a3"],
                    "all containers: \(all)")
            #expect(allLines.filter { !$0.hasPrefix("[pod/talker/a] ") } == ["[pod/talker/b] b1"], "all containers: \(all)")
            #expect(try await kubectl.ok(["logs", "talker", "-c", "a", "--since=1h"]) == "a1\na2\na3\n")

            let stamped = try await kubectl.ok(["logs", "talker", "-c", "a", "--timestamps"])
            let lines = stamped.split(separator: "\n").map { Self.timestamped($0) }
            #expect(lines.map { $0?.1 } == ["a1", "a2", "a3"], "not RFC3339Nano-prefixed: \(stamped)")
            if lines.count == 3, let a2 = lines[1]?.0, let a3 = lines[2]?.0 {
                #expect(a2 <= a3)
                // a3 came two seconds after a2: from a3's whole second on, only a3 is left.
                let second = Date(timeIntervalSince1970: a3.timeIntervalSince1970.rounded(.down))
                #expect(second > a2)
                let formatter = ISO8601DateFormatter()
                let since = try await kubectl.ok(["logs", "talker", "-c", "a", "--since-time=" + formatter.string(from: second)])
                #expect(since == "a3\n")
            }

            let follow = try KubectlStream(kubectl, ["logs", "-f", "talker", "-c", "a"])
            defer { follow.stop() }
            #expect(await follow.waitFor("a3\n"), "follow output:\n\(follow.text)")
            #expect(!follow.text.contains("after-follow"))
            _ = try await kubectl.ok(["exec", "talker", "-c", "a", "--", "touch", "/tmp/go"])
            #expect(await follow.waitFor("after-follow\n"), "follow output:\n\(follow.text)")
            #expect(follow.text.hasPrefix("a1\na2\na3\nafter-follow\n"), "follow output:\n\(follow.text)")
        }
    }

    @Test func previousLogsHoldTheEarlierRun() async throws {
        try await withNodeAgentServer { _, kubectl, _ in
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: restarter
                spec:
                  terminationGracePeriodSeconds: 1
                  restartPolicy: Always
                  volumes:
                  - name: state
                    emptyDir: {}
                  containers:
                  - name: main
                    image: \(Self.image)
                    imagePullPolicy: IfNotPresent
                    command: ["sh", "-c", "n=$(cat /state/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > /state/n; echo run $n; [ $n -ge 2 ] || exit 1; \(Self.idle)"]
                    volumeMounts: [{name: state, mountPath: /state}]
                """)
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.containerStatuses[0].restartCount}=1",
                                      "pod/restarter", "--timeout=90s"])
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/restarter", "--timeout=60s"])
            #expect(try await kubectl.ok(["logs", "restarter"]) == "run 2\n")
            #expect(try await kubectl.ok(["logs", "restarter", "--previous"]) == "run 1\n")
            #expect(try await kubectl.ok(["logs", "restarter", "-p", "--timestamps"]).hasSuffix(" run 1\n"))
            let last = try await kubectl.ok(["get", "pod", "restarter", "-o",
                                             "jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode}"])
            #expect(last == "1")
        }
    }

    // MARK: subPath

    @Test func configMapKeyMountedWithSubPathIsASingleFile() async throws {
        try await withNodeAgentServer { _, kubectl, _ in
            _ = try await kubectl.ok(["create", "configmap", "app-config",
                                      "--from-literal=app.conf=port=8080", "--from-literal=other.conf=unused"])
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: subpath
                spec:
                  restartPolicy: Never
                  volumes:
                  - name: config
                    configMap: {name: app-config}
                  containers:
                  - name: main
                    image: \(Self.image)
                    imagePullPolicy: IfNotPresent
                    command: ["sh", "-c", "cat /etc/app.conf; echo; test -f /etc/app.conf && echo file; test -e /etc/other.conf || echo only-key; test -f /etc/passwd && echo passwd-kept"]
                    volumeMounts:
                    - {name: config, mountPath: /etc/app.conf, subPath: app.conf}
                """)
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/subpath", "--timeout=60s"])
            #expect(try await kubectl.ok(["logs", "subpath"]) == "port=8080\nfile\nonly-key\npasswd-kept\n")
        }
    }
}
