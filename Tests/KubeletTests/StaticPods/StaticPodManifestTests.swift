import Foundation
import KubeAPI
import KubeCore
import Kubelet
import Logging
import Testing

@Suite struct StaticPodManifestTests {
    static let yaml = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          labels:
            app: web
        spec:
          containers:
          - name: nginx
            image: nginx:1.27
        """
    static let seen = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func yamlManifestBecomesANodeScopedStaticPod() throws {
        let pod = try StaticPodManifest.staticPod(from: Data(Self.yaml.utf8), source: .file, nodeName: "node-a",
                                                  seen: Self.seen)
        #expect(pod.metadata.name == "web-node-a")
        #expect(pod.metadata.namespace == "default")
        #expect(pod.metadata.uid.count == 32)
        #expect(pod.metadata.uid.allSatisfy { $0.isHexDigit })
        #expect(pod.spec.nodeName == "node-a")
        #expect(pod.metadata.labels["app"] == "web")
        #expect(pod.metadata.annotations[StaticPodAnnotations.hash] == pod.metadata.uid)
        #expect(pod.metadata.annotations[StaticPodAnnotations.source] == "file")
        #expect(pod.metadata.annotations[StaticPodAnnotations.seen] == RFC3339Time(Self.seen).description)
        #expect(pod.spec.restartPolicy == "Always")
        #expect(StaticPodAnnotations.isStatic(pod))
        #expect(!StaticPodAnnotations.isMirror(pod))
    }

    @Test func jsonManifestKeepsItsNamespace() throws {
        let json = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"db","namespace":"kube-system"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}"#
        let pod = try StaticPodManifest.staticPod(from: Data(json.utf8), source: .http, nodeName: "n1", seen: Self.seen)
        #expect(pod.metadata.name == "db-n1")
        #expect(pod.metadata.namespace == "kube-system")
        #expect(pod.metadata.annotations[StaticPodAnnotations.source] == "http")
    }

    @Test func uidChangesWithContentNodeAndSourceButNotWithTime() throws {
        let data = Data(Self.yaml.utf8)
        let base = try StaticPodManifest.staticPod(from: data, source: .file, nodeName: "a", seen: Self.seen)
        let later = try StaticPodManifest.staticPod(from: data, source: .file, nodeName: "a",
                                                    seen: Self.seen.addingTimeInterval(60))
        let otherNode = try StaticPodManifest.staticPod(from: data, source: .file, nodeName: "b", seen: Self.seen)
        let otherSource = try StaticPodManifest.staticPod(from: data, source: .http, nodeName: "a", seen: Self.seen)
        let edited = try StaticPodManifest.staticPod(from: Data((Self.yaml + "\n    imagePullPolicy: Always").utf8),
                                                     source: .file, nodeName: "a", seen: Self.seen)
        #expect(base.metadata.uid == later.metadata.uid)
        #expect(Set([base, otherNode, otherSource, edited].map(\.metadata.uid)).count == 4)
    }

    @Test func rejectsOtherKindsAndNamelessPods() {
        #expect(throws: StaticPodManifestError.wrongKind("Service")) {
            try StaticPodManifest.decode(Data("kind: Service\nmetadata: {name: s}\n".utf8))
        }
        #expect(throws: StaticPodManifestError.missingName) {
            try StaticPodManifest.staticPod(from: Data("kind: Pod\nspec: {containers: []}\n".utf8), source: .file,
                                            nodeName: "n", seen: Self.seen)
        }
        #expect(throws: StaticPodManifestError.notAnObject) {
            try StaticPodManifest.decode(Data("- a\n- b\n".utf8))
        }
    }

    @Test func mirrorPodCarriesTheHashAndANodeOwner() throws {
        let pod = try StaticPodManifest.staticPod(from: Data(Self.yaml.utf8), source: .file, nodeName: "node-a",
                                                  seen: Self.seen)
        let mirror = MirrorPod.of(pod, nodeName: "node-a", nodeUID: "node-uid")
        #expect(mirror.metadata.uid == "")
        #expect(mirror.metadata.name == pod.metadata.name)
        #expect(mirror.metadata.annotations[StaticPodAnnotations.mirror] == pod.metadata.uid)
        #expect(mirror.metadata.ownerReferences == [
            OwnerReference(apiVersion: "v1", kind: "Node", name: "node-a", uid: "node-uid", controller: true)
        ])
        #expect(StaticPodAnnotations.isMirror(mirror, of: pod))
        #expect(StaticPodAnnotations.isMirror(mirror))
        #expect(!StaticPodAnnotations.isStatic(mirror))
    }
}

@Suite struct StaticPodChangesTests {
    static func pod(_ name: String, uid: String) -> Pod {
        var pod = Pod()
        pod.metadata.namespace = "default"
        pod.metadata.name = name
        pod.metadata.uid = uid
        return pod
    }

    @Test func addsReplacesAndRemovesByName() {
        let current = [Self.pod("a", uid: "1"), Self.pod("b", uid: "2"), Self.pod("c", uid: "3")]
        let desired = [Self.pod("a", uid: "1"), Self.pod("b", uid: "2x"), Self.pod("d", uid: "4")]
        let changes = StaticPodChanges.between(current: current, desired: desired)
        #expect(changes.added.map(\.metadata.uid) == ["4"])
        #expect(changes.replaced.map { [$0.old.metadata.uid, $0.new.metadata.uid] } == [["2", "2x"]])
        #expect(changes.removed.map(\.metadata.uid) == ["3"])
    }

    @Test func unchangedSetHasNoChangesAndDuplicatesKeepTheFirst() {
        let pods = [Self.pod("a", uid: "1")]
        #expect(StaticPodChanges.between(current: pods, desired: pods).isEmpty)
        let changes = StaticPodChanges.between(current: [], desired: [Self.pod("a", uid: "1"), Self.pod("a", uid: "9")])
        #expect(changes.added.map(\.metadata.uid) == ["1"])
    }
}

@Suite struct StaticPodDirectoryReaderTests {
    @Test func readsManifestsAndSkipsHiddenBrokenAndDirectories() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("swiftlet-static-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(StaticPodManifestTests.yaml.utf8).write(to: URL(fileURLWithPath: directory + "/web.yaml"))
        try Data(StaticPodManifestTests.yaml.utf8).write(to: URL(fileURLWithPath: directory + "/.web.yaml.swp"))
        try Data("kind: Pod\nmetadata: [".utf8).write(to: URL(fileURLWithPath: directory + "/broken.yaml"))
        try FileManager.default.createDirectory(atPath: directory + "/sub", withIntermediateDirectories: true)
        let reader = StaticPodDirectoryReader(directory: directory, nodeName: "n")
        let pods = reader.read(now: StaticPodManifestTests.seen, logger: .init(label: "test"))
        #expect(pods.map(\.metadata.name) == ["web-n"])
        #expect(StaticPodDirectoryReader(directory: directory + "/missing", nodeName: "n")
            .read(now: Date(), logger: .init(label: "test")).isEmpty)
    }
}
