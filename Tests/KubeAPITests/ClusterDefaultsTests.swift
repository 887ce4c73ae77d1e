import Foundation
import KubeAPI
import KubeCore
import Testing

/// Defaults of the core/v1 cluster kinds and of the discovery, networking and storage kinds, checked on
/// objects decoded from manifests.
@Suite struct ClusterDefaultsTests {
    private static func decode<Value: Decodable>(_ type: Value.Type, _ json: String) throws -> Value {
        try KubeJSON.decode(Value.self, from: Data(json.utf8))
    }

    struct Case<Object: Sendable>: Sendable, CustomTestStringConvertible {
        var name: String
        var json: String
        var check: @Sendable (Object) -> Void
        var testDescription: String { name }
    }

    static let serviceCases: [Case<Service>] = [
        Case(name: "ClusterIP service", json: #"{"spec":{"selector":{"app":"web"},"ports":[{"port":80},{"name":"tls","port":443,"targetPort":"https"}]}}"#) { service in
            #expect(service.spec.type == "ClusterIP")
            #expect(service.spec.sessionAffinity == "None")
            #expect(service.spec.ports.map(\.protocol) == ["TCP", "TCP"])
            #expect(service.spec.ports.map(\.targetPort) == [.int(80), .string("https")])
            #expect(service.spec.ipFamilyPolicy == "SingleStack")
            #expect(service.spec.internalTrafficPolicy == "Cluster")
            #expect(service.spec.externalTrafficPolicy == "")
            #expect(service.spec.allocateLoadBalancerNodePorts == nil)
        },
        Case(name: "LoadBalancer service", json: #"{"spec":{"type":"LoadBalancer","ports":[{"port":80,"protocol":"UDP"}]}}"#) { service in
            #expect(service.spec.externalTrafficPolicy == "Cluster")
            #expect(service.spec.allocateLoadBalancerNodePorts == true)
            #expect(service.spec.ports.first?.protocol == "UDP")
        },
        Case(name: "ClientIP affinity gets a timeout", json: #"{"spec":{"sessionAffinity":"ClientIP","ports":[{"port":80}]}}"#) { service in
            #expect(service.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds == 10800)
        },
        Case(name: "None affinity drops its config", json: #"{"spec":{"sessionAffinityConfig":{"clientIP":{"timeoutSeconds":5}},"ports":[{"port":80}]}}"#) { service in
            #expect(service.spec.sessionAffinityConfig == nil)
        },
        Case(name: "headless without selector", json: #"{"spec":{"clusterIP":"None"}}"#) { service in
            #expect(service.spec.clusterIPs == ["None"])
            #expect(service.spec.ipFamilyPolicy == "RequireDualStack")
        },
        Case(name: "ExternalName gets no IP fields", json: #"{"spec":{"type":"ExternalName","externalName":"db.example.com"}}"#) { service in
            #expect(service.spec.ipFamilyPolicy == nil)
            #expect(service.spec.internalTrafficPolicy == nil)
        },
    ]

    @Test(arguments: serviceCases) func service(_ testCase: Case<Service>) throws {
        var object = try Self.decode(Service.self, testCase.json)
        object.applyDefaults()
        testCase.check(object)
    }

