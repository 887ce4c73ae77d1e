@testable import APIServer
import Foundation
import KubeCore
import Synchronization
import Testing

/// pods/log, exec and attach validation with upstream's messages, through the handler (no network).
struct PodStreamRequestTests {
    static let twoContainers: JSONValue = [
        "metadata": ["name": "web"],
        "spec": [
            "initContainers": [["name": "init"]],
            "containers": [["name": "a"], ["name": "b"]],
            "ephemeralContainers": [["name": "debug"]],
        ],
    ]

    @Test func containerChoice() throws {
        #expect(try PodStreamRequest.container(named: "", in: ["metadata": ["name": "p"], "spec": ["containers": [["name": "only"]]]]) == "only")
        #expect(try PodStreamRequest.container(named: "init", in: Self.twoContainers) == "init")
        #expect(try PodStreamRequest.container(named: "debug", in: Self.twoContainers) == "debug")
        #expect(throws: APIError.badRequest("a container name must be specified for pod web, choose one of: [init a b debug]")) {
            try PodStreamRequest.container(named: "", in: Self.twoContainers)
        }
        #expect(throws: APIError.badRequest("container x is not valid for pod web")) {
            try PodStreamRequest.container(named: "x", in: Self.twoContainers)
        }
        #expect(throws: APIError.badRequest("a container name must be specified for pod e")) {
            try PodStreamRequest.container(named: "", in: ["metadata": ["name": "e"], "spec": [:]])
        }
    }

    @Test func logOptionsParseAndValidate() throws {
        let options = try PodStreamRequest.logOptions(
            QueryParameters(query: "follow=true&tailLines=5&timestamps=1&limitBytes=10&sinceTime=2024-01-02T03:04:05Z"),
            podName: "p")
        #expect(options.follow && options.timestamps && !options.previous)
        #expect(options.tailLines == 5)
        #expect(options.limitBytes == 10)
        #expect(options.sinceTime == Date(timeIntervalSince1970: 1_704_164_645))
        do {
            _ = try PodStreamRequest.logOptions(QueryParameters(query: "tailLines=-1&limitBytes=0"), podName: "p")
            Issue.record("negative tailLines accepted")
        } catch let error as APIError {
            #expect(error.httpStatusCode == 422)
            #expect(error.message == #"PodLogOptions "p" is invalid: [tailLines: Invalid value: -1: must be greater than or equal to 0, limitBytes: Invalid value: 0: must be greater than 0]"#)
        }
        do {
            _ = try PodStreamRequest.logOptions(
                QueryParameters(query: "sinceSeconds=5&sinceTime=2024-01-02T03:04:05Z"), podName: "p")
            Issue.record("sinceSeconds with sinceTime accepted")
        } catch let error as APIError {
            #expect(error.message.contains("at most one of `sinceTime` or `sinceSeconds` may be specified"))
        }
        #expect(throws: APIError.self) { try PodStreamRequest.logOptions(QueryParameters(query: "tailLines=x"), podName: "p") }
    }

    @Test func streamFlags() throws {
        let tty = try PodStreamRequest.streamOptions(QueryParameters(query: "stdin=true&stdout=true&stderr=true&tty=true"))
        #expect(tty == ContainerStreamOptions(stdin: true, stdout: true, stderr: false, tty: true))
        #expect(throws: APIError.badRequest("you must specify at least 1 of stdin, stdout, stderr")) {
            try PodStreamRequest.streamOptions(QueryParameters(query: "tty=true"))
        }
    }

    @Test func handlerRoutesLogAndRefusesPlainExec() async throws {
        let api = try await InProcessAPI()
        api.handler.podStreaming.set(FakePodStreamingBackend())
        try await api.ok("POST", "/api/v1/namespaces/default/pods", json:
            #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"one"},"spec":{"nodeName":"n1","containers":[{"name":"main","image":"x"}]}}"#)
        let log = await api.handler.handle(APIRequest(method: "GET", path: "/api/v1/namespaces/default/pods/one/log"))
        #expect(log.status == 200)
        #expect(log.headers.contains { $0 == ("Content-Type", "text/plain") })
        guard case .stream(let producer) = log.body else {
            Issue.record("log body is not streamed")
            return
        }
        let collected = CollectedBytes()
        try await producer { chunk in collected.append(chunk) }
        #expect(String(decoding: collected.bytes, as: UTF8.self) == "main log\n")
        let waiting = try await api.send("GET", "/api/v1/namespaces/default/pods/one/log", query: "container=main&previous=true")
        #expect(waiting.status == 400)
        #expect(waiting.body["message"] == #"previous terminated container "main" in pod "one" not found"#)
        let invalid = try await api.send("GET", "/api/v1/namespaces/default/pods/one/log", query: "tailLines=-3")
        #expect(invalid.status == 422)
        let plainExec = try await api.send("POST", "/api/v1/namespaces/default/pods/one/exec", query: "command=ls&stdout=true")
        #expect(plainExec.status == 400)
        #expect(plainExec.body["message"] == "Upgrade request required")
        let noCommand = try await api.send("POST", "/api/v1/namespaces/default/pods/one/exec", query: "stdout=true")
        #expect(noCommand.body["message"] == "you must specify at least one command for the container")
        let wrongVerb = try await api.send("DELETE", "/api/v1/namespaces/default/pods/one/log")
        #expect(wrongVerb.status == 405)
        api.handler.podStreaming.set(nil)
        let noBackend = try await api.send("GET", "/api/v1/namespaces/default/pods/one/log")
        #expect(noBackend.status == 500)
        #expect(noBackend.body["message"]?.stringValue?.hasPrefix(#"no kubelet is reachable for node "n1""#) == true)
    }
}

/// Bytes gathered from a streaming response.
///
/// Thread-safe (a `Mutex`).
final class CollectedBytes: Sendable {
    private let storage = Mutex<[UInt8]>([])

    func append(_ chunk: [UInt8]) {
        storage.withLock { $0.append(contentsOf: chunk) }
    }

    var bytes: [UInt8] { storage.withLock { $0 } }
}
