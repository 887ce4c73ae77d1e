import KubeAPI
import KubeCore
import Kubelet
import Testing

/// Env resolution in upstream order with fake ConfigMaps and Secrets.
@Suite struct ContainerEnvironmentResolverTests {
    let objects = FakePodObjectSource()
    var resolver: ContainerEnvironmentResolver { ContainerEnvironmentResolver(objects: objects) }

    init() {
        objects.putConfigMap("shop", "settings", ["LOG_LEVEL": "debug", "COLOR": "blue", "1ST": "one"])
        objects.putSecret("shop", "creds", ["password": "s3cret", "user": "admin"])
    }

    private func pod(_ container: Container, labels: [String: String] = ["app": "web"],
                     annotations: [String: String] = [:]) -> Pod {
        var pod = makePod(name: "web-0", namespace: "shop", uid: "1234-uid", containers: [container],
                          labels: labels, annotations: annotations)
        pod.spec.serviceAccountName = "builder"
        return pod
    }

    private func env(_ name: String, _ value: String) -> EnvVar { EnvVar(name: name, value: value) }

    private func env(_ name: String, from source: EnvVarSource) -> EnvVar { EnvVar(name: name, valueFrom: source) }

    private func field(_ path: String) -> EnvVarSource { EnvVarSource(fieldRef: ObjectFieldSelector(apiVersion: "v1", fieldPath: path)) }

