import KubeAPI
import KubeCore
import Testing

/// Validation of the core/v1 pod family: each case mutates a valid, defaulted Pod (or ReplicationController)
/// and lists the exact upstream-shaped messages it must produce.
@Suite struct PodValidationTests {
    static let labelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    static let envMessage =
        "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"
    static let updateMessage =
        "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"

    struct Case<Object: Sendable>: Sendable, CustomTestStringConvertible {
        var name: String
        var mutate: @Sendable (inout Object) -> Void
        var expected: [String]
        var testDescription: String { name }

        init(_ name: String, _ expected: [String], mutate: @escaping @Sendable (inout Object) -> Void) {
            self.name = name
            self.expected = expected
            self.mutate = mutate
        }
    }

    static func quantity(_ text: String) -> Quantity { Quantity(text)! }

    /// A realistic pod: a port, env, a volume mount, probes and resources.
    static func pod() -> Pod {
        var pod = Pod(metadata: ObjectMeta(name: "web", namespace: "default"))
        var container = Container(name: "web", image: "nginx:1.27")
        var port = ContainerPort()
        port.name = "http"
        port.containerPort = 80
        container.ports = [port]
        var variable = EnvVar()
        variable.name = "MODE"
        variable.value = "prod"
        container.env = [variable]
        var mount = VolumeMount()
        mount.name = "data"
        mount.mountPath = "/data"
        container.volumeMounts = [mount]
        container.resources.requests = ["cpu": quantity("100m"), "memory": quantity("64Mi")]
        container.resources.limits = ["cpu": quantity("500m"), "memory": quantity("128Mi")]
        var http = HTTPGetAction()
        http.port = .int(80)
        var liveness = Probe()
        liveness.httpGet = http
        container.livenessProbe = liveness
        var readiness = Probe()
        readiness.tcpSocket = TCPSocketAction(port: .string("http"))
        container.readinessProbe = readiness
        var initContainer = Container(name: "init", image: "busybox")
        initContainer.command = ["true"]
        var volume = Volume()
        volume.name = "data"
        volume.emptyDir = EmptyDirVolumeSource()
        pod.spec.volumes = [volume]
        pod.spec.initContainers = [initContainer]
        pod.spec.containers = [container]
        pod.applyDefaults()
        return pod
    }

