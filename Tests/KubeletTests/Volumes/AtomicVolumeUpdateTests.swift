import Foundation
import KubeAPI
import KubeCore
import Kubelet
import Testing

/// `refresh(pod:)`: new object content appears through a new `..data` version; unchanged content writes nothing.
@Suite struct AtomicVolumeUpdateTests {
    @Test func configMapChangeSwapsDataLinkAndRemovesOldVersion() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let objects = FakePodObjectSource()
        objects.putConfigMap("default", "settings", ["greeting": "hello", "old": "x"])
        let clock = ManualTestClock()
        let manager = PodVolumeManager(kubeletDirectory: directory.path, objects: objects, clock: clock.function)
        let pod = makePod(volumes: [Volume(name: "cfg", configMap: ConfigMapVolumeSource(name: "settings"))])
        let root = try #require(try await manager.setUp(pod: pod)["cfg"]).hostPath
        let firstVersion = try #require(VolumeTestFiles.linkTarget(root + "/..data"))

        #expect(try await manager.refresh(pod: pod) == [])
        #expect(VolumeTestFiles.linkTarget(root + "/..data") == firstVersion)

        clock.advance(by: 61)
        objects.putConfigMap("default", "settings", ["greeting": "bonjour", "new": "y"])
        let changed = try await manager.refresh(pod: pod)

        #expect(changed == ["cfg"])
        let secondVersion = try #require(VolumeTestFiles.linkTarget(root + "/..data"))
        #expect(secondVersion != firstVersion)
        #expect(secondVersion.hasPrefix("..2026_11_28_12_01_01."))
        #expect(!VolumeTestFiles.exists(root + "/" + firstVersion))
        #expect(VolumeTestFiles.text(root + "/greeting") == "bonjour")
        #expect(VolumeTestFiles.text(root + "/new") == "y")
        #expect(!VolumeTestFiles.exists(root + "/old"))
        #expect(!VolumeTestFiles.exists(root + "/..data_tmp"))
    }

    @Test func labelChangeRewritesDownwardAPIFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let manager = PodVolumeManager(kubeletDirectory: directory.path, objects: FakePodObjectSource())
        var pod = makePod(volumes: [Volume(name: "info", downwardAPI: DownwardAPIVolumeSource(items: [
            DownwardAPIVolumeFile(path: "labels", fieldRef: ObjectFieldSelector(fieldPath: "metadata.labels")),
        ]))], labels: ["version": "1"])
        let root = try #require(try await manager.setUp(pod: pod)["info"]).hostPath

        pod.metadata.labels["version"] = "2"
        #expect(try await manager.refresh(pod: pod) == ["info"])

        #expect(VolumeTestFiles.text(root + "/labels") == "version=\"2\"")
    }

    @Test func tokenIsRotatedAtEightyPercentOfItsLifetime() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = ManualTestClock()
        let objects = FakePodObjectSource(tokenLifetime: 1000, clock: clock.function)
        objects.putConfigMap("default", "kube-root-ca.crt", ["ca.crt": "CA"])
        let manager = PodVolumeManager(kubeletDirectory: directory.path, objects: objects, clock: clock.function)
        let pod = makePod(volumes: [ConfigurationVolumeTests.kubeAPIAccessVolume(name: "kube-api-access-abcde")])
        let root = try #require(try await manager.setUp(pod: pod)["kube-api-access-abcde"]).hostPath

        clock.advance(by: 700)
        #expect(try await manager.refresh(pod: pod) == [])
        #expect(VolumeTestFiles.text(root + "/token") == "token-1")

        clock.advance(by: 101)
        #expect(try await manager.refresh(pod: pod) == ["kube-api-access-abcde"])
        #expect(VolumeTestFiles.text(root + "/token") == "token-2")
        #expect(objects.tokenCalls.count == 2)
    }

    @Test func tearDownRemovesThePodsVolumes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let objects = FakePodObjectSource()
        objects.putConfigMap("default", "settings", ["a": "A"])
        let manager = PodVolumeManager(kubeletDirectory: directory.path, objects: objects)
        let pod = makePod(volumes: [
            Volume(name: "cfg", configMap: ConfigMapVolumeSource(name: "settings")),
            Volume(name: "scratch", emptyDir: EmptyDirVolumeSource()),
        ])
        _ = try await manager.setUp(pod: pod)
        #expect(manager.podUIDsWithVolumes() == [pod.metadata.uid])

        try await manager.tearDown(podUID: pod.metadata.uid)
        try await manager.tearDown(podUID: pod.metadata.uid)

        #expect(!VolumeTestFiles.exists(manager.volumesDirectory(podUID: pod.metadata.uid)))
        #expect(manager.podUIDsWithVolumes() == [])
    }
}
