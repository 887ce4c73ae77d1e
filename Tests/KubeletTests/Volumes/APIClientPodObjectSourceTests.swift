import Foundation
import KubeAPI
import KubeClient
import KubeCore
import Kubelet
import Synchronization
import Testing

/// ``APIClientPodObjectSource`` against a scripted transport: paths, 404 -> nil, the TokenRequest body.
@Suite struct APIClientPodObjectSourceTests {
    final class ScriptedTransport: APITransport {
        let requests = Mutex<[TransportRequest]>([])
        let answer: @Sendable (TransportRequest) -> TransportResponse

        init(answer: @escaping @Sendable (TransportRequest) -> TransportResponse) {
            self.answer = answer
        }

        func send(_ request: TransportRequest) async throws -> TransportResponse {
            requests.withLock { $0.append(request) }
            return answer(request)
        }

        func stream(_ request: TransportRequest) async throws -> TransportStream {
            TransportStream(status: 501, chunks: AsyncThrowingStream { $0.finish() })
        }
    }

    static let notFound = TransportResponse(status: 404, body: Array(#"""
        {"kind":"Status","apiVersion":"v1","status":"Failure","message":"configmaps \"ghost\" not found","reason":"NotFound","code":404}
        """#.utf8))

    @Test func readsConfigMapsAndSecretsAndMapsNotFoundToNil() async throws {
        let transport = ScriptedTransport { request in
            switch request.path {
            case "/api/v1/namespaces/shop/configmaps/settings":
                TransportResponse(status: 200, body: Array(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"shop"},"data":{"a":"A"}}"#.utf8))
            case "/api/v1/namespaces/shop/secrets/creds":
                TransportResponse(status: 200, body: Array(#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"creds","namespace":"shop"},"data":{"p":"czNjcmV0"}}"#.utf8))
            default:
                Self.notFound
            }
        }
        let source = APIClientPodObjectSource(client: APIClient(transport: transport, userAgent: "test"))

        #expect(try await source.configMap(namespace: "shop", name: "settings")?.data == ["a": "A"])
        #expect(try await source.secret(namespace: "shop", name: "creds")?.data == ["p": Array("s3cret".utf8)])
        #expect(try await source.configMap(namespace: "shop", name: "ghost") == nil)
        #expect(try await source.secret(namespace: "shop", name: "ghost") == nil)
    }

    @Test func requestsAPodBoundToken() async throws {
        let transport = ScriptedTransport { _ in
            TransportResponse(status: 201, body: Array(#"""
                {"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","metadata":{"name":"builder","namespace":"shop"},
                 "spec":{"audiences":["vault"],"expirationSeconds":3607},
                 "status":{"token":"eyJhbGciOi.payload.sig","expirationTimestamp":"2026-11-28T13:00:07Z"}}
                """#.utf8))
        }
        let source = APIClientPodObjectSource(client: APIClient(transport: transport, userAgent: "test"))

        let token = try await source.serviceAccountToken(
            namespace: "shop", serviceAccountName: "builder", audiences: ["vault"], expirationSeconds: 3607,
            podName: "web-0", podUID: "uid-1")

        #expect(token.token == "eyJhbGciOi.payload.sig")
        #expect(token.expirationTimestamp == Date(timeIntervalSince1970: 1_795_867_200 + 3607))
        let request = try #require(transport.requests.withLock { $0.first })
        #expect(request.method == "POST")
        #expect(request.path == "/api/v1/namespaces/shop/serviceaccounts/builder/token")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(body["kind"] as? String == "TokenRequest")
        #expect(body["apiVersion"] as? String == "authentication.k8s.io/v1")
        let spec = try #require(body["spec"] as? [String: Any])
        #expect(spec["audiences"] as? [String] == ["vault"])
        #expect(spec["expirationSeconds"] as? Int == 3607)
        let bound = try #require(spec["boundObjectRef"] as? [String: Any])
        #expect(bound["kind"] as? String == "Pod")
        #expect(bound["apiVersion"] as? String == "v1")
        #expect(bound["name"] as? String == "web-0")
        #expect(bound["uid"] as? String == "uid-1")
    }

    @Test func otherAPIErrorsAreThrownAndReportedAsUnavailable() async throws {
        let transport = ScriptedTransport { _ in
            TransportResponse(status: 403, body: Array(#"""
                {"kind":"Status","apiVersion":"v1","status":"Failure","message":"configmaps \"settings\" is forbidden: User \"system:node:n1\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"shop\"","reason":"Forbidden","code":403}
                """#.utf8))
        }
        let source = APIClientPodObjectSource(client: APIClient(transport: transport, userAgent: "test"))
        let container = Container(name: "app", envFrom: [EnvFromSource(configMapRef: ConfigMapEnvSource(name: "settings", optional: true))])
        let pod = makePod(namespace: "shop", containers: [container])

        let error = await #expect(throws: EnvironmentError.self) {
            try await ContainerEnvironmentResolver(objects: source).resolve(container: container, pod: pod)
        }

        #expect(error?.description == #"couldn't get configmap shop/settings: configmaps "settings" is forbidden: User "system:node:n1" cannot get resource "configmaps" in API group "" in the namespace "shop""#)
    }
}