    static let podCases: [Case<Pod>] = [
        Case("valid", []) { _ in },
        Case("name format is left to the server", []) { $0.metadata.name = "Not_A_Name" },
        Case("containers missing", ["spec.containers: Required value"]) { $0.spec.containers = [] },
        Case("duplicate container name", [#"spec.containers[1].name: Duplicate value: "web""#]) {
            $0.spec.containers.append($0.spec.containers[0])
        },
        Case("init container name clashes", [#"spec.initContainers[0].name: Duplicate value: "web""#]) {
            $0.spec.initContainers[0].name = "web"
        },
        Case("container name not a label", [#"spec.containers[0].name: Invalid value: "Web_1": "# + labelMessage]) {
            $0.spec.containers[0].name = "Web_1"
        },
        Case("image missing", ["spec.containers[0].image: Required value"]) { $0.spec.containers[0].image = "" },
        Case("init image missing", ["spec.initContainers[0].image: Required value"]) { $0.spec.initContainers[0].image = "" },
        Case("port too large", ["spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"]) {
            $0.spec.containers[0].ports[0].containerPort = 70000
        },
        Case("port zero", ["spec.containers[0].ports[0].containerPort: Required value"]) {
            $0.spec.containers[0].ports[0].containerPort = 0
        },
        Case(
            "port name invalid",
            [#"spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"#,
             #"spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain at least one letter (a-z)"#]
        ) { $0.spec.containers[0].ports[0].name = "HTTP" },
        Case("protocol unsupported", [#"spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP""#]) {
            $0.spec.containers[0].ports[0].protocol = "HTTP"
        },
        Case("restart policy unsupported", [#"spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never""#]) {
            $0.spec.restartPolicy = "Sometimes"
        },
        Case(
            "dns policy unsupported",
            [#"spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None""#]
        ) { $0.spec.dnsPolicy = "Google" },
        Case(
            "duplicate volume",
            [#"spec.volumes[1].name: Duplicate value: "data""#]
        ) { $0.spec.volumes.append($0.spec.volumes[0]) },
        Case("volume name not a label", [#"spec.volumes[0].name: Invalid value: "Data": "# + labelMessage, #"spec.containers[0].volumeMounts[0].name: Not found: "data""#]) {
            $0.spec.volumes[0].name = "Data"
        },
        Case("volume without source", ["spec.volumes[0]: Required value: must specify a volume type", #"spec.containers[0].volumeMounts[0].name: Not found: "data""#]) {
            $0.spec.volumes[0].emptyDir = nil
        },
        Case("volume with two sources", ["spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type", #"spec.containers[0].volumeMounts[0].name: Not found: "data""#]) {
            $0.spec.volumes[0].hostPath = HostPathVolumeSource(path: "/tmp", type: "")
        },
        Case("mount of unknown volume", [#"spec.containers[0].volumeMounts[0].name: Not found: "logs""#]) {
            $0.spec.containers[0].volumeMounts[0].name = "logs"
        },
        Case("mount path missing", ["spec.containers[0].volumeMounts[0].mountPath: Required value"]) {
            $0.spec.containers[0].volumeMounts[0].mountPath = ""
        },
        Case("request above limit", [#"spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 500m"#]) {
            $0.spec.containers[0].resources.requests["cpu"] = PodValidationTests.quantity("2")
        },
        Case("probe without handler", ["spec.containers[0].livenessProbe: Required value: must specify a handler type"]) {
            $0.spec.containers[0].livenessProbe?.httpGet = nil
        },
        Case("probe with two handlers", ["spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"]) {
            $0.spec.containers[0].livenessProbe?.tcpSocket = TCPSocketAction(port: .int(80))
        },
        Case("env name invalid", [#"spec.containers[0].env[0].name: Invalid value: "1MODE": "# + envMessage]) {
            $0.spec.containers[0].env[0].name = "1MODE"
        },
        Case("env name with dots and dashes", []) { $0.spec.containers[0].env[0].name = "my.env-name_1" },
        Case("negative grace period", ["spec.terminationGracePeriodSeconds: Invalid value: -5: must be greater than or equal to 0"]) {
            $0.spec.terminationGracePeriodSeconds = -5
        },
    ]

    @Test(arguments: podCases) func podCreate(_ testCase: Case<Pod>) {
        var object = Self.pod()
        testCase.mutate(&object)
        #expect(object.validate(old: nil).map(\.description) == testCase.expected)
    }

    static let podUpdateCases: [Case<Pod>] = [
        Case("unchanged", []) { _ in },
        Case("image", []) { $0.spec.containers[0].image = "nginx:1.28" },
        Case("init image", []) { $0.spec.initContainers[0].image = "busybox:1.36" },
        Case("deadline set", []) { $0.spec.activeDeadlineSeconds = 60 },
        Case("toleration added", []) {
            var toleration = Toleration()
            toleration.key = "dedicated"
            toleration.operator = "Exists"
            $0.spec.tolerations.append(toleration)
        },
        Case("port changed", [updateMessage]) { $0.spec.containers[0].ports[0].containerPort = 8080 },
        Case("restart policy changed", [updateMessage]) { $0.spec.restartPolicy = "Never" },
        Case("labels may change", []) { $0.metadata.labels["tier"] = "fe" },
        Case("namespace immutable", [#"metadata.namespace: Invalid value: "other": field is immutable"#]) {
            $0.metadata.namespace = "other"
        },
    ]

    @Test(arguments: podUpdateCases) func podUpdate(_ testCase: Case<Pod>) {
        let old = Self.pod()
        var new = old
        testCase.mutate(&new)
        #expect(new.validate(old: old).map(\.description) == testCase.expected)
    }

    // MARK: ReplicationController

    static func replicationController() -> ReplicationController {
        var object = ReplicationController(metadata: ObjectMeta(name: "web", namespace: "default"))
        var template = PodTemplateSpec(metadata: ObjectMeta(labels: ["app": "web"]))
        template.spec.containers = [Container(name: "web", image: "nginx:1.27")]
        object.spec.template = template
        object.applyDefaults()
        return object
    }

    static let replicationControllerCases: [Case<ReplicationController>] = [
        Case("valid", []) { _ in },
        Case(
            "selector does not match",
            [#"spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`"#]
        ) { $0.spec.selector = ["app": "api"] },
        Case("negative replicas", ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"]) { $0.spec.replicas = -1 },
        Case("restart policy must be Always", [#"spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always""#]) {
            $0.spec.template?.spec.restartPolicy = "Never"
        },
        Case("template pod spec validated", ["spec.template.spec.containers[0].image: Required value"]) {
            $0.spec.template?.spec.containers[0].image = ""
        },
        Case("template missing", ["spec.template: Required value"]) { $0.spec.template = nil },
    ]

    @Test(arguments: replicationControllerCases) func replicationControllerCreate(_ testCase: Case<ReplicationController>) {
        var object = Self.replicationController()
        testCase.mutate(&object)
        #expect(object.validate(old: nil).map(\.description) == testCase.expected)
    }

    @Test func workloadTemplatesGetPodSpecValidation() {
        var deployment = Deployment(metadata: ObjectMeta(name: "web", namespace: "default"))
        deployment.spec.selector = LabelSelector(matchLabels: ["app": "web"])
        deployment.spec.template = PodTemplateSpec(metadata: ObjectMeta(labels: ["app": "web"]))
        deployment.spec.template.spec.containers = [Container(name: "web", image: "")]
        deployment.applyDefaults()
        #expect(deployment.validate(old: nil).map(\.description) == ["spec.template.spec.containers[0].image: Required value"])
    }
}
