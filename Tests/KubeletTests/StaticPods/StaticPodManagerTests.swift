import Foundation
import KubeAPI
import KubeCore
import Kubelet
import Logging
import Synchronization
import Testing

/// An in-memory API for mirror pods: names to pods, UIDs assigned on create.
final class FakeMirrorPodClient: MirrorPodClient {
    let pods = Mutex<[String: Pod]>([:])
    let statusWrites = Mutex<[PodStatus]>([])
    private let counter = Atomic<Int>(0)

    func pod(namespace: String, name: String) async throws -> Pod? { pods.withLock { $0["\(namespace)/\(name)"] } }

    func create(_ pod: Pod) async throws {
        var created = pod
        created.metadata.uid = "api-\(counter.add(1, ordering: .relaxed).newValue)"
        try pods.withLock { table in
            let key = "\(pod.metadata.namespace)/\(pod.metadata.name)"
            if table[key] != nil { throw FakeError.alreadyExists }
            table[key] = created
        }
    }

    func delete(namespace: String, name: String, uid: String) async throws {
        pods.withLock { table in
            if table["\(namespace)/\(name)"]?.metadata.uid == uid { table.removeValue(forKey: "\(namespace)/\(name)") }
        }
    }

    func updateStatus(_ pod: Pod) async throws {
        pods.withLock { $0["\(pod.metadata.namespace)/\(pod.metadata.name)"]?.status = pod.status }
        statusWrites.withLock { $0.append(pod.status) }
    }

    func nodeUID(nodeName: String) async throws -> String { "uid-of-\(nodeName)" }

    func mirrorPodsOnNode() -> [Pod] { pods.withLock { Array($0.values) }.filter(StaticPodAnnotations.isMirror) }

    func only() -> Pod? { pods.withLock { $0.count == 1 ? $0.values.first : nil } }

    enum FakeError: Error { case alreadyExists }
}

/// Records what the manager hands to pod workers.
final class RecordingStaticPodWorkers: StaticPodWorkers {
    let changes = Mutex<[Pod]>([])
    let active = Mutex<Set<String>>([])
    func podChanged(_ pod: Pod) async { changes.withLock { $0.append(pod) } }
    var activeUIDs: Set<String> { active.withLock { $0 } }
}

/// The manifests a test's source returns.
final class ManifestBox: Sendable {
    private let texts = Mutex<[String]>([StaticPodManifestTests.yaml])
    func withLock<Result>(_ body: (inout [String]) -> Result) -> Result { texts.withLock { body(&$0) } }
}

/// Records what reaches the API writer for ordinary pods.
final class RecordingPodStatusWriter: PodStatusWriter {
    let deleted = Mutex<[String]>([])
    let written = Mutex<[String]>([])
    func writeStatus(_ status: PodStatus, of pod: Pod) async throws { written.withLock { $0.append(pod.metadata.name) } }
    func deleteTerminatedPod(_ pod: Pod) async throws { deleted.withLock { $0.append(pod.metadata.name) } }
    func recordEvent(about pod: Pod, fieldPath: String, warning: Bool, reason: String, message: String) {}
}

