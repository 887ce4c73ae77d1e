import Foundation
import KubeAPI
import KubeCore
import Kubelet
import Testing

/// configMap, secret, downwardAPI and projected volumes written into a temporary kubelet directory.
@Suite struct ConfigurationVolumeTests {
    @Test func configMapVolumeProjectsEveryKeyAsSymlinkIntoData() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let objects = FakePodObjectSource()
        objects.putConfigMap("default", "settings", ["app.conf": "port=80\n", "mode": "prod"])
        let clock = ManualTestClock()
        let manager = PodVolumeManager(kubeletDirectory: directory.path, objects: objects, clock: clock.function)
        let pod = makePod(volumes: [Volume(name: "cfg", configMap: ConfigMapVolumeSource(name: "settings"))])

        let volumes = try await manager.setUp(pod: pod)

        let volume = try #require(volumes["cfg"])
        #expect(volume.hostPath == "\(directory.path)/pods/\(pod.metadata.uid)/volumes/kubernetes.io~configmap/cfg")
        #expect(volume.readOnly)
        #expect(VolumeTestFiles.text(volume.hostPath + "/app.conf") == "port=80\n")
        #expect(VolumeTestFiles.text(volume.hostPath + "/mode") == "prod")
        #expect(VolumeTestFiles.linkTarget(volume.hostPath + "/mode") == "..data/mode")
        let version = try #require(VolumeTestFiles.linkTarget(volume.hostPath + "/..data"))
        #expect(version.hasPrefix("..2026_11_28_12_00_00."))
        #expect(VolumeTestFiles.mode(volume.hostPath + "/mode") == 0o644)
    }

    @Test func itemsChooseKeysPathsAndModes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let objects = FakePodObjectSource()
        objects.putConfigMap("default", "settings", ["a": "A", "b": "B", "c": "C"])
        let manager = PodVolumeManager(kubeletDirectory: directory.path, objects: objects)
        let source = ConfigMapVolumeSource(
            name: "settings", items: [KeyToPath(key: "a", path: "nested/dir/a.txt"), KeyToPath(key: "b", path: "b", mode: 0o600)],
            defaultMode: 0o440)
        let pod = makePod(volumes: [Volume(name: "cfg", configMap: source)])

        let root = try #require(try await manager.setUp(pod: pod)["cfg"]).hostPath

        #expect(VolumeTestFiles.text(root + "/nested/dir/a.txt") == "A")
        #expect(VolumeTestFiles.linkTarget(root + "/nested") == "..data/nested")
        #expect(VolumeTestFiles.mode(root + "/nested/dir/a.txt") == 0o440)
        #expect(VolumeTestFiles.mode(root + "/b") == 0o600)
        #expect(!VolumeTestFiles.exists(root + "/c"))
    }

    @Test func missingConfigMapFailsUnlessOptional() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let manager = PodVolumeManager(kubeletDirectory: directory.path, objects: FakePodObjectSource())
        let optionalPod = makePod(volumes: [Volume(name: "cfg", configMap: ConfigMapVolumeSource(name: "absent", optional: true))])
        let root = try #require(try await manager.setUp(pod: optionalPod)["cfg"]).hostPath
        #expect(VolumeTestFiles.isSymlink(root + "/..data"))

        let requiredPod = makePod(volumes: [Volume(name: "cfg", configMap: ConfigMapVolumeSource(name: "absent"))])
        let error = await #expect(throws: VolumeError.self) { try await manager.setUp(pod: requiredPod) }
        #expect(error?.description == #"MountVolume.SetUp failed for volume "cfg" : configmap "absent" not found"#)
    }

    @Test func missingItemKeyFailsUnlessOptional() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let objects = FakePodObjectSource()
        objects.putConfigMap("default", "settings", ["a": "A"])
        objects.putSecret("default", "creds", ["user": "admin"])
        let manager = PodVolumeManager(kubeletDirectory: directory.path, objects: objects)
        let items = [KeyToPath(key: "a", path: "a"), KeyToPath(key: "zz", path: "zz")]

        let error = await #expect(throws: VolumeError.self) {
            try await manager.setUp(pod: makePod(volumes: [Volume(name: "cfg", configMap: ConfigMapVolumeSource(name: "settings", items: items))]))
        }
        #expect(error?.description == #"MountVolume.SetUp failed for volume "cfg" : configmap references non-existent config key: zz"#)

        let secretError = await #expect(throws: VolumeError.self) {
            try await manager.setUp(pod: makePod(volumes: [Volume(name: "s", secret: SecretVolumeSource(
                secretName: "creds", items: [KeyToPath(key: "password", path: "p")]))]))
        }
        #expect(secretError?.description == #"MountVolume.SetUp failed for volume "s" : references non-existent secret key: password"#)

        let pod = makePod(volumes: [Volume(name: "cfg", configMap: ConfigMapVolumeSource(name: "settings", items: items, optional: true))])
        let root = try #require(try await manager.setUp(pod: pod)["cfg"]).hostPath
        #expect(VolumeTestFiles.text(root + "/a") == "A")
        #expect(!VolumeTestFiles.exists(root + "/zz"))
    }

    @Test func secretVolumeWritesBytesWithDefaultMode() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let objects = FakePodObjectSource()
        objects.put(Secret(metadata: ObjectMeta(name: "creds", namespace: "default"),
                           data: ["password": [0x73, 0x33, 0x63, 0x00, 0xFF]]))
        let manager = PodVolumeManager(kubeletDirectory: directory.path, objects: objects)
        let pod = makePod(volumes: [Volume(name: "s", secret: SecretVolumeSource(secretName: "creds", defaultMode: 0o400))])

        let volume = try #require(try await manager.setUp(pod: pod)["s"])

        #expect(volume.hostPath.hasSuffix("/volumes/kubernetes.io~secret/s"))
        #expect(FileManager.default.contents(atPath: volume.hostPath + "/password").map { [UInt8]($0) } == [0x73, 0x33, 0x63, 0x00, 0xFF])
        #expect(VolumeTestFiles.mode(volume.hostPath + "/password") == 0o400)

        let missing = await #expect(throws: VolumeError.self) {
            try await manager.setUp(pod: makePod(volumes: [Volume(name: "s", secret: SecretVolumeSource(secretName: "nope"))]))
        }
        #expect(missing?.description == #"MountVolume.SetUp failed for volume "s" : secret "nope" not found"#)
    }

    @Test func downwardAPIVolumeWritesMetadataAndResources() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let manager = PodVolumeManager(kubeletDirectory: directory.path, objects: FakePodObjectSource(),
                                       nodeAllocatable: ["cpu": Quantity("4")!, "memory": Quantity("8Gi")!])
        var container = Container(name: "app", image: "busybox")
        container.resources.limits = ["memory": Quantity("64Mi")!]
        let items = [
            DownwardAPIVolumeFile(path: "name", fieldRef: ObjectFieldSelector(apiVersion: "v1", fieldPath: "metadata.name")),
            DownwardAPIVolumeFile(path: "labels", fieldRef: ObjectFieldSelector(fieldPath: "metadata.labels")),
            DownwardAPIVolumeFile(path: "tier", fieldRef: ObjectFieldSelector(fieldPath: "metadata.labels['tier']")),
            DownwardAPIVolumeFile(path: "mem", resourceFieldRef: ResourceFieldSelector(
                containerName: "app", resource: "limits.memory", divisor: Quantity("1Mi")!)),
            DownwardAPIVolumeFile(path: "cpu", resourceFieldRef: ResourceFieldSelector(
                containerName: "app", resource: "limits.cpu", divisor: Quantity("1m")!), mode: 0o600),
        ]
        let pod = makePod(volumes: [Volume(name: "info", downwardAPI: DownwardAPIVolumeSource(items: items))],
                          containers: [container], labels: ["app": "web", "tier": "front \"end\""])

        let root = try #require(try await manager.setUp(pod: pod)["info"]).hostPath

        #expect(VolumeTestFiles.text(root + "/name") == "web")
        #expect(VolumeTestFiles.text(root + "/labels") == "app=\"web\"\ntier=\"front \\\"end\\\"\"")
        #expect(VolumeTestFiles.text(root + "/tier") == "front \"end\"")
        #expect(VolumeTestFiles.text(root + "/mem") == "64")
        #expect(VolumeTestFiles.text(root + "/cpu") == "4000")
        #expect(VolumeTestFiles.mode(root + "/cpu") == 0o600)

        let bad = makePod(volumes: [Volume(name: "info", downwardAPI: DownwardAPIVolumeSource(items: [
            DownwardAPIVolumeFile(path: "x", resourceFieldRef: ResourceFieldSelector(containerName: "ghost", resource: "limits.cpu")),
        ]))])
        let error = await #expect(throws: VolumeError.self) { try await manager.setUp(pod: bad) }
        #expect(error?.description == #"MountVolume.SetUp failed for volume "info" : container ghost not found"#)
    }

    @Test func serviceAccountAccessVolumeHasTokenCertificateAndNamespace() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let objects = FakePodObjectSource()
        objects.putConfigMap("team-a", "kube-root-ca.crt", ["ca.crt": "-----BEGIN CERTIFICATE-----\n"])
        let manager = PodVolumeManager(kubeletDirectory: directory.path, objects: objects)
        let pod = makePod(namespace: "team-a", volumes: [Self.kubeAPIAccessVolume(name: "kube-api-access-x7k2q")])

        let volume = try #require(try await manager.setUp(pod: pod)["kube-api-access-x7k2q"])

        #expect(volume.hostPath.hasSuffix("/volumes/kubernetes.io~projected/kube-api-access-x7k2q"))
        #expect(volume.readOnly)
        #expect(VolumeTestFiles.text(volume.hostPath + "/token") == "token-1")
        #expect(VolumeTestFiles.text(volume.hostPath + "/ca.crt") == "-----BEGIN CERTIFICATE-----\n")
        #expect(VolumeTestFiles.text(volume.hostPath + "/namespace") == "team-a")
        #expect(VolumeTestFiles.mode(volume.hostPath + "/token") == 0o644)
        #expect(objects.tokenCalls == [FakePodObjectSource.TokenCall(
            namespace: "team-a", serviceAccountName: "default", audiences: [], expirationSeconds: 3607,
            podName: "web", podUID: pod.metadata.uid)])
    }

    @Test func projectedSourcesAggregateFailures() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let manager = PodVolumeManager(kubeletDirectory: directory.path, objects: FakePodObjectSource())
        let pod = makePod(volumes: [Volume(name: "all", projected: ProjectedVolumeSource(sources: [
            VolumeProjection(configMap: ConfigMapProjection(name: "one")),
            VolumeProjection(secret: SecretProjection(name: "two")),
            VolumeProjection(secret: SecretProjection(name: "three", optional: true)),
        ]))])

        let error = await #expect(throws: VolumeError.self) { try await manager.setUp(pod: pod) }

        #expect(error?.description == #"MountVolume.SetUp failed for volume "all" : [configmap "one" not found, secret "two" not found]"#)
    }

    @Test func unreachableAPIServerIsReported() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let objects = FakePodObjectSource()
        objects.failAll("connection refused")
        let manager = PodVolumeManager(kubeletDirectory: directory.path, objects: objects)
        let pod = makePod(volumes: [Volume(name: "cfg", configMap: ConfigMapVolumeSource(name: "settings"))])

        let error = await #expect(throws: VolumeError.self) { try await manager.setUp(pod: pod) }

        #expect(error?.description == #"MountVolume.SetUp failed for volume "cfg" : couldn't get configmap default/settings: connection refused"#)
    }

    @Test func unsupportedVolumeTypesAreRejected() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let manager = PodVolumeManager(kubeletDirectory: directory.path, objects: FakePodObjectSource())
        let pod = makePod(volumes: [Volume(name: "data", persistentVolumeClaim: PersistentVolumeClaimVolumeSource(claimName: "pvc"))])

        let error = await #expect(throws: VolumeError.self) { try await manager.setUp(pod: pod) }

        #expect(error?.problem == .unsupportedVolumeType("persistentVolumeClaim"))
    }

    static func kubeAPIAccessVolume(name: String) -> Volume {
        Volume(name: name, projected: ProjectedVolumeSource(sources: [
            VolumeProjection(serviceAccountToken: ServiceAccountTokenProjection(expirationSeconds: 3607, path: "token")),
            VolumeProjection(configMap: ConfigMapProjection(name: "kube-root-ca.crt", items: [KeyToPath(key: "ca.crt", path: "ca.crt")])),
            VolumeProjection(downwardAPI: DownwardAPIProjection(items: [
                DownwardAPIVolumeFile(path: "namespace", fieldRef: ObjectFieldSelector(apiVersion: "v1", fieldPath: "metadata.namespace")),
            ])),
        ], defaultMode: 420))
    }
}
