import ControllerRuntime
import KubeAPI
import KubeClient
import KubeCore
import Logging
import Testing

@Suite struct InformerTests {
    static func podJSON(_ name: String, _ version: String) -> String {
        #"{"metadata":{"namespace":"default","name":"\#(name)","resourceVersion":"\#(version)"}}"#
    }

    static func list(_ version: String, _ pods: [String]) -> String {
        #"{"metadata":{"resourceVersion":"\#(version)"},"items":[\#(pods.joined(separator: ","))]}"#
    }

    static func describe(_ event: InformerEvent<Pod>) -> String {
        switch event {
        case .added(let pod): "added \(pod.metadata.name)@\(pod.metadata.resourceVersion)"
        case .updated(_, let pod): "updated \(pod.metadata.name)@\(pod.metadata.resourceVersion)"
        case .deleted(let pod): "deleted \(pod.metadata.name)"
        }
    }

    @Test func listsWatchesAndRelistsOnGone() async throws {
        let transport = ScriptedTransport(lists: [
            Self.list("10", [Self.podJSON("a", "5"), Self.podJSON("b", "6")]),
            Self.list("20", [Self.podJSON("c", "19")]),
        ])
        let client = APIClient(transport: transport, userAgent: "test")
        let informer = Informer<Pod>(client: client, logger: Logger(label: "test"))
        let (events, continuation) = AsyncStream.makeStream(of: String.self)
        informer.addHandler { continuation.yield(Self.describe($0)) }
        let running = Task { try await informer.run() }
        defer { running.cancel() }
        var received = events.makeAsyncIterator()
        var watches = transport.watches.makeAsyncIterator()

        #expect(await received.next() == "added a@5")
        #expect(await received.next() == "added b@6")
        await informer.waitUntilSynced()
        #expect(informer.hasSynced)

        let first = try #require(await watches.next())
        #expect(first.query.contains("resourceVersion=10"))
        #expect(first.query.contains("watch=true"))
        first.continuation.yield(Array(#"{"type":"MODIFIED","object":\#(Self.podJSON("a", "11"))}"#.utf8) + [10])
        // One line split over two chunks.
        let deleted = Array(#"{"type":"DELETED","object":\#(Self.podJSON("b", "12"))}"#.utf8) + [10]
        first.continuation.yield(Array(deleted[..<7]))
        first.continuation.yield(Array(deleted[7...]))
        #expect(await received.next() == "updated a@11")
        #expect(await received.next() == "deleted b")
        #expect(informer.cache.get(namespace: "default", name: "a")?.metadata.resourceVersion == "11")

        let gone = #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 12 (15)","reason":"Expired","code":410}}"#
        first.continuation.yield(Array(gone.utf8) + [10])
        // The relist replaces the cache: a is gone, c arrives.
        var afterRelist: Set<String> = []
        afterRelist.insert(await received.next() ?? "")
        afterRelist.insert(await received.next() ?? "")
        #expect(afterRelist == ["added c@19", "deleted a"])
        #expect(informer.cache.keys.map(\.description) == ["default/c"])

        let second = try #require(await watches.next())
        #expect(second.query.contains("resourceVersion=20"))
    }
}