    @Test func secretTypeAndStringData() throws {
        var secret = try Self.decode(Secret.self, #"{"data":{"a":"eA==","b":"eQ=="},"stringData":{"b":"two","c":"three"}}"#)
        secret.applyDefaults()
        #expect(secret.type == "Opaque")
        #expect(secret.data == ["a": Array("x".utf8), "b": Array("two".utf8), "c": Array("three".utf8)])
        #expect(secret.stringData.isEmpty)
        let json = String(decoding: try KubeJSON.encode(secret), as: UTF8.self)
        #expect(!json.contains("stringData"))
    }

    @Test func namespace() throws {
        var namespace = try Self.decode(Namespace.self, #"{"metadata":{"name":"team-a"}}"#)
        namespace.applyDefaults()
        #expect(namespace.spec.finalizers == ["kubernetes"])
        #expect(namespace.status.phase == "Active")
        #expect(namespace.metadata.labels["kubernetes.io/metadata.name"] == "team-a")
        // Finalizing a terminating namespace must not bring the finalizer back.
        var terminating = namespace
        terminating.status.phase = "Terminating"
        terminating.metadata.deletionTimestamp = RFC3339Time(secondsSince1970: 1_700_000_000)
        terminating.spec.finalizers = []
        terminating.applyDefaults()
        #expect(terminating.spec.finalizers.isEmpty)
    }

    @Test func persistentVolumes() throws {
        var volume = try Self.decode(PersistentVolume.self, #"{"spec":{"capacity":{"storage":"1Gi"},"hostPath":{"path":"/data"}}}"#)
        volume.applyDefaults()
        #expect(volume.spec.persistentVolumeReclaimPolicy == "Retain")
        #expect(volume.spec.volumeMode == "Filesystem")
        #expect(volume.spec.hostPath?.type == "")
        #expect(volume.status.phase == "Pending")

        var claim = try Self.decode(PersistentVolumeClaim.self, #"{"spec":{"volumeMode":"Block"}}"#)
        claim.applyDefaults()
        #expect(claim.spec.volumeMode == "Block")
        #expect(claim.status.phase == "Pending")
        var plain = try Self.decode(PersistentVolumeClaim.self, #"{"spec":{}}"#)
        plain.applyDefaults()
        #expect(plain.spec.volumeMode == "Filesystem")
    }

    @Test func storageClass() throws {
        var storageClass = try Self.decode(StorageClass.self, #"{"provisioner":"rancher.io/local-path"}"#)
        storageClass.applyDefaults()
        #expect(storageClass.reclaimPolicy == "Delete")
        #expect(storageClass.volumeBindingMode == "Immediate")
        var retained = try Self.decode(StorageClass.self, #"{"provisioner":"x","reclaimPolicy":"Retain","volumeBindingMode":"WaitForFirstConsumer"}"#)
        retained.applyDefaults()
        #expect(retained.reclaimPolicy == "Retain")
        #expect(retained.volumeBindingMode == "WaitForFirstConsumer")
    }

    @Test func endpointsAndSlices() throws {
        var endpoints = try Self.decode(Endpoints.self, #"{"subsets":[{"addresses":[{"ip":"10.0.0.5"}],"ports":[{"port":80},{"port":53,"protocol":"UDP"}]}]}"#)
        endpoints.applyDefaults()
        #expect(endpoints.subsets[0].ports.map(\.protocol) == ["TCP", "UDP"])
        var slice = try Self.decode(EndpointSlice.self, #"{"addressType":"IPv4","endpoints":[],"ports":[{"port":80}]}"#)
        slice.applyDefaults()
        #expect(slice.ports[0].name == "")
        #expect(slice.ports[0].protocol == "TCP")
    }

    @Test func nodeAllocatable() throws {
        var node = try Self.decode(Node.self, #"{"status":{"capacity":{"cpu":"2","memory":"4Gi"}}}"#)
        node.applyDefaults()
        #expect(node.status.allocatable == node.status.capacity)
    }

    @Test func limitRangeContainerDefaults() throws {
        var range = try Self.decode(
            LimitRange.self, #"{"spec":{"limits":[{"type":"Container","max":{"cpu":"2"},"min":{"memory":"64Mi"},"default":{"memory":"256Mi"}}]}}"#)
        range.applyDefaults()
        let item = range.spec.limits[0]
        #expect(item.default == ["cpu": Quantity(2), "memory": Quantity("256Mi")!])
        #expect(item.defaultRequest == ["cpu": Quantity(2), "memory": Quantity("256Mi")!])
    }

    @Test func ingressClassParametersScope() throws {
        var ingressClass = try Self.decode(
            IngressClass.self, #"{"spec":{"controller":"example.com/ingress","parameters":{"kind":"Config","name":"c"}}}"#)
        ingressClass.applyDefaults()
        #expect(ingressClass.spec.parameters?.scope == "Cluster")
    }
}
