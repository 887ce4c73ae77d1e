import Foundation
import Testing

/// The rest of kubectl's everyday commands against `swiftlet server`, across kubectl minors: output formats
/// (wide, yaml, json, name, custom-columns, sort-by), `get -w`, describe with events, create -f, replace,
/// scale, configmaps from a directory, delete with --wait and --cascade, cluster-info.
@Suite(.enabled(if: Kubectl.isInstalled, "needs kubectl"))
struct KubectlCommandsE2ETests {
    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels:
            app: web
        spec:
          replicas: 2
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: nginx
                image: nginx:1.27
        """

    static let kubectls = ["kubectl", "kubectl.1.27", "kubectl.1.30", "kubectl.1.33"]

    @Test(arguments: kubectls)
    func outputFormats(kubectlName: String) async throws {
        guard Kubectl.path(kubectlName) != nil else { return }
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(kubectlName, server: server)
            _ = try await kubectl.ok(["create", "-f", "-"], stdin: Self.deployment)
            let wide = try await kubectl.ok(["get", "deploy", "web", "-o", "wide"])
            let header = wide.split(separator: "\n").first.map(String.init) ?? ""
            for column in ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"] {
                #expect(header.contains(column), "\(kubectlName): \(wide)")
            }
            #expect(wide.contains("nginx:1.27") && wide.contains("app=web"), "\(wide)")
            let yaml = try await kubectl.ok(["get", "deploy", "web", "-o", "yaml"])
            #expect(yaml.contains("kind: Deployment") && yaml.contains("revisionHistoryLimit: 10"), "\(yaml)")
            let json = try await kubectl.ok(["get", "deploy", "web", "-o", "json"])
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            #expect((object?["spec"] as? [String: Any])?["replicas"] as? Int == 2)
            #expect(try await kubectl.ok(["get", "deploy", "-o", "name"]) == "deployment.apps/web\n")

            for name in ["zeta", "alpha", "mid"] {
                _ = try await kubectl.ok(["create", "configmap", name, "--from-literal=size=\(name.count)"])
            }
            let columns = try await kubectl.ok([
                "get", "cm", "-l", "!nope", "--field-selector", "metadata.name!=kube-root-ca.crt",
                "--sort-by=.metadata.name", "-o", "custom-columns=NAME:.metadata.name,SIZE:.data.size",
            ])
            let rows = columns.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
            #expect(rows == [["NAME", "SIZE"], ["alpha", "5"], ["mid", "3"], ["zeta", "4"]], "\(columns)")
        }
    }

    @Test(arguments: ["kubectl", "kubectl.1.27"])
    func getWatchStreamsChanges(kubectlName: String) async throws {
        guard Kubectl.path(kubectlName) != nil else { return }
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(kubectlName, server: server)
            _ = try await kubectl.ok(["create", "configmap", "first", "--from-literal=a=1"])
            let stream = try KubectlStream(kubectl, ["get", "cm", "-w", "--output-watch-events"])
            defer { stream.stop() }
            #expect(await stream.waitFor("first"), "\(stream.text)")
            _ = try await kubectl.ok(["create", "configmap", "second", "--from-literal=a=1"])
            #expect(await stream.waitFor("second"), "\(stream.text)")
            _ = try await kubectl.ok(["delete", "configmap", "first"])
            #expect(await stream.waitFor("DELETED"), "\(stream.text)")
            #expect(stream.text.contains("ADDED"))
        }
    }

    @Test func describeShowsTheObjectAndItsEvents() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            _ = try await kubectl.ok(["create", "-f", "-"], stdin: Self.deployment)
            let uid = try await kubectl.ok(["get", "deploy", "web", "-o", "jsonpath={.metadata.uid}"])
            _ = try await kubectl.ok(["create", "-f", "-"], stdin: """
                apiVersion: v1
                kind: Event
                metadata:
                  name: web.1
                involvedObject:
                  apiVersion: apps/v1
                  kind: Deployment
                  name: web
                  namespace: default
                  uid: \(uid)
                reason: ScalingReplicaSet
                message: Scaled up replica set web-abc to 2
                type: Normal
                count: 1
                source:
                  component: deployment-controller
                """)
            let described = try await kubectl.ok(["describe", "deployment", "web"])
            for needle in ["Name:", "web", "Replicas:", "2 desired", "StrategyType:", "RollingUpdate",
                           "Image:", "nginx:1.27", "Events:", "ScalingReplicaSet", "Scaled up replica set web-abc to 2"] {
                #expect(described.contains(needle), "\(needle) missing from:\n\(described)")
            }
        }
    }

    @Test(arguments: ["kubectl", "kubectl.1.27", "kubectl.1.33"])
    func replaceScaleAndDelete(kubectlName: String) async throws {
        guard Kubectl.path(kubectlName) != nil else { return }
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(kubectlName, server: server)
            _ = try await kubectl.ok(["create", "-f", "-"], stdin: Self.deployment)
            // kubectl replace reads the live resourceVersion first; the Deployment controller may write status in
            // between (409), as on any cluster, so retry as a user would.
            var replaced = try await kubectl.run(["replace", "-f", "-"],
                                                 stdin: Self.deployment.replacingOccurrences(of: "nginx:1.27", with: "nginx:1.28"))
            for _ in 0..<5 where replaced.status != 0 && replaced.stderr.contains("Conflict") {
                replaced = try await kubectl.run(["replace", "-f", "-"],
                                                 stdin: Self.deployment.replacingOccurrences(of: "nginx:1.27", with: "nginx:1.28"))
            }
            #expect(replaced.stdout.contains("deployment.apps/web replaced"), "\(replaced.stdout) \(replaced.stderr)")
            #expect(try await kubectl.ok(["get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}"])
                    == "nginx:1.28")

            let scaled = try await kubectl.ok(["scale", "deployment", "web", "--replicas=4"])
            #expect(scaled.contains("deployment.apps/web scaled"), "\(scaled)")
            #expect(try await kubectl.ok(["get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"]) == "4")
            let stale = try await kubectl.run(["scale", "deployment", "web", "--current-replicas=3", "--replicas=1"])
            #expect(stale.status != 0)
            #expect(stale.stderr.contains("Expected replicas to be 3, was 4"), "\(stale.stderr)")
            #expect(try await kubectl.ok(["get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"]) == "4")

            let orphaned = try await kubectl.ok(["delete", "deployment", "web", "--cascade=orphan"])
            #expect(orphaned.contains("deployment.apps \"web\" deleted"), "\(orphaned)")
            _ = try await kubectl.ok(["create", "configmap", "gone", "--from-literal=a=1"])
            let waited = try await kubectl.ok(["delete", "configmap", "gone", "--wait=true", "--cascade=foreground"])
            #expect(waited.contains("configmap \"gone\" deleted"), "\(waited)")
            #expect(try await kubectl.ok(["get", "deploy,cm", "-l", "app=web", "-o", "name"]) == "")
            let missing = try await kubectl.run(["delete", "configmap", "gone"])
            #expect(missing.status != 0)
            #expect(missing.stderr.contains("configmaps \"gone\" not found"), "\(missing.stderr)")
        }
    }

    @Test func createConfigMapFromADirectory() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            let directory = server.dataDirectory.appendingPathComponent("config-dir")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try "debug=true\n".write(to: directory.appendingPathComponent("app.properties"), atomically: true, encoding: .utf8)
            try "color: blue\n".write(to: directory.appendingPathComponent("ui.yaml"), atomically: true, encoding: .utf8)
            _ = try await kubectl.ok(["create", "configmap", "dir", "--from-file=\(directory.path)", "--from-literal=extra=1"])
            #expect(try await kubectl.ok(["get", "cm", "dir", "-o", #"jsonpath={.data.app\.properties}"#]) == "debug=true\n")
            #expect(try await kubectl.ok(["get", "cm", "dir", "-o", #"jsonpath={.data.ui\.yaml}"#]) == "color: blue\n")
            #expect(try await kubectl.ok(["get", "cm", "dir", "-o", "jsonpath={.data.extra}"]) == "1")
        }
    }

    @Test(arguments: ["kubectl", "kubectl.1.27"])
    func clusterInfoNamesTheControlPlane(kubectlName: String) async throws {
        guard Kubectl.path(kubectlName) != nil else { return }
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(kubectlName, server: server)
            let info = try await kubectl.ok(["cluster-info"])
            #expect(info.contains("Kubernetes control plane"), "\(info)")
            #expect(info.contains("127.0.0.1:\(server.port)"), "\(info)")
        }
    }
}
