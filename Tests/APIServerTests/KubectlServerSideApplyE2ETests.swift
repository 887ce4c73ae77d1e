import Foundation
import Testing

/// The real kubectl (the dispatcher and fixed minors) against `swiftlet server` with server-side apply:
/// dropped fields disappear, conflicts with other managers (kubectl patch, client-side apply) fail and
/// name the manager, `--force-conflicts` wins, managers show with `--show-managed-fields`, and
/// client-side apply keeps working.
@Suite(.enabled(if: Kubectl.isInstalled, "needs kubectl"))
struct KubectlServerSideApplyE2ETests {
    static func configMap(_ data: [String: String]) -> String {
        var text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n"
        for key in data.keys.sorted() { text += "  \(key): \"\(data[key]!)\"\n" }
        return text
    }

    static func deployment(replicas: Int, image: String = "nginx:1.27") -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: \(replicas)
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
                image: \(image)
                ports:
                - containerPort: 80
        """
    }

    static let binaries = ["kubectl", "kubectl.1.27", "kubectl.1.33"].filter { Kubectl.path($0) != nil }

    /// kubectl 1.27 reads `/openapi/v2` before any apply; until the server serves it, its applies fail
    /// with 404 (a known issue, reported as one, so the test flags when it starts passing).
    static func runApplies(_ kubectl: Kubectl, binary: String, _ body: () async throws -> Void) async throws {
        let servesOpenAPIv2 = try await kubectl.run(["get", "--raw", "/openapi/v2"]).status == 0
        if binary == "kubectl.1.27" && !servesOpenAPIv2 {
            await withKnownIssue("kubectl 1.27 applies need /openapi/v2") { try await body() }
        } else {
            try await body()
        }
    }

    @Test(arguments: binaries)
    func serverSideApplyPrunesConflictsAndForces(_ binary: String) async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(binary, server: server)
            try await Self.runApplies(kubectl, binary: binary) { try await Self.applyFlow(kubectl) }
        }
    }

    static func applyFlow(_ kubectl: Kubectl) async throws {
        let created = try await kubectl.ok(["apply", "--server-side", "-f", "-"],
                                           stdin: Self.configMap(["a": "1", "b": "2"]))
        #expect(created.contains("configmap/settings serverside-applied"))
        _ = try await kubectl.ok(["apply", "--server-side", "-f", "-"], stdin: Self.configMap(["a": "1"]))
        let data = try await kubectl.ok(["get", "configmap", "settings", "-o", "jsonpath={.data}"])
        #expect(data.contains("\"a\":\"1\""))
        #expect(!data.contains("\"b\""))

        let yaml = try await kubectl.ok(["get", "configmap", "settings", "-o", "yaml", "--show-managed-fields"])
        #expect(yaml.contains("managedFields:"))
        #expect(yaml.contains("manager: kubectl"))
        #expect(yaml.contains("operation: Apply"))
        #expect(yaml.contains("f:a: {}"))
        let hidden = try await kubectl.ok(["get", "configmap", "settings", "-o", "yaml"])
        #expect(!hidden.contains("managedFields:"))

        _ = try await kubectl.ok(["apply", "--server-side", "-f", "-"], stdin: Self.deployment(replicas: 1))
        _ = try await kubectl.ok(["patch", "deployment", "web", "-p", #"{"spec":{"replicas":3}}"#])
        let conflict = try await kubectl.run(["apply", "--server-side", "-f", "-"], stdin: Self.deployment(replicas: 2))
        #expect(conflict.status != 0)
        #expect(conflict.stderr.contains(#"conflict with "kubectl-patch""#), "\(conflict.stderr)")
        #expect(conflict.stderr.contains(".spec.replicas"))
        let unchanged = try await kubectl.ok(["get", "deployment", "web", "-o", "jsonpath={.spec.replicas}"])
        #expect(unchanged == "3")

        _ = try await kubectl.ok(["apply", "--server-side", "--force-conflicts", "-f", "-"],
                                 stdin: Self.deployment(replicas: 2))
        let forced = try await kubectl.ok(["get", "deployment", "web", "-o", "jsonpath={.spec.replicas}"])
        #expect(forced == "2")
        let managers = try await kubectl.ok([
            "get", "deployment", "web", "--show-managed-fields",
            "-o", "jsonpath={range .metadata.managedFields[*]}{.manager}/{.operation} {end}",
        ])
        #expect(managers.contains("kubectl/Apply"))
        // kubectl-patch lost .spec.replicas, its only field, so its entry is gone.
        #expect(!managers.contains("kubectl-patch"))

        // Another manager changing the image of a container the applier owns conflicts on that field.
        let image = try await kubectl.run(["apply", "--server-side", "--field-manager=rollout", "-f", "-"],
                                          stdin: Self.deployment(replicas: 2, image: "nginx:1.28"))
        #expect(image.status != 0)
        #expect(image.stderr.contains(#"conflict with "kubectl""#), "\(image.stderr)")
        #expect(image.stderr.contains(#".spec.template.spec.containers[name="nginx"].image"#))
    }

    @Test(arguments: binaries)
    func updatesShowTheirManagers(_ binary: String) async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(binary, server: server)
            _ = try await kubectl.ok(["create", "configmap", "settings", "--from-literal=a=1"])
            _ = try await kubectl.ok(["patch", "configmap", "settings", "-p", #"{"data":{"b":"2"}}"#])
            _ = try await kubectl.ok(["label", "configmap", "settings", "tier=web"])
            let yaml = try await kubectl.ok(["get", "configmap", "settings", "-o", "yaml", "--show-managed-fields"])
            for manager in ["kubectl-create", "kubectl-patch", "kubectl-label"] {
                #expect(yaml.contains("manager: \(manager)"), "\(yaml)")
            }
            #expect(yaml.contains("operation: Update"))
            #expect(yaml.contains("f:tier: {}"))
            #expect(yaml.contains("fieldsType: FieldsV1"))
        }
    }

    @Test func conflictWithClientSideApplyAndTheKubectlUpgradePath() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.configMap(["key": "old"]))
            let conflict = try await kubectl.run(["apply", "--server-side", "--field-manager=other", "-f", "-"],
                                                 stdin: Self.configMap(["key": "new"]))
            #expect(conflict.status != 0)
            #expect(conflict.stderr.contains(#"conflict with "kubectl-client-side-apply" using v1: .data.key"#),
                    "\(conflict.stderr)")

            // kubectl's own manager may take over what its client-side apply annotation lists.
            _ = try await kubectl.ok(["apply", "--server-side", "-f", "-"], stdin: Self.configMap(["key": "new"]))
            let value = try await kubectl.ok(["get", "configmap", "settings", "-o", "jsonpath={.data.key}"])
            #expect(value == "new")
            let annotation = try await kubectl.ok([
                "get", "configmap", "settings",
                "-o", #"jsonpath={.metadata.annotations.kubectl\.kubernetes\.io/last-applied-configuration}"#,
            ])
            #expect(annotation.contains(#""key":"new""#))
        }
    }

    @Test func clientSideApplyStillRemovesADroppedField() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.configMap(["a": "1", "b": "2"]))
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.configMap(["a": "1"]))
            let data = try await kubectl.ok(["get", "configmap", "settings", "-o", "jsonpath={.data}"])
            #expect(data.contains("\"a\":\"1\""))
            #expect(!data.contains("\"b\""))
            let managers = try await kubectl.ok([
                "get", "configmap", "settings", "--show-managed-fields",
                "-o", "jsonpath={range .metadata.managedFields[*]}{.manager}/{.operation} {end}",
            ])
            #expect(managers.contains("kubectl-client-side-apply/Update"))
        }
    }
}
