import KubeAPI
import KubeCore
import Testing

/// Validation of the core/v1 cluster kinds and the coordination, discovery, networking, storage, events
/// and policy kinds: each case mutates a valid object and lists the exact upstream-shaped messages.
@Suite struct ClusterValidationTests {
    static let dns1035Message =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
    static let labelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    static let configKeyMessage =
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"

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

    // MARK: Service

    static func service() -> Service {
        var service = Service(metadata: ObjectMeta(name: "web", namespace: "default"))
        service.spec.selector = ["app": "web"]
        service.spec.ports = [ServicePort(port: 80)]
        service.applyDefaults()
        return service
    }

    static let serviceCases: [Case<Service>] = [
        Case("valid", []) { _ in },
        Case("name must be a DNS-1035 label", [#"metadata.name: Invalid value: "1web": "# + dns1035Message]) { $0.metadata.name = "1web" },
        Case("port out of range", ["spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive"]) {
            $0.spec.ports[0].port = 70000
            $0.spec.ports[0].targetPort = 8080
        },
        Case("port names required with several ports", ["spec.ports[0].name: Required value", "spec.ports[1].name: Required value"]) {
            $0.spec.ports.append(ServicePort(protocol: "TCP", port: 443, targetPort: 443))
        },
        Case("port names unique", [#"spec.ports[1].name: Duplicate value: "http""#]) {
            $0.spec.ports[0].name = "http"
            $0.spec.ports.append(ServicePort(name: "http", protocol: "TCP", port: 8080, targetPort: 8080))
        },
        Case("port name must be a DNS label", [#"spec.ports[0].name: Invalid value: "HTTP": "# + labelMessage]) { $0.spec.ports[0].name = "HTTP" },
        Case("unsupported protocol", [#"spec.ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP""#]) {
            $0.spec.ports[0].protocol = "ICMP"
        },
        Case("named target port", [#"spec.ports[0].targetPort: Invalid value: "9000": must contain at least one letter (a-z)"#]) {
            $0.spec.ports[0].targetPort = "9000"
        },
        Case("duplicate port and protocol", [
            #"spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}"#
        ]) {
            $0.spec.ports[0].name = "a"
            $0.spec.ports.append(ServicePort(name: "b", protocol: "TCP", port: 80, targetPort: 81))
        },
        Case("ports required", ["spec.ports: Required value"]) { $0.spec.ports = [] },
        Case("node port on ClusterIP", ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]) {
            $0.spec.ports[0].nodePort = 30080
        },
        Case("unknown type", [#"spec.type: Unsupported value: "Mesh": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort""#]) {
            $0.spec.type = "Mesh"
        },
        Case("bad cluster IP", [#"spec.clusterIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"#]) {
            $0.spec.clusterIP = "10.0.0.300"
            $0.spec.clusterIPs = ["10.0.0.300"]
        },
        Case("cluster IPs out of sync", [#"spec.clusterIPs: Invalid value: []string{"10.0.0.2"}: first value must match `clusterIP`"#]) {
            $0.spec.clusterIP = "10.0.0.1"
            $0.spec.clusterIPs = ["10.0.0.2"]
        },
        Case("client IP timeout", ["spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400"]) {
            $0.spec.sessionAffinity = "ClientIP"
            $0.spec.sessionAffinityConfig = SessionAffinityConfig(clientIP: ClientIPConfig(timeoutSeconds: 0))
        },
        Case("external traffic policy on ClusterIP", [#"spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services"#]) {
            $0.spec.externalTrafficPolicy = "Local"
        },
        Case("NodePort needs external traffic policy", ["spec.externalTrafficPolicy: Required value"]) { $0.spec.type = "NodePort" },
        Case("ExternalName needs a name", ["spec.externalName: Required value"]) {
            $0.spec.type = "ExternalName"
            $0.spec.ipFamilyPolicy = nil
            $0.spec.internalTrafficPolicy = nil
        },
    ]

    @Test(arguments: serviceCases) func serviceCreate(_ testCase: Case<Service>) {
        var object = Self.service()
        testCase.mutate(&object)
        #expect(object.validate(old: nil).map(\.description) == testCase.expected)
    }

    @Test func serviceClusterIPCannotChange() {
        var old = Self.service()
        old.spec.clusterIP = "10.96.0.10"
        old.spec.clusterIPs = ["10.96.0.10"]
        var new = old
        new.spec.clusterIP = "10.96.0.11"
        new.spec.clusterIPs = ["10.96.0.11"]
        #expect(new.validate(old: old).map(\.description) == [#"spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set"#])
        var relabelled = old
        relabelled.metadata.labels["tier"] = "frontend"
        #expect(relabelled.validate(old: old).isEmpty)
    }

    // MARK: Secret and ConfigMap

    static let secretCases: [Case<Secret>] = [
        Case("valid", []) { _ in },
        Case("bad key", [#"data[bad/key]: Invalid value: "bad/key": "# + configKeyMessage]) { $0.data["bad/key"] = [1] },
        Case("dot-dot key", [#"data[..x]: Invalid value: "..x": must not start with '..'"#]) { $0.data["..x"] = [1] },
        Case("too large", ["data: Too long: must have at most 1048576 bytes"]) { $0.data["big"] = [UInt8](repeating: 0, count: 1024 * 1024 + 1) },
        Case("TLS keys", ["data[tls.key]: Required value"]) {
            $0.type = "kubernetes.io/tls"
            $0.data["tls.crt"] = [1]
        },
        Case("service account token", ["metadata.annotations[kubernetes.io/service-account.name]: Required value"]) {
            $0.type = "kubernetes.io/service-account-token"
        },
    ]

    @Test(arguments: secretCases) func secretCreate(_ testCase: Case<Secret>) {
        var object = Secret(metadata: ObjectMeta(name: "creds", namespace: "default"), data: ["password": Array("hunter2".utf8)])
        object.applyDefaults()
        testCase.mutate(&object)
        #expect(object.validate(old: nil).map(\.description) == testCase.expected)
    }

    @Test func immutableSecret() {
        let old = Secret(metadata: ObjectMeta(name: "creds", namespace: "default"), immutable: true, data: ["a": [1]], type: "Opaque")
        var new = old
        new.data["a"] = [2]
        new.type = "kubernetes.io/basic-auth"
        new.immutable = false
        #expect(
            new.validate(old: old).map(\.description) == [
                #"type: Invalid value: "kubernetes.io/basic-auth": field is immutable"#,
                "immutable: Forbidden: field is immutable when `immutable` is set",
                "data: Forbidden: field is immutable when `immutable` is set",
                "data[username]: Required value", "data[password]: Required value",
            ])
    }

    static let configMapCases: [Case<ConfigMap>] = [
        Case("valid", []) { _ in },
        Case("bad key", [#"data[a b]: Invalid value: "a b": "# + configKeyMessage]) { $0.data["a b"] = "x" },
        Case("key in both maps", [#"data[shared]: Invalid value: "shared": duplicate of key present in binaryData"#]) {
            $0.data["shared"] = "x"
            $0.binaryData["shared"] = [1]
        },
        Case("too large", ["[]: Too long: must have at most 1048576 bytes"]) {
            $0.data["big"] = String(repeating: "x", count: 1024 * 1024)
            $0.binaryData["more"] = [1, 2]
        },
    ]

    @Test(arguments: configMapCases) func configMapCreate(_ testCase: Case<ConfigMap>) {
        var object = ConfigMap(metadata: ObjectMeta(name: "settings", namespace: "default"), data: ["ui.color": "blue"])
        testCase.mutate(&object)
        #expect(object.validate(old: nil).map(\.description) == testCase.expected)
    }

    @Test func immutableConfigMap() {
        let old = ConfigMap(metadata: ObjectMeta(name: "settings", namespace: "default"), data: ["a": "1"], immutable: true)
        var new = old
        new.data["a"] = "2"
        #expect(new.validate(old: old).map(\.description) == ["data: Forbidden: field is immutable when `immutable` is set"])
        var relabelled = old
        relabelled.metadata.labels["x"] = "y"
        #expect(relabelled.validate(old: old).isEmpty)
    }

    // MARK: Namespace, Node, ServiceAccount, Event

    static let namespaceCases: [Case<Namespace>] = [
        Case("valid", []) { _ in },
        Case("name must be a DNS label", [#"metadata.name: Invalid value: "team.a": "# + labelMessage]) { $0.metadata.name = "team.a" },
        Case("namespace of a namespace", ["metadata.namespace: Forbidden: not allowed on this type"]) { $0.metadata.namespace = "default" },
        Case("unqualified finalizer", [#"spec.finalizers[1]: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified"#]) {
            $0.spec.finalizers.append("cleanup")
        },
    ]

    @Test(arguments: namespaceCases) func namespaceCreate(_ testCase: Case<Namespace>) {
        var object = Namespace(metadata: ObjectMeta(name: "team-a"))
        object.applyDefaults()
        testCase.mutate(&object)
        #expect(object.validate(old: nil).map(\.description) == testCase.expected)
    }

    static let nodeCases: [Case<Node>] = [
        Case("valid", []) { _ in },
        Case("taint effect", [#"metadata.taints[0].effect: Unsupported value: "Evict": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute""#]) {
            $0.spec.taints = [Taint(key: "dedicated", effect: "Evict")]
        },
        Case("duplicate taint", [#"metadata.taints[1]: Duplicate value: core.Taint{Key:"dedicated", Value:"b", Effect:"NoSchedule", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair"#]) {
            $0.spec.taints = [Taint(key: "dedicated", value: "a", effect: "NoSchedule"), Taint(key: "dedicated", value: "b", effect: "NoSchedule")]
        },
        Case("pod CIDR", [#"spec.podCIDRs[0]: Invalid value: "10.244.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"#]) {
            $0.spec.podCIDRs = ["10.244.0.0/33"]
        },
        Case("two CIDRs of one family", [#"spec.podCIDRs: Invalid value: []string{"10.244.0.0/24", "10.245.0.0/24"}: may specify no more than one CIDR for each IP family"#]) {
            $0.spec.podCIDRs = ["10.244.0.0/24", "10.245.0.0/24"]
        },
        Case("dual stack", []) { $0.spec.podCIDRs = ["10.244.0.0/24", "fd00:10:244::/64"] },
    ]

    @Test(arguments: nodeCases) func nodeCreate(_ testCase: Case<Node>) {
        var object = Node(metadata: ObjectMeta(name: "node-1.example.com"))
        testCase.mutate(&object)
        #expect(object.validate(old: nil).map(\.description) == testCase.expected)
    }

    @Test func nodeUpdates() {
        var old = Node(metadata: ObjectMeta(name: "node-1"))
        old.spec.podCIDR = "10.244.0.0/24"
        old.spec.podCIDRs = ["10.244.0.0/24"]
        old.spec.providerID = "kind://node-1"
        var new = old
        new.spec.unschedulable = true
        #expect(new.validate(old: old).isEmpty)
        new.spec.podCIDRs = ["10.244.1.0/24"]
        new.spec.providerID = "other://node-1"
        #expect(
            new.validate(old: old).map(\.description) == [
                #"spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid"#,
                #"spec.providerID: Forbidden: node updates may not change providerID except from "" to valid"#,
            ])
    }

    @Test func serviceAccount() {
        let account = ServiceAccount(metadata: ObjectMeta(name: "builder", namespace: "ci"))
        #expect(account.validate(old: nil).isEmpty)
        let unnamed = ServiceAccount(metadata: ObjectMeta(namespace: "ci"))
        #expect(unnamed.validate(old: nil).map(\.description) == ["metadata.name: Required value: name or generateName is required"])
    }

    static let eventCases: [Case<Event>] = [
        Case("valid legacy event", []) { _ in },
        Case("namespace mismatch", [#"involvedObject.namespace: Invalid value: "other": does not match event.namespace"#]) {
            $0.involvedObject.namespace = "other"
        },
        Case("cluster-scoped object in default namespace", []) {
            $0.metadata.namespace = "default"
            $0.involvedObject.namespace = ""
        },
        // Upstream also runs the qualified-name check on the empty reporter.
        Case("new-style event needs reporter fields", [
            "reportingComponent: Required value", #"reportingComponent: Invalid value: "": name part must be non-empty"#,
            #"reportingComponent: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"#,
            "reportingInstance: Required value", "action: Required value",
        ]) {
            $0.eventTime = MicroTime(microsecondsSince1970: 1_700_000_000_000_000)
        },
    ]

    @Test(arguments: eventCases) func coreEvent(_ testCase: Case<Event>) {
        var object = Event(metadata: ObjectMeta(name: "web-7d9f.17a3c", namespace: "apps"))
        object.involvedObject = ObjectReference(kind: "Pod", namespace: "apps", name: "web-7d9f")
        object.reason = "Scheduled"
        object.message = "Successfully assigned apps/web-7d9f to node-1"
        testCase.mutate(&object)
        #expect(object.validate(old: nil).map(\.description) == testCase.expected)
    }

    @Test func eventsV1Event() {
        var event = EventsV1Event(metadata: ObjectMeta(name: "web.17a3c", namespace: "apps"))
        event.eventTime = MicroTime(microsecondsSince1970: 1_700_000_000_000_000)
        event.reportingController = "kubernetes.io/kubelet"
        event.reportingInstance = "kubelet-node-1"
        event.action = "Pulling"
        event.reason = "Pulling"
        event.type = "Normal"
        event.regarding = ObjectReference(kind: "Pod", namespace: "apps", name: "web")
        #expect(event.validate(old: nil).isEmpty)
        event.type = "Info"
        event.deprecatedCount = 3
        event.series = EventsV1EventSeries(count: 1, lastObservedTime: event.eventTime)
        #expect(
            event.validate(old: nil).map(\.description) == [
                #"series.count: Invalid value: "": should be at least 2"#, #"type: Invalid value: "": has invalid value: Info"#,
                #"count: Invalid value: "": needs to be unset"#,
            ])
    }

    // MARK: Storage

    static func volume() -> PersistentVolume {
        var volume = PersistentVolume(metadata: ObjectMeta(name: "pv-1"))
        volume.spec.capacity = ["storage": Quantity("10Gi")!]
        volume.spec.accessModes = ["ReadWriteOnce"]
        volume.spec.hostPath = HostPathVolumeSource(path: "/srv/data")
        volume.applyDefaults()
        return volume
    }

    static let volumeCases: [Case<PersistentVolume>] = [
        Case("valid", []) { _ in },
        Case("no source", ["spec: Required value: must specify a volume type"]) { $0.spec.hostPath = nil },
        Case("two sources", ["spec.local: Forbidden: may not specify more than 1 volume type"]) { $0.spec.local = LocalVolumeSource(path: "/mnt/disk") },
        Case("local needs node affinity", ["spec.nodeAffinity: Required value: Local volume requires node affinity"]) {
            $0.spec.hostPath = nil
            $0.spec.local = LocalVolumeSource(path: "/mnt/disk")
        },
        Case("access modes", [
            #"spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod""#
        ]) { $0.spec.accessModes = ["ReadWriteSometimes"] },
        Case("ReadWriteOncePod alone", ["spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes"]) {
            $0.spec.accessModes = ["ReadWriteOncePod", "ReadOnlyMany"]
        },
        Case("backsteps", [#"spec.hostPath.path: Invalid value: "/srv/../etc": must not contain '..'"#]) { $0.spec.hostPath?.path = "/srv/../etc" },
        Case("reclaim policy", [#"spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain""#]) {
            $0.spec.persistentVolumeReclaimPolicy = "Keep"
        },
        Case("capacity", [#"spec.capacity[storage]: Invalid value: "0": must be greater than zero"#]) { $0.spec.capacity["storage"] = Quantity(0) },
    ]

    @Test(arguments: volumeCases) func persistentVolumeCreate(_ testCase: Case<PersistentVolume>) {
        var object = Self.volume()
        testCase.mutate(&object)
        #expect(object.validate(old: nil).map(\.description) == testCase.expected)
    }

    @Test func persistentVolumeClaim() {
        var claim = PersistentVolumeClaim(metadata: ObjectMeta(name: "data", namespace: "default"))
        claim.spec.accessModes = ["ReadWriteOnce"]
        claim.spec.resources.requests = ["storage": Quantity("1Gi")!]
        claim.applyDefaults()
        #expect(claim.validate(old: nil).isEmpty)
        var invalid = claim
        invalid.spec.accessModes = []
        invalid.spec.resources.requests = [:]
        invalid.spec.volumeMode = "Raw"
        #expect(
            invalid.validate(old: nil).map(\.description) == [
                "spec.accessModes: Required value: at least 1 access mode is required", "spec.resources[storage]: Required value",
                #"spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem""#,
            ])
        var bound = claim
        bound.spec.volumeName = "pv-1"
        #expect(bound.validate(old: claim).isEmpty)
        var expanded = bound
        expanded.spec.resources.requests["storage"] = Quantity("2Gi")!
        #expect(expanded.validate(old: bound).isEmpty)
        var changed = bound
        changed.spec.accessModes = ["ReadOnlyMany"]
        #expect(
            changed.validate(old: bound).map(\.description) == [
                "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"
            ])
    }

    static let storageClassCases: [Case<StorageClass>] = [
        Case("valid", []) { _ in },
        Case("provisioner", ["provisioner: Required value"]) { $0.provisioner = "" },
        Case("reclaim policy", [#"reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain""#]) { $0.reclaimPolicy = "Recycle" },
        Case("binding mode", [#"volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer""#]) {
            $0.volumeBindingMode = "Later"
        },
        Case("topology", [
            "allowedTopologies[0].matchLabelExpressions[0].values: Required value: must specify as least one value",
        ]) {
            $0.allowedTopologies = [TopologySelectorTerm(matchLabelExpressions: [TopologySelectorLabelRequirement(key: "topology.kubernetes.io/zone")])]
        },
    ]

    @Test(arguments: storageClassCases) func storageClassCreate(_ testCase: Case<StorageClass>) {
        var object = StorageClass(metadata: ObjectMeta(name: "local-path"), provisioner: "rancher.io/local-path")
        object.applyDefaults()
        testCase.mutate(&object)
        #expect(object.validate(old: nil).map(\.description) == testCase.expected)
    }

    @Test func storageClassUpdates() {
        var old = StorageClass(metadata: ObjectMeta(name: "fast"), provisioner: "csi.example.com", parameters: ["type": "ssd"])
        old.applyDefaults()
        var new = old
        new.parameters["type"] = "hdd"
        new.reclaimPolicy = "Retain"
        #expect(
            new.validate(old: old).map(\.description) == [
                "parameters: Forbidden: updates to parameters are forbidden.", "reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.",
            ])
        var expandable = old
        expandable.allowVolumeExpansion = true
        #expect(expandable.validate(old: old).isEmpty)
    }

    // MARK: Coordination, discovery, networking, policy

    @Test func lease() {
        var lease = Lease(metadata: ObjectMeta(name: "kube-scheduler", namespace: "kube-system"))
        lease.spec.holderIdentity = "node-1_abc"
        lease.spec.leaseDurationSeconds = 15
        #expect(lease.validate(old: nil).isEmpty)
        lease.spec.leaseDurationSeconds = 0
        lease.spec.leaseTransitions = -1
        lease.spec.preferredHolder = "node-2"
        #expect(
            lease.validate(old: nil).map(\.description) == [
                "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0",
                "spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0",
                "spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined",
            ])
    }

    static func slice() -> EndpointSlice {
        var slice = EndpointSlice(metadata: ObjectMeta(name: "web-abc12", namespace: "default"), addressType: "IPv4")
        slice.endpoints = [Endpoint(addresses: ["10.244.0.7"], conditions: EndpointConditions(ready: true), nodeName: "node-1")]
        slice.ports = [DiscoveryEndpointPort(name: "http", port: 8080)]
        slice.applyDefaults()
        return slice
    }

    static let sliceCases: [Case<EndpointSlice>] = [
        Case("valid", []) { _ in },
        Case("address type", [#"addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6""#]) { $0.addressType = "IPv5" },
        Case("wrong family", [#"endpoints[0].addresses[0]: Invalid value: "fd00::7": must be an IPv4 address"#]) { $0.endpoints[0].addresses = ["fd00::7"] },
        Case("no addresses", ["endpoints[0].addresses: Required value: must contain at least 1 address"]) { $0.endpoints[0].addresses = [] },
        Case("duplicate port name", [#"ports[1].name: Duplicate value: "http""#]) {
            $0.ports.append(DiscoveryEndpointPort(name: "http", protocol: "UDP", port: 53))
        },
        Case("FQDN", []) {
            $0.addressType = "FQDN"
            $0.endpoints[0].addresses = ["db.example.com"]
        },
    ]

    @Test(arguments: sliceCases) func endpointSliceCreate(_ testCase: Case<EndpointSlice>) {
        var object = Self.slice()
        testCase.mutate(&object)
        #expect(object.validate(old: nil).map(\.description) == testCase.expected)
    }

    @Test func endpoints() {
        var endpoints = Endpoints(metadata: ObjectMeta(name: "web", namespace: "default"))
        endpoints.subsets = [EndpointSubset(addresses: [EndpointAddress(ip: "10.244.0.7")], ports: [EndpointPort(port: 8080)])]
        endpoints.applyDefaults()
        #expect(endpoints.validate(old: nil).isEmpty)
        endpoints.subsets[0].addresses[0].ip = "127.0.0.1"
        endpoints.subsets.append(EndpointSubset())
        #expect(
            endpoints.validate(old: nil).map(\.description) == [
                #"subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)"#,
                "subsets[1]: Required value: must specify `addresses` or `notReadyAddresses`",
            ])
    }

    static func ingress() -> Ingress {
        var ingress = Ingress(metadata: ObjectMeta(name: "web", namespace: "default"))
        let backend = IngressBackend(service: IngressServiceBackend(name: "web", port: ServiceBackendPort(number: 80)))
        ingress.spec.rules = [
            IngressRule(host: "www.example.com", http: HTTPIngressRuleValue(paths: [HTTPIngressPath(path: "/", pathType: "Prefix", backend: backend)]))
        ]
        return ingress
    }

    static let ingressCases: [Case<Ingress>] = [
        Case("valid", []) { _ in },
        Case("wildcard host", []) { $0.spec.rules[0].host = "*.example.com" },
        Case("IP host", [#"spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address"#]) { $0.spec.rules[0].host = "10.0.0.1" },
        Case("nothing to route", [#"spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified"#]) {
            $0.spec.rules = []
        },
        Case("path type missing", ["spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"]) {
            $0.spec.rules[0].http?.paths[0].pathType = nil
        },
        Case("relative prefix", [#"spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path"#]) {
            $0.spec.rules[0].http?.paths[0].path = "api"
        },
        Case("no port", ["spec.rules[0].http.paths[0].backend: Required value: port name or number is required"]) {
            $0.spec.rules[0].http?.paths[0].backend.service?.port = ServiceBackendPort()
        },
        Case("both backends", [#"spec.rules[0].http.paths[0].backend: Invalid value: "": cannot set both resource and service backends"#]) {
            $0.spec.rules[0].http?.paths[0].backend.resource = TypedLocalObjectReference(kind: "Bucket", name: "assets")
        },
    ]

    @Test(arguments: ingressCases) func ingressCreate(_ testCase: Case<Ingress>) {
        var object = Self.ingress()
        testCase.mutate(&object)
        #expect(object.validate(old: nil).map(\.description) == testCase.expected)
    }

    @Test func ingressClass() {
        var ingressClass = IngressClass(metadata: ObjectMeta(name: "nginx"))
        ingressClass.spec.controller = "k8s.io/ingress-nginx"
        #expect(ingressClass.validate(old: nil).isEmpty)
        var changed = ingressClass
        changed.spec.controller = "nginx"
        #expect(
            changed.validate(old: ingressClass).map(\.description) == [
                #"spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")"#,
                #"spec.controller: Invalid value: "nginx": field is immutable"#,
            ])
    }

    static let budgetCases: [Case<PodDisruptionBudget>] = [
        Case("valid", []) { _ in },
        Case("both bounds", ["spec: Invalid value: minAvailable and maxUnavailable cannot be both set"]) { $0.spec.maxUnavailable = 1 },
        Case("over 100%", [#"spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%"#]) {
            $0.spec.minAvailable = "150%"
        },
        Case("negative", ["spec.minAvailable: Invalid value: -1: must be greater than or equal to 0"]) { $0.spec.minAvailable = -1 },
        Case("eviction policy", [#"spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget""#]) {
            $0.spec.unhealthyPodEvictionPolicy = "Never"
        },
    ]

    @Test(arguments: budgetCases) func podDisruptionBudgetCreate(_ testCase: Case<PodDisruptionBudget>) {
        var object = PodDisruptionBudget(metadata: ObjectMeta(name: "web", namespace: "default"))
        object.spec.minAvailable = "50%"
        object.spec.selector = LabelSelector(matchLabels: ["app": "web"])
        testCase.mutate(&object)
        #expect(object.validate(old: nil).map(\.description) == testCase.expected)
    }

    @Test func limitRangeAndQuota() {
        var range = LimitRange(metadata: ObjectMeta(name: "limits", namespace: "default"))
        range.spec.limits = [LimitRangeItem(type: "Container", max: ["cpu": Quantity(1)], min: ["cpu": Quantity(2)])]
        #expect(range.validate(old: nil).map(\.description) == ["spec.limits[0].min[cpu]: Invalid value: 2: min value 2 is greater than max value 1"])
        range.spec.limits = [LimitRangeItem(type: "Pod", default: ["cpu": Quantity(1)]), LimitRangeItem(type: "Pod")]
        #expect(
            range.validate(old: nil).map(\.description) == [
                "spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'", #"spec.limits[1].type: Duplicate value: "Pod""#,
            ])

        var quota = ResourceQuota(metadata: ObjectMeta(name: "quota", namespace: "default"))
        quota.spec.hard = ["pods": Quantity(10), "requests.cpu": Quantity(4)]
        #expect(quota.validate(old: nil).isEmpty)
        quota.spec.scopes = ["BestEffort", "NotBestEffort"]
        quota.spec.hard["gpus"] = Quantity(1)
        #expect(
            quota.validate(old: nil).map(\.description) == [
                #"spec.hard[gpus]: Invalid value: "gpus": must be a standard resource for quota"#,
                #"spec.scopes: Invalid value: []string{"BestEffort", "NotBestEffort"}: conflicting scopes"#,
            ])
    }
}