@Suite struct StaticPodManagerTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// A manager whose source returns whatever `manifests` holds.
    struct Fixture {
        let manifests = ManifestBox()
        let workers = RecordingStaticPodWorkers()
        let api = FakeMirrorPodClient()
        let base = RecordingPodStatusWriter()
        let writer: StaticPodStatusWriter
        let manager: StaticPodManager

        init() {
            let manifests = self.manifests
            writer = StaticPodStatusWriter(base: base, mirrors: api)
            manager = StaticPodManager(
                nodeName: "node-a",
                read: { now in
                    manifests.withLock { $0 }.compactMap {
                        try? StaticPodManifest.staticPod(from: Data($0.utf8), source: .file, nodeName: "node-a",
                                                         seen: now)
                    }
                },
                pollInterval: .seconds(1), workers: workers, mirrors: api, writer: writer,
                logger: Logger(label: "test"))
        }
    }

    @Test func startsAWorkerAndCreatesTheMirrorPod() async throws {
        let fixture = Fixture()
        await fixture.manager.syncOnce(now: Self.now)
        let started = fixture.workers.changes.withLock { $0 }
        #expect(started.map(\.metadata.name) == ["web-node-a"])
        let mirror = try #require(fixture.api.only())
        #expect(mirror.metadata.annotations[StaticPodAnnotations.mirror] == started[0].metadata.uid)
        #expect(mirror.metadata.ownerReferences.first?.uid == "uid-of-node-a")
        #expect(mirror.metadata.ownerReferences.first?.kind == "Node")

        // A second pass changes nothing.
        await fixture.manager.syncOnce(now: Self.now.addingTimeInterval(20))
        #expect(fixture.workers.changes.withLock { $0.count } == 1)
        #expect(fixture.api.only()?.metadata.uid == mirror.metadata.uid)
    }

    @Test func recreatesADeletedMirrorWithTheLastStatus() async throws {
        let fixture = Fixture()
        await fixture.manager.syncOnce(now: Self.now)
        let staticPod = try #require(fixture.manager.staticPods.first)
        var status = PodStatus()
        status.phase = "Running"
        try await fixture.writer.writeStatus(status, of: staticPod)
        #expect(fixture.api.only()?.status.phase == "Running")

        let mirror = try #require(fixture.api.only())
        try await fixture.api.delete(namespace: "default", name: "web-node-a", uid: mirror.metadata.uid)
        #expect(fixture.api.only() == nil)
        await fixture.manager.syncOnce(now: Self.now)
        let recreated = try #require(fixture.api.only())
        #expect(recreated.metadata.uid != mirror.metadata.uid)
        #expect(recreated.status.phase == "Running")
        #expect(fixture.workers.changes.withLock { $0.count } == 1)
    }

    @Test func replacesAMirrorBeingDeleted() async throws {
        let fixture = Fixture()
        await fixture.manager.syncOnce(now: Self.now)
        let mirror = try #require(fixture.api.only())
        fixture.api.pods.withLock { $0["default/web-node-a"]?.metadata.deletionTimestamp = RFC3339Time(Self.now) }
        await fixture.manager.syncOnce(now: Self.now)
        let replaced = try #require(fixture.api.only())
        #expect(replaced.metadata.uid != mirror.metadata.uid)
        #expect(replaced.metadata.deletionTimestamp == nil)
    }

    @Test func removedManifestStopsThePodAndDeletesTheMirror() async throws {
        let fixture = Fixture()
        await fixture.manager.syncOnce(now: Self.now)
        let staticPod = try #require(fixture.manager.staticPods.first)
        fixture.manifests.withLock { $0 = [] }
        await fixture.manager.syncOnce(now: Self.now)
        let last = try #require(fixture.workers.changes.withLock { $0.last })
        #expect(last.metadata.uid == staticPod.metadata.uid)
        #expect(last.metadata.deletionTimestamp != nil)
        #expect(fixture.api.only() == nil)
        #expect(fixture.manager.staticPods.isEmpty)
    }

    @Test func stoppingPodKeepsItsMirrorUntilItsWorkerDeletesIt() async throws {
        let fixture = Fixture()
        await fixture.manager.syncOnce(now: Self.now)
        let staticPod = try #require(fixture.manager.staticPods.first)
        fixture.workers.active.withLock { $0 = [staticPod.metadata.uid] }
        fixture.manifests.withLock { $0 = [] }
        await fixture.manager.syncOnce(now: Self.now)
        #expect(fixture.api.only() != nil)

        // The worker has stopped the pod and reports it terminated.
        let handed = try #require(fixture.workers.changes.withLock { $0.last })
        try await fixture.writer.deleteTerminatedPod(handed)
        #expect(fixture.api.only() == nil)
    }

    @Test func changedManifestReplacesThePodAndItsMirror() async throws {
        let fixture = Fixture()
        await fixture.manager.syncOnce(now: Self.now)
        let old = try #require(fixture.manager.staticPods.first)
        fixture.manifests.withLock { $0 = [StaticPodManifestTests.yaml + "\n    imagePullPolicy: Always"] }
        await fixture.manager.syncOnce(now: Self.now)
        let handed = fixture.workers.changes.withLock { $0 }
        #expect(handed.count == 3)
        #expect(handed[1].metadata.uid == old.metadata.uid && handed[1].metadata.deletionTimestamp != nil)
        #expect(handed[2].metadata.uid != old.metadata.uid && handed[2].metadata.deletionTimestamp == nil)
        let mirror = try #require(fixture.api.only())
        #expect(mirror.metadata.annotations[StaticPodAnnotations.mirror] == handed[2].metadata.uid)
    }

    @Test func firstScanWaitersResume() async {
        let fixture = Fixture()
        async let waited: Void = fixture.manager.waitForFirstScan()
        await fixture.manager.syncOnce(now: Self.now)
        await waited
        #expect(fixture.manager.staticPods.count == 1)
    }
}

@Suite struct StaticPodStatusWriterTests {
    @Test func terminatedStaticPodKeepsItsMirrorWhileConfigured() async throws {
        let fixture = StaticPodManagerTests.Fixture()
        await fixture.manager.syncOnce(now: StaticPodManagerTests.now)
        let staticPod = try #require(fixture.manager.staticPods.first)
        try await fixture.writer.deleteTerminatedPod(staticPod)
        #expect(fixture.api.only() != nil)
        #expect(fixture.base.deleted.withLock { $0 }.isEmpty)

        fixture.writer.setConfigured([])
        try await fixture.writer.deleteTerminatedPod(staticPod)
        #expect(fixture.api.only() == nil)
    }

    @Test func apiPodsGoToTheBaseWriter() async throws {
        let fixture = StaticPodManagerTests.Fixture()
        var pod = Pod()
        pod.metadata.name = "api-pod"
        pod.metadata.namespace = "default"
        try await fixture.writer.writeStatus(PodStatus(), of: pod)
        try await fixture.writer.deleteTerminatedPod(pod)
        #expect(fixture.base.written.withLock { $0 } == ["api-pod"])
        #expect(fixture.base.deleted.withLock { $0 } == ["api-pod"])
    }

    @Test func statusWithoutAMirrorFailsSoTheWorkerRetries() async throws {
        let fixture = StaticPodManagerTests.Fixture()
        let pod = try StaticPodManifest.staticPod(from: Data(StaticPodManifestTests.yaml.utf8), source: .file,
                                                  nodeName: "node-a", seen: StaticPodManagerTests.now)
        await #expect(throws: StaticPodError.self) {
            try await fixture.writer.writeStatus(PodStatus(), of: pod)
        }
    }
}
