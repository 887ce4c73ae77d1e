import Foundation
import KubeAPI
import KubeCore
import Kubelet
import Logging
import Synchronization
import Testing

@Suite struct StaticPodHTTPReaderTests {
    static let podList = """
        {"apiVersion":"v1","kind":"PodList","items":[
          {"metadata":{"name":"one"},"spec":{"containers":[{"name":"c","image":"busybox"}]}},
          {"metadata":{"name":"two","namespace":"ops"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}]}
        """

    @Test func bodyMayBeOnePodAPodListOrEmpty() throws {
        let now = StaticPodManifestTests.seen
        let single = try StaticPodHTTPReader.pods(from: Data(StaticPodManifestTests.yaml.utf8), nodeName: "n", now: now)
        #expect(single.map(\.metadata.name) == ["web-n"])
        #expect(single.first?.metadata.annotations[StaticPodAnnotations.source] == "http")
        let list = try StaticPodHTTPReader.pods(from: Data(Self.podList.utf8), nodeName: "n", now: now)
        #expect(list.map { "\($0.metadata.namespace)/\($0.metadata.name)" } == ["default/one-n", "ops/two-n"])
        #expect(Set(list.map(\.metadata.uid)).count == 2)
        #expect(try StaticPodHTTPReader.pods(from: Data(" \n".utf8), nodeName: "n", now: now).isEmpty)
    }

    @Test func fetchesFromALocalServerAndKeepsTheLastAnswerOnFailure() async throws {
        let answer = Mutex<ProbeTestHTTPServer.Reply>(.respond(status: 200, body: StaticPodManifestTests.yaml))
        let server = try ProbeTestHTTPServer { _ in answer.withLock { $0 } }
        defer { server.stop() }
        let reader = StaticPodHTTPReader(url: "http://127.0.0.1:\(server.port)/manifests", nodeName: "n")
        let logger = Logger(label: "test")
        let pods = await reader.read(now: Date(), logger: logger)
        #expect(pods?.map(\.metadata.name) == ["web-n"])
        #expect(server.requests.first?.target == "/manifests")

        let sources = StaticPodSources(directory: nil, http: reader, httpInterval: .seconds(0))
        #expect(await sources.read(now: Date(), logger: logger).count == 1)
        answer.withLock { $0 = .respond(status: 500, body: "broken") }
        #expect(await reader.read(now: Date(), logger: logger) == nil)
        #expect(await sources.read(now: Date(), logger: logger).map(\.metadata.name) == ["web-n"])
        answer.withLock { $0 = .respond(status: 200, body: "") }
        #expect(await sources.read(now: Date(), logger: logger).isEmpty)
    }
}
