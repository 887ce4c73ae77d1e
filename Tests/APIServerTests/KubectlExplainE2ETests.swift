import Foundation
import Testing

/// `kubectl explain` against `swiftlet server`, which reads the OpenAPI v3 documents (kubectl ≥ 1.29;
/// older ones read `/openapi/v2`, which the server does not serve): descriptions, FIELDS with their types, nested
/// paths through arrays and references, enums. Pod and Deployment cases run once those kinds are served.
/// Also kubectl's strategic merge patches (`set image`, `patch`, `apply` removing a container).
@Suite(.enabled(if: Kubectl.isInstalled, "needs kubectl"))
struct KubectlExplainE2ETests {
    /// Whether `kubectl api-resources` lists `plural`.
    private static func serves(_ kubectl: Kubectl, _ plural: String) async throws -> Bool {
        try await kubectl.ok(["api-resources", "--no-headers"]).split(separator: "\n")
            .contains { $0.split(separator: " ").first.map(String.init) == plural }
    }

    @Test(arguments: ["kubectl", "kubectl.1.29", "kubectl.1.33"])
    func explainConfigMapPrintsDescriptionAndFields(kubectlName: String) async throws {
        guard Kubectl.path(kubectlName) != nil else { return }
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(kubectlName, server: server)
            let result = try await kubectl.run(["explain", "configmap"])
            #expect(result.status == 0, "\(kubectlName): \(result.stderr)")
            let output = result.stdout
            #expect(output.contains("KIND:       ConfigMap"), "\(output)")
            #expect(output.contains("VERSION:    v1"))
            #expect(output.contains("DESCRIPTION:"))
            #expect(output.contains("non-confidential configuration data"), "\(output)")
            #expect(output.contains("FIELDS:"))
            #expect(output.contains("data\t<map[string]string>"), "\(output)")
            #expect(output.contains("metadata\t<ObjectMeta>"))
            #expect(output.contains("apiVersion\t<string>"))
        }
    }

    @Test func explainNestedFieldsOfSecretAndNamespace() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            let labels = try await kubectl.ok(["explain", "secret.metadata.labels"])
            #expect(labels.contains("FIELD: labels <map[string]string>"), "\(labels)")
            let metadata = try await kubectl.ok(["explain", "namespace.metadata"])
            #expect(metadata.contains("FIELD: metadata <ObjectMeta>"), "\(metadata)")
            #expect(metadata.contains("creationTimestamp\t<string>"))
            #expect(metadata.contains("finalizers\t<[]string>"))
            #expect(metadata.contains("ownerReferences\t<[]OwnerReference>"))
            let missing = try await kubectl.run(["explain", "configmap.nope"])
            #expect(missing.status != 0)
            #expect(missing.stderr.contains("field \"nope\" does not exist"), "\(missing.stderr)")
        }
    }

    @Test func explainPodLivenessProbe() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            guard try await Self.serves(kubectl, "pods") else { return }
            let output = try await kubectl.ok(["explain", "pod.spec.containers.livenessProbe"])
            #expect(output.contains("KIND:       Pod"), "\(output)")
            #expect(output.contains("FIELD: livenessProbe <Probe>"), "\(output)")
            #expect(output.contains("httpGet\t<HTTPGetAction>"))
            #expect(output.contains("timeoutSeconds\t<integer>"))
            let containers = try await kubectl.ok(["explain", "pod.spec.containers"])
            #expect(containers.contains("FIELD: containers <[]Container>"), "\(containers)")
            #expect(containers.contains("name\t<string> -required-"), "\(containers)")
            let limits = try await kubectl.ok(["explain", "pod.spec.containers.resources.limits"])
            #expect(limits.contains("<map[string]Quantity>"), "\(limits)")
        }
    }

    @Test func explainDeploymentStrategy() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            guard try await Self.serves(kubectl, "deployments") else { return }
            let output = try await kubectl.ok(["explain", "deployment.spec.strategy"])
            #expect(output.contains("GROUP:      apps"), "\(output)")
            #expect(output.contains("FIELD: strategy <DeploymentStrategy>"), "\(output)")
            #expect(output.contains("rollingUpdate\t<RollingUpdateDeployment>"))
            #expect(output.contains("type\t<string>"))
            #expect(output.contains("enum: Recreate, RollingUpdate"), "\(output)")
            let surge = try await kubectl.ok(["explain", "deployment.spec.strategy.rollingUpdate.maxSurge"])
            #expect(surge.contains("FIELD: maxSurge <IntOrString>"), "\(surge)")
            let recursive = try await kubectl.ok(["explain", "deployment.spec", "--recursive"])
            #expect(recursive.contains("template\t<PodTemplateSpec> -required-"), "\(recursive)")
        }
    }

    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 1
          selector:
            matchLabels: {app: web}
          strategy:
            type: RollingUpdate
            rollingUpdate: {maxSurge: 1}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: c
                image: nginx:1.25
                env: [{name: A, value: "1"}]
              - name: side
                image: busybox
        """

    @Test func strategicMergePatchesFromKubectl() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            guard try await Self.serves(kubectl, "deployments") else { return }
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.deployment)
            let path = "jsonpath={.spec.template.spec.containers[*].name} {.spec.template.spec.containers[*].image}"
            _ = try await kubectl.ok(["set", "image", "deployment/web", "c=nginx:1.26"])
            #expect(try await kubectl.ok(["get", "deploy", "web", "-o", path]) == "c side nginx:1.26 busybox")

            _ = try await kubectl.ok(["patch", "deploy", "web", "-p",
                                #"{"spec":{"template":{"spec":{"containers":[{"name":"c","env":[{"name":"B","value":"2"}]}]}}}}"#])
            let env = try await kubectl.ok(["get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].env[*].name}"])
            #expect(Set(env.split(separator: " ")) == ["A", "B"], "\(env)")

            _ = try await kubectl.ok(["patch", "deploy", "web", "-p",
                                #"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}"#])
            #expect(try await kubectl.ok(["get", "deploy", "web", "-o", "jsonpath={.spec.strategy}"]) == #"{"type":"Recreate"}"#)

            let trimmed = Self.deployment.replacingOccurrences(of: "replicas: 1", with: "replicas: 3")
                .replacingOccurrences(of: "\n      - name: side\n        image: busybox", with: "")
                .replacingOccurrences(of: "type: RollingUpdate\n    rollingUpdate: {maxSurge: 1}", with: "type: Recreate")
            #expect(try await kubectl.ok(["apply", "-f", "-"], stdin: trimmed).contains("configured"))
            let applied = try await kubectl.ok(["get", "deploy", "web", "-o", path])
            #expect(applied == "c nginx:1.25", "\(trimmed)")
            #expect(try await kubectl.ok(["get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"]) == "3")
        }
    }
}
