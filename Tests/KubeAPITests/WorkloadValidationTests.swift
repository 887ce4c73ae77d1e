import KubeAPI
import KubeCore
import Testing

/// Validation of the apps/v1 and batch/v1 workload kinds: each case mutates a valid, defaulted object and
/// lists the exact upstream-shaped messages it must produce.
@Suite struct WorkloadValidationTests {
    static let labels = ["app": "web"]
    static let subdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    static let labelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    static let mismatch = #"spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`"#

    static func template(restartPolicy: String = "") -> PodTemplateSpec {
        var template = PodTemplateSpec(metadata: ObjectMeta(labels: labels))
        template.spec.containers = [Container(name: "c", image: "nginx:1.27")]
        template.spec.restartPolicy = restartPolicy
        return template
    }

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

    // MARK: Deployment

    static func deployment() -> Deployment {
        var object = Deployment(metadata: ObjectMeta(name: "web", namespace: "default"))
        object.spec.selector = LabelSelector(matchLabels: labels)
        object.spec.template = template()
        object.applyDefaults()
        return object
    }

    static let deploymentCases: [Case<Deployment>] = [
        Case("valid", []) { _ in },
        Case("selector missing", ["spec.selector: Required value", mismatch]) { $0.spec.selector = nil },
        Case("selector does not match", [mismatch]) { $0.spec.selector = LabelSelector(matchLabels: ["app": "api"]) },
        Case(
            "empty selector",
            ["spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"]
        ) { $0.spec.selector = LabelSelector() },
        Case("negative replicas", ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"]) { $0.spec.replicas = -1 },
        Case("name not a subdomain", [#"metadata.name: Invalid value: "Web_1": "# + subdomainMessage]) { $0.metadata.name = "Web_1" },
        Case("name missing", ["metadata.name: Required value: name or generateName is required"]) { $0.metadata.name = "" },
        Case("namespace missing", ["metadata.namespace: Required value"]) { $0.metadata.namespace = "" },
        Case(
            "both budgets zero",
            [#"spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0"#]
        ) { $0.spec.strategy.rollingUpdate = RollingUpdateDeployment(maxUnavailable: 0, maxSurge: 0) },
        Case(
            "budget over 100%",
            [#"spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: must not be greater than 100%"#]
        ) { $0.spec.strategy.rollingUpdate?.maxUnavailable = "120%" },
        Case(
            "budget not a percentage",
            [#"spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"x"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"#]
        ) { $0.spec.strategy.rollingUpdate?.maxSurge = "x" },
        Case("Recreate with rolling update", ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]) {
            $0.spec.strategy.type = "Recreate"
        },
        Case(
            "unknown strategy",
            [#"spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"Blue", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate""#]
        ) {
            $0.spec.strategy = DeploymentStrategy(type: "Blue")
        },
        Case("deadline not above minReadySeconds", ["spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds"]) {
            $0.spec.progressDeadlineSeconds = 10
            $0.spec.minReadySeconds = 10
        },
        Case("pods must restart always", [#"spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always""#]) {
            $0.spec.template.spec.restartPolicy = "Never"
        },
        Case("no active deadline", ["spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported"]) {
            $0.spec.template.spec.activeDeadlineSeconds = 30
        },
        Case(
            "invalid template label",
            [#"spec.template.labels: Invalid value: "-bad": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"#]
        ) {
            $0.spec.template.metadata.labels["-bad"] = "x"
        },
    ]

    @Test(arguments: deploymentCases) func deploymentCreate(_ testCase: Case<Deployment>) {
        var object = Self.deployment()
        testCase.mutate(&object)
        #expect(object.validate(old: nil).map(\.description) == testCase.expected)
    }

    @Test func deploymentSelectorIsImmutable() {
        let old = Self.deployment()
        var new = old
        new.spec.selector = LabelSelector(matchLabels: ["app": "web", "tier": "fe"])
        new.spec.template.metadata.labels["tier"] = "fe"
        #expect(
            new.validate(old: old).map(\.description) == [
                #"spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"fe"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"#
            ])
        var renamed = old
        renamed.metadata.name = "other"
        #expect(renamed.validate(old: old).map(\.description) == [#"metadata.name: Invalid value: "other": field is immutable"#])
        var scaled = old
        scaled.spec.replicas = 5
        #expect(scaled.validate(old: old).isEmpty)
    }

    // MARK: ReplicaSet and DaemonSet

    @Test func replicaSet() {
        var object = ReplicaSet(metadata: ObjectMeta(name: "web-1", namespace: "default"))
        object.spec.selector = LabelSelector(matchLabels: Self.labels)
        object.spec.template = Self.template()
        object.applyDefaults()
        #expect(object.validate(old: nil).isEmpty)
        var invalid = object
        invalid.spec.selector = LabelSelector()
        invalid.spec.minReadySeconds = -1
        #expect(
            invalid.validate(old: nil).map(\.description) == [
                "spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0",
                "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment",
            ])
    }

    static func daemonSet() -> DaemonSet {
        var object = DaemonSet(metadata: ObjectMeta(name: "agent", namespace: "kube-system"))
        object.spec.selector = LabelSelector(matchLabels: labels)
        object.spec.template = template()
        object.applyDefaults()
        return object
    }

    static let daemonSetCases: [Case<DaemonSet>] = [
        Case("valid", []) { _ in },
        Case("both budgets set", [#"spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero"#]) {
            $0.spec.updateStrategy.rollingUpdate?.maxSurge = 1
        },
        Case("both budgets zero", ["spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"]) {
            $0.spec.updateStrategy.rollingUpdate?.maxUnavailable = 0
        },
        Case("rolling update missing", ["spec.updateStrategy.rollingUpdate: Required value"]) {
            $0.spec.updateStrategy.rollingUpdate = nil
        },
        Case("selector missing matches nothing", [mismatch]) { $0.spec.selector = nil },
        Case("negative history", ["spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0"]) {
            $0.spec.revisionHistoryLimit = -1
        },
    ]

    @Test(arguments: daemonSetCases) func daemonSetCreate(_ testCase: Case<DaemonSet>) {
        var object = Self.daemonSet()
        testCase.mutate(&object)
        #expect(object.validate(old: nil).map(\.description) == testCase.expected)
    }

    // MARK: StatefulSet

    static func statefulSet() -> StatefulSet {
        var object = StatefulSet(metadata: ObjectMeta(name: "db", namespace: "default"))
        object.spec.selector = LabelSelector(matchLabels: labels)
        object.spec.template = template()
        object.spec.serviceName = "db"
        object.applyDefaults()
        return object
    }

    static let statefulSetCases: [Case<StatefulSet>] = [
        Case("valid", []) { _ in },
        Case("name must be a DNS label", [#"metadata.name: Invalid value: "db.example": "# + labelMessage]) { $0.metadata.name = "db.example" },
        Case("unknown pod management policy", [#"spec.podManagementPolicy: Invalid value: "Fast": must be 'OrderedReady' or 'Parallel'"#]) {
            $0.spec.podManagementPolicy = "Fast"
        },
        Case("negative partition", ["spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0"]) {
            $0.spec.updateStrategy.rollingUpdate?.partition = -1
        },
        Case("OnDelete with parameters", ["spec.updateStrategy.rollingUpdate: Invalid value: only allowed for updateStrategy 'RollingUpdate'"]) {
            $0.spec.updateStrategy.type = "OnDelete"
        },
        Case("unknown retention", [#"spec.persistentVolumeClaimRetentionPolicy.whenScaled: Unsupported value: "Keep": supported values: "Retain", "Delete""#]) {
            $0.spec.persistentVolumeClaimRetentionPolicy?.whenScaled = "Keep"
        },
        Case("negative ordinal start", ["spec.ordinals.start: Invalid value: -1: must be greater than or equal to 0"]) {
            $0.spec.ordinals = StatefulSetOrdinals(start: -1)
        },
        Case(
            "empty selector",
            ["spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset"]
        ) { $0.spec.selector = LabelSelector() },
    ]

    @Test(arguments: statefulSetCases) func statefulSetCreate(_ testCase: Case<StatefulSet>) {
        var object = Self.statefulSet()
        testCase.mutate(&object)
        #expect(object.validate(old: nil).map(\.description) == testCase.expected)
    }

    @Test func statefulSetUpdatesAreLimited() {
        let old = Self.statefulSet()
        var allowed = old
        allowed.spec.replicas = 3
        allowed.spec.template.spec.containers[0].image = "nginx:1.28"
        allowed.spec.minReadySeconds = 5
        #expect(allowed.validate(old: old).isEmpty)
        var forbidden = old
        forbidden.spec.serviceName = "other"
        #expect(
            forbidden.validate(old: old).map(\.description) == [
                "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
            ])
    }

    @Test func controllerRevision() {
        var revision = ControllerRevision(metadata: ObjectMeta(name: "web-5d8f", namespace: "default"), data: ["spec": [:]], revision: 2)
        #expect(revision.validate(old: nil).isEmpty)
        var changed = revision
        changed.data = ["spec": ["x": 1]]
        #expect(changed.validate(old: revision).map(\.description) == ["data: Invalid value: field is immutable"])
        revision.data = .null
        revision.revision = -1
        #expect(
            revision.validate(old: nil).map(\.description) == [
                "data: Required value: data is mandatory", "revision: Invalid value: -1: must be greater than or equal to 0",
            ])
    }

    // MARK: Job

    /// A Job as the server leaves it before validation: defaulted, with a uid and a generated selector.
    static func job() -> Job {
        var object = Job(metadata: ObjectMeta(name: "pi", namespace: "default", uid: "5c1b2f0a-uid"))
        object.spec.template = template(restartPolicy: "Never")
        object.applyDefaults()
        let generated = [
            "batch.kubernetes.io/controller-uid": "5c1b2f0a-uid", "batch.kubernetes.io/job-name": "pi",
            "controller-uid": "5c1b2f0a-uid", "job-name": "pi",
        ]
        object.spec.template.metadata.labels.merge(generated) { old, _ in old }
        object.spec.selector = LabelSelector(matchLabels: ["batch.kubernetes.io/controller-uid": "5c1b2f0a-uid"])
        return object
    }

    static let jobCases: [Case<Job>] = [
        Case("valid", []) { _ in },
        Case("restart policy Always", [#"spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never""#]) {
            $0.spec.template.spec.restartPolicy = "Always"
        },
        // A nil selector selects nothing, so upstream also reports the template labels.
        Case("selector missing", [
            "spec.selector: Required value",
            #"spec.template.metadata.labels: Invalid value: map[string]string{"app":"web", "batch.kubernetes.io/controller-uid":"5c1b2f0a-uid", "batch.kubernetes.io/job-name":"pi", "controller-uid":"5c1b2f0a-uid", "job-name":"pi"}: `selector` does not match template `labels`"#,
        ]) { $0.spec.selector = nil },
        Case("negative counts", [
            "spec.parallelism: Invalid value: -1: must be greater than or equal to 0",
            "spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0",
        ]) {
            $0.spec.parallelism = -1
            $0.spec.backoffLimit = -2
        },
        Case("indexed without completions", ["spec.completions: Required value: when completion mode is Indexed"]) {
            $0.spec.completionMode = "Indexed"
            $0.spec.completions = nil
        },
        Case("backoffLimitPerIndex needs Indexed", ["spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode"]) {
            $0.spec.backoffLimitPerIndex = 1
        },
        Case("pod failure policy needs Never", [
            #"spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified"#
        ]) {
            $0.spec.template.spec.restartPolicy = "OnFailure"
            $0.spec.podFailurePolicy = PodFailurePolicy(rules: [PodFailurePolicyRule(action: "Ignore", onPodConditions: [PodFailurePolicyOnPodConditionsPattern(type: "DisruptionTarget", status: "True")])])
            $0.spec.podReplacementPolicy = "Failed"
        },
        Case("exit codes rule", [
            "spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator",
            "spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 3",
            "spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{0, 3, 3, 1}: must be ordered",
        ]) {
            $0.spec.podFailurePolicy = PodFailurePolicy(rules: [
                PodFailurePolicyRule(action: "FailJob", onExitCodes: PodFailurePolicyOnExitCodesRequirement(operator: "In", values: [0, 3, 3, 1]))
            ])
            $0.spec.podReplacementPolicy = "Failed"
        },
        Case("rule without requirement", [
            "spec.podFailurePolicy.rules[0].action: Required value: valid values: [\"Count\" \"FailIndex\" \"FailJob\" \"Ignore\"]",
            "spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required",
        ]) {
            $0.spec.podFailurePolicy = PodFailurePolicy(rules: [PodFailurePolicyRule()])
            $0.spec.podReplacementPolicy = "Failed"
        },
        Case("success policy", [
            #"spec.successPolicy.rules[0].succeededIndexes: Invalid value: "0-2,1": error parsing succeededIndexes: non-increasing order, previous: 2, current: 1"#,
            "spec.successPolicy.rules[0].succeededCount: Invalid value: 9: must be less than or equal to 3 (the number of specified completions)",
            // Unparsable indexes count as none, as upstream.
            "spec.successPolicy.rules[0].succeededCount: Invalid value: 9: must be less than or equal to 0 (the number of indexes in the specified succeededIndexes field)",
        ]) {
            $0.spec.completionMode = "Indexed"
            $0.spec.completions = 3
            $0.spec.successPolicy = SuccessPolicy(rules: [SuccessPolicyRule(succeededIndexes: "0-2,1", succeededCount: 9)])
        },
    ]

    @Test(arguments: jobCases) func jobCreate(_ testCase: Case<Job>) {
        var object = Self.job()
        testCase.mutate(&object)
        #expect(object.validate(old: nil).map(\.description) == testCase.expected)
    }

    @Test func jobGeneratedSelectorIsChecked() {
        var object = Self.job()
        object.metadata.uid = ""
        object.spec.template.metadata.labels["job-name"] = "other"
        let messages = object.validate(old: nil).map(\.description)
        #expect(messages.first == "metadata.uid: Required value")
        #expect(messages.contains { $0.hasPrefix("spec.template.metadata.labels[job-name]: Invalid value: map[string]string{") && $0.hasSuffix(": must be 'pi'") })
        #expect(messages.contains { $0.hasSuffix("`selector` not auto-generated") })
        var manual = Self.job()
        manual.spec.manualSelector = true
        manual.metadata.uid = ""
        #expect(manual.validate(old: nil).isEmpty)
    }

    @Test func jobUpdates() {
        let old = Self.job()
        var suspended = old
        suspended.spec.suspend = true
        suspended.spec.parallelism = 4
        #expect(suspended.validate(old: old).isEmpty)
        var changed = old
        changed.spec.completions = 2
        changed.spec.template.spec.containers[0].image = "busybox"
        #expect(
            changed.validate(old: old).map(\.description) == [
                "spec.completions: Invalid value: 2: field is immutable", "spec.template: Invalid value: field is immutable",
            ])
        // A suspended Job that never started may change scheduling directives of its template.
        var oldSuspended = old
        oldSuspended.spec.suspend = true
        var rescheduled = oldSuspended
        rescheduled.spec.template.spec.nodeSelector = ["disk": "ssd"]
        #expect(rescheduled.validate(old: oldSuspended).isEmpty)
        #expect(rescheduled.validate(old: old).map(\.description) == ["spec.template: Invalid value: field is immutable"])
    }

    @Test func indexedJobNameMustFitHostnames() {
        var object = Self.job()
        object.metadata.name = String(repeating: "a", count: 62)
        object.spec.completionMode = "Indexed"
        object.spec.completions = 10
        let messages = object.validate(old: nil).map(\.description)
        #expect(messages.contains("metadata.name: Invalid value: \"\(object.metadata.name)\": will not able to create pod with invalid DNS label: \(object.metadata.name)-9"))
    }

    // MARK: CronJob

    static func cronJob() -> CronJob {
        var object = CronJob(metadata: ObjectMeta(name: "nightly", namespace: "default"))
        object.spec.schedule = "0 3 * * *"
        object.spec.jobTemplate.spec.template = template(restartPolicy: "OnFailure")
        object.applyDefaults()
        return object
    }

    static let cronJobCases: [Case<CronJob>] = [
        Case("valid", []) { _ in },
        Case("descriptor", []) { $0.spec.schedule = "@hourly" },
        Case("every", []) { $0.spec.schedule = "@every 1h30m" },
        Case("ranges, steps and names", []) { $0.spec.schedule = "*/15 9-17 1,15 jan-jun mon-fri" },
        Case("schedule missing", ["spec.schedule: Required value"]) { $0.spec.schedule = "" },
        Case("wrong field count", [#"spec.schedule: Invalid value: "0 3 * *": expected exactly 5 fields, found 4: [0 3 * *]"#]) {
            $0.spec.schedule = "0 3 * *"
        },
        Case("minute out of range", [#"spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61"#]) {
            $0.spec.schedule = "61 * * * *"
        },
        Case("not a number", [#"spec.schedule: Invalid value: "x * * * *": failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax"#]) {
            $0.spec.schedule = "x * * * *"
        },
        Case("unknown descriptor", [#"spec.schedule: Invalid value: "@often": unrecognized descriptor: @often"#]) { $0.spec.schedule = "@often" },
        Case("time zone in schedule", [#"spec.schedule: Invalid value: "CRON_TZ=UTC 0 3 * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead"#]) {
            $0.spec.schedule = "CRON_TZ=UTC 0 3 * * *"
        },
        Case("time zone field", []) { $0.spec.timeZone = "Etc/UTC" },
        Case("unknown time zone", [#"spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus"#]) {
            $0.spec.timeZone = "Mars/Olympus"
        },
        Case("Local time zone", [#"spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"#]) {
            $0.spec.timeZone = "Local"
        },
        Case("unknown concurrency policy", [#"spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace""#]) {
            $0.spec.concurrencyPolicy = "Sometimes"
        },
        Case("selector in job template", ["spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated"]) {
            $0.spec.jobTemplate.spec.selector = LabelSelector(matchLabels: ["app": "web"])
        },
        Case("name too long for its jobs", ["metadata.name: Invalid value: \"\(String(repeating: "n", count: 53))\": must be no more than 52 characters"]) {
            $0.metadata.name = String(repeating: "n", count: 53)
        },
    ]

    @Test(arguments: cronJobCases) func cronJobCreate(_ testCase: Case<CronJob>) {
        var object = Self.cronJob()
        testCase.mutate(&object)
        #expect(object.validate(old: nil).map(\.description) == testCase.expected)
    }
}
