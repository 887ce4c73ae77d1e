import Foundation
import Testing

/// `kubectl explain` against `swiftlet server`: descriptions, FIELDS with their types, nested paths through
/// arrays and references, enums. kubectl renders from the OpenAPI v3 documents by default; 1.27 and 1.28
/// also download and parse `/openapi/v2` (gnostic protobuf) first and fail without it, and
/// `--output=plaintext-openapiv2` renders from v2. Pod and Deployment cases run once those kinds are served.
/// Also kubectl's strategic merge patches (`set image`, `patch`, `apply` removing a container), and 1.27's
/// create / apply, which need the v2 document for validation and compute apply patches from its extensions.
@Suite(.enabled(if: Kubectl.isInstalled, "needs kubectl"))
struct KubectlExplainE2ETests {
    /// Whether `kubectl api-resources` lists `plural`.
    private static func serves(_ kubectl: Kubectl, _ plural: String) async throws -> Bool {
        try await kubectl.ok(["api-resources", "--no-headers"]).split(separator: "\n")
            .contains { $0.split(separator: " ").first.map(String.init) == plural }
    }

    @Test(arguments: ["kubectl", "kubectl.1.27", "kubectl.1.28", "kubectl.1.29", "kubectl.1.33"])
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

    @Test(arguments: ["kubectl", "kubectl.1.27", "kubectl.1.28"])
    func explainNestedFieldsOfSecretAndNamespace(kubectlName: String) async throws {
        guard Kubectl.path(kubectlName) != nil else { return }
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(kubectlName, server: server)
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

    @Test(arguments: ["kubectl", "kubectl.1.27", "kubectl.1.28"])
    func explainPodLivenessProbe(kubectlName: String) async throws {
        guard Kubectl.path(kubectlName) != nil else { return }
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(kubectlName, server: server)
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

    /// The same checks rendered from `/openapi/v2` (kubectl's v2 printer: references print as `<Object>`,
    /// Quantity maps as `<map[string]string>`, IntOrString as `<string>`).
    @Test(arguments: ["kubectl.1.27", "kubectl.1.28"])
    func explainFromOpenAPIV2(kubectlName: String) async throws {
        guard Kubectl.path(kubectlName) != nil else { return }
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(kubectlName, server: server)
            let v2 = "--output=plaintext-openapiv2"
            let configMap = try await kubectl.ok(["explain", "configmap", v2])
            #expect(configMap.contains("KIND:     ConfigMap"), "\(configMap)")
            #expect(configMap.contains("VERSION:  v1"))
            #expect(configMap.contains("non-confidential configuration data"), "\(configMap)")
            #expect(configMap.contains("data\t<map[string]string>"), "\(configMap)")
            #expect(configMap.contains("metadata\t<Object>"), "\(configMap)")
            #expect(configMap.contains("apiVersion\t<string>"))

            let labels = try await kubectl.ok(["explain", "secret.metadata.labels", v2])
            #expect(labels.contains("FIELD:    labels <map[string]string>"), "\(labels)")
            let metadata = try await kubectl.ok(["explain", "namespace.metadata", v2])
            #expect(metadata.contains("RESOURCE: metadata <Object>"), "\(metadata)")
            #expect(metadata.contains("finalizers\t<[]string>"), "\(metadata)")
            #expect(metadata.contains("ownerReferences\t<[]Object>"), "\(metadata)")
            let missing = try await kubectl.run(["explain", "configmap.nope", v2])
            #expect(missing.status != 0)
            #expect(missing.stderr.contains("field \"nope\" does not exist"), "\(missing.stderr)")

            guard try await Self.serves(kubectl, "pods") else { return }
            let probe = try await kubectl.ok(["explain", "pod.spec.containers.livenessProbe", v2])
            #expect(probe.contains("KIND:     Pod"), "\(probe)")
            #expect(probe.contains("RESOURCE: livenessProbe <Object>"), "\(probe)")
            #expect(probe.contains("httpGet\t<Object>"), "\(probe)")
            #expect(probe.contains("timeoutSeconds\t<integer>"))
            let containers = try await kubectl.ok(["explain", "pod.spec.containers", v2])
            #expect(containers.contains("RESOURCE: containers <[]Object>"), "\(containers)")
            #expect(containers.contains("name\t<string> -required-"), "\(containers)")
            let limits = try await kubectl.ok(["explain", "pod.spec.containers.resources.limits", v2])
            #expect(limits.contains("FIELD:    limits <map[string]string>"), "\(limits)")

            guard try await Self.serves(kubectl, "deployments") else { return }
            let strategy = try await kubectl.ok(["explain", "deployment.spec.strategy", v2])
            #expect(strategy.contains("VERSION:  apps/v1"), "\(strategy)")
            #expect(strategy.contains("rollingUpdate\t<Object>"), "\(strategy)")
            let surge = try await kubectl.ok(["explain", "deployment.spec.strategy.rollingUpdate.maxSurge", v2])
            #expect(surge.contains("FIELD:    maxSurge <string>"), "\(surge)")
        }
    }

    static let unknownField = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: bad
        spec:
          foo: 1
        data:
          a: b
        """

    /// kubectl 1.27 and 1.28 download and parse `/openapi/v2` before `create -f` and `apply -f` (default
    /// `--validate=strict`), then leave validation to the server because the PATCH operations offer
    /// `fieldValidation`: an unknown field is rejected by the server with `strict decoding error` and
    /// nothing is stored.
    @Test(arguments: ["kubectl.1.27", "kubectl.1.28"])
    func createAndApplyWithValidationReadOpenAPIV2(kubectlName: String) async throws {
        guard Kubectl.path(kubectlName) != nil else { return }
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(kubectlName, server: server)
            for verb in ["create", "apply"] {
                let result = try await kubectl.run([verb, "-f", "-"], stdin: Self.unknownField)
                #expect(result.status != 0, "\(verb): \(result.stdout)")
                #expect(result.stderr.contains("strict decoding error: unknown field \"spec\""), "\(verb): \(result.stderr)")
                #expect(!result.stderr.contains("openapi"), "\(verb): \(result.stderr)")
            }
            let stored = try await kubectl.run(["get", "configmap", "bad"])
            #expect(stored.status != 0 && stored.stderr.contains("NotFound"), "\(stored.stderr)")
            let valid = Self.unknownField.replacingOccurrences(of: "spec:\n  foo: 1\n", with: "")
            #expect(try await kubectl.ok(["create", "-f", "-"], stdin: valid).contains("configmap/bad created"))
            let applied = try await kubectl.ok(["apply", "-f", "-"], stdin: valid.replacingOccurrences(of: "bad", with: "good"))
            #expect(applied.contains("configmap/good created"), "\(applied)")
        }
    }

    /// kubectl 1.27's client-side apply computes its strategic merge patch from the v2 document's patch
    /// extensions: with `containers` merged by `name`, changing one container's image and dropping another
    /// keeps the env var a separate `kubectl patch` added (a replaced list would lose it).
    @Test func oldKubectlApplyMergesContainersByTheV2MergeKey() async throws {
        guard Kubectl.path("kubectl.1.27") != nil else { return }
        try await withSwiftletServer { server in
            let kubectl = try Kubectl("kubectl.1.27", server: server)
            guard try await Self.serves(kubectl, "deployments") else { return }
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.deployment)
            _ = try await kubectl.ok(["patch", "deploy", "web", "-p",
                                      #"{"spec":{"template":{"spec":{"containers":[{"name":"c","env":[{"name":"B","value":"2"}]}]}}}}"#])
            let changed = Self.deployment.replacingOccurrences(of: "nginx:1.25", with: "nginx:1.26")
                .replacingOccurrences(of: "\n      - name: side\n        image: busybox", with: "")
            #expect(try await kubectl.ok(["apply", "-f", "-"], stdin: changed).contains("configured"))
            let path = "jsonpath={.spec.template.spec.containers[*].name} {.spec.template.spec.containers[*].image}"
            #expect(try await kubectl.ok(["get", "deploy", "web", "-o", path]) == "c nginx:1.26")
            let env = try await kubectl.ok(["get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].env[*].name}"])
            #expect(Set(env.split(separator: " ")) == ["A", "B"], "\(env)")
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