    @Test func envFromThenEnvWithOverridesAndExpansion() async throws {
        let container = Container(
            name: "app", envFrom: [
                EnvFromSource(prefix: "CFG_", configMapRef: ConfigMapEnvSource(name: "settings")),
                EnvFromSource(secretRef: SecretEnvSource(name: "creds")),
            ],
            env: [
                env("CFG_COLOR", "red"),
                env("URL", "postgres://$(user):$(password)@db/$(CFG_COLOR)?q=$$(user)&x=$(LATER)"),
                env("LATER", "late"),
            ])

        let resolved = try await resolver.resolve(container: container, pod: pod(container))

        #expect(resolved.variables.map(\.description) == [
            "CFG_1ST=one", "CFG_COLOR=red", "CFG_LOG_LEVEL=debug", "password=s3cret", "user=admin",
            "URL=postgres://admin:s3cret@db/red?q=$(user)&x=$(LATER)", "LATER=late",
        ])
        #expect(resolved.skipped.isEmpty)
    }

    @Test func invalidEnvFromKeysAreSkippedAndReported() async throws {
        let container = Container(name: "app", envFrom: [
            EnvFromSource(prefix: "A=", configMapRef: ConfigMapEnvSource(name: "settings")),
        ])

        let resolved = try await resolver.resolve(container: container, pod: pod(container))

        #expect(resolved.variables.isEmpty)
        #expect(resolved.skipped.first?.eventMessage ==
            "Keys [A=1ST, A=COLOR, A=LOG_LEVEL] from the EnvFrom configMap shop/settings were skipped since they are considered invalid environment variable names.")
    }

    @Test func fieldRefsResolveFromThePodAndTheSandbox() async throws {
        let container = Container(name: "app", env: [
            env("NAME", from: field("metadata.name")),
            env("NAMESPACE", from: field("metadata.namespace")),
            env("UID", from: field("metadata.uid")),
            env("APP", from: field("metadata.labels['app']")),
            env("ABSENT", from: field("metadata.labels['nope']")),
            env("NOTES", from: field("metadata.annotations")),
            env("NODE", from: field("spec.nodeName")),
            env("SA", from: field("spec.serviceAccountName")),
            env("HOST_IP", from: field("status.hostIP")),
            env("POD_IP", from: field("status.podIP")),
            env("POD_IPS", from: field("status.podIPs")),
        ])
        let context = DownwardAPIContext(podIPs: ["10.244.0.7", "fd00::7"], hostIPs: ["192.168.1.10"])

        let resolved = try await resolver.resolve(
            container: container, pod: pod(container, annotations: ["b": "two\nlines", "a": "1"]), context: context)

        #expect(resolved.dictionary == [
            "NAME": "web-0", "NAMESPACE": "shop", "UID": "1234-uid", "APP": "web", "ABSENT": "",
            "NOTES": "a=\"1\"\nb=\"two\\nlines\"", "NODE": "node-1", "SA": "builder", "HOST_IP": "192.168.1.10",
            "POD_IP": "10.244.0.7", "POD_IPS": "10.244.0.7,fd00::7",
        ])
    }

    @Test(arguments: [
        ("limits.cpu", "1m", "500"),
        ("limits.cpu", "", "1"),
        ("requests.cpu", "1m", "250"),
        ("requests.cpu", "1", "1"),
        ("limits.memory", "1Mi", "128"),
        ("limits.memory", "", "134217728"),
        ("requests.memory", "1Mi", "64"),
        ("limits.ephemeral-storage", "1Gi", "20"),
        ("requests.ephemeral-storage", "", "0"),
    ])
    func resourceFieldRefsDivideAndRoundUp(_ resource: String, _ divisor: String, _ expected: String) async throws {
        var container = Container(name: "app", env: [env("V", from: EnvVarSource(resourceFieldRef: ResourceFieldSelector(
            resource: resource, divisor: divisor.isEmpty ? Quantity(0) : Quantity(divisor)!)))])
        container.resources.limits = ["cpu": Quantity("500m")!, "memory": Quantity("128Mi")!]
        container.resources.requests = ["cpu": Quantity("250m")!, "memory": Quantity("64Mi")!]
        let context = DownwardAPIContext(nodeAllocatable: ["cpu": Quantity("4")!, "ephemeral-storage": Quantity("20Gi")!])

        let resolved = try await resolver.resolve(container: container, pod: pod(container), context: context)

        #expect(resolved.dictionary["V"] == expected)
    }

    @Test func unsetLimitsFallBackToNodeAllocatable() async throws {
        let container = Container(name: "app", env: [
            env("CPU", from: EnvVarSource(resourceFieldRef: ResourceFieldSelector(resource: "limits.cpu"))),
            env("MEM", from: EnvVarSource(resourceFieldRef: ResourceFieldSelector(resource: "limits.memory", divisor: Quantity("1Gi")!))),
        ])
        let context = DownwardAPIContext(nodeAllocatable: ["cpu": Quantity("3500m")!, "memory": Quantity("7Gi")!])

        let resolved = try await resolver.resolve(container: container, pod: pod(container), context: context)

        #expect(resolved.dictionary == ["CPU": "4", "MEM": "7"])
    }

    @Test func keyRefsResolveAndOptionalOnesMayBeMissing() async throws {
        let container = Container(name: "app", envFrom: [EnvFromSource(configMapRef: ConfigMapEnvSource(name: "ghost", optional: true))], env: [
            env("LEVEL", from: EnvVarSource(configMapKeyRef: ConfigMapKeySelector(name: "settings", key: "LOG_LEVEL"))),
            env("PASS", from: EnvVarSource(secretKeyRef: SecretKeySelector(name: "creds", key: "password"))),
            env("NO_KEY", from: EnvVarSource(configMapKeyRef: ConfigMapKeySelector(name: "settings", key: "nope", optional: true))),
            env("NO_MAP", from: EnvVarSource(configMapKeyRef: ConfigMapKeySelector(name: "ghost", key: "k", optional: true))),
            env("NO_SECRET", from: EnvVarSource(secretKeyRef: SecretKeySelector(name: "ghost", key: "k", optional: true))),
        ])

        let resolved = try await resolver.resolve(container: container, pod: pod(container))

        #expect(resolved.variables.map(\.description) == ["LEVEL=debug", "PASS=s3cret"])
    }

    @Test(arguments: [
        (EnvVarSource(configMapKeyRef: ConfigMapKeySelector(name: "ghost", key: "k")), #"configmap "ghost" not found"#),
        (EnvVarSource(configMapKeyRef: ConfigMapKeySelector(name: "settings", key: "k")), "couldn't find key k in ConfigMap shop/settings"),
        (EnvVarSource(secretKeyRef: SecretKeySelector(name: "ghost", key: "k")), #"secret "ghost" not found"#),
        (EnvVarSource(secretKeyRef: SecretKeySelector(name: "creds", key: "k")), "couldn't find key k in Secret shop/creds"),
        (EnvVarSource(fieldRef: ObjectFieldSelector(apiVersion: "v1", fieldPath: "spec.restartPolicy")), "unsupported fieldPath: spec.restartPolicy"),
        (EnvVarSource(fieldRef: ObjectFieldSelector(apiVersion: "v1", fieldPath: "metadata.generation")), "field label not supported: metadata.generation"),
        (EnvVarSource(fieldRef: ObjectFieldSelector(apiVersion: "v2", fieldPath: "metadata.name")), "unsupported pod version: v2"),
        (EnvVarSource(resourceFieldRef: ResourceFieldSelector(resource: "limits.gpu")), "unsupported container resource : limits.gpu"),
    ])
    func errorsUseUpstreamTexts(_ source: EnvVarSource, _ expected: String) async throws {
        let container = Container(name: "app", env: [env("V", from: source)])

        let error = await #expect(throws: EnvironmentError.self) {
            try await resolver.resolve(container: container, pod: pod(container))
        }

        #expect(error?.description == expected)
    }

    @Test func missingEnvFromSourcesFail() async throws {
        let configMap = Container(name: "app", envFrom: [EnvFromSource(configMapRef: ConfigMapEnvSource(name: "ghost"))])
        let secret = Container(name: "app", envFrom: [EnvFromSource(secretRef: SecretEnvSource(name: "ghost"))])

        await #expect(throws: EnvironmentError.configMapNotFound(name: "ghost")) {
            try await resolver.resolve(container: configMap, pod: pod(configMap))
        }
        await #expect(throws: EnvironmentError.secretNotFound(name: "ghost")) {
            try await resolver.resolve(container: secret, pod: pod(secret))
        }
    }

    @Test func serviceVariablesFeedExpansionAndComeLast() async throws {
        let container = Container(name: "app", env: [env("API", "http://$(DB_SERVICE_HOST):5432"), env("DB_SERVICE_PORT", "1")])

        let resolved = try await resolver.resolve(
            container: container, pod: pod(container),
            serviceEnvironment: ["DB_SERVICE_HOST": "10.96.0.9", "DB_SERVICE_PORT": "5432"])

        #expect(resolved.variables.map(\.description) == [
            "API=http://10.96.0.9:5432", "DB_SERVICE_PORT=1", "DB_SERVICE_HOST=10.96.0.9",
        ])
    }

    @Test func commandAndArgsExpandAgainstTheFinalEnvironment() {
        let environment = [EnvironmentVariable(name: "GREETING", value: "hi"), EnvironmentVariable(name: "WHO", value: "you")]

        let expanded = ContainerEnvironmentResolver.expand(
            command: ["/bin/sh", "-c", "echo $(GREETING)"], args: ["$(WHO)", "$$(WHO)", "$(NOBODY)"], environment: environment)

        #expect(expanded.command == ["/bin/sh", "-c", "echo hi"])
        #expect(expanded.args == ["you", "$(WHO)", "$(NOBODY)"])
    }
}
