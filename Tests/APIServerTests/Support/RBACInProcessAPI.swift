@testable import APIServer
import Foundation
import KubeCore
import KubeStorage
import Logging

/// Test authentication from headers (like kube-apiserver's request-header authenticator): `x-test-user` names
/// the user, `x-test-groups` lists groups separated by commas. Requests without them are anonymous.
///
/// Stateless; Sendable.
struct TestHeaderAuthenticator: RequestAuthenticator {
    func authenticate(_ request: APIRequest) async throws -> UserInfo? {
        guard let name = request.headers["x-test-user"] else { return nil }
        let groups = (request.headers["x-test-groups"] ?? "").split(separator: ",").map(String.init)
        return UserInfo(name: name, groups: groups)
    }
}

/// An `APIHandler` over a `MemoryStore` with RBAC (the policy index, bootstrap policy and aggregation
/// running), called without a network as any user.
///
/// Sendable; use only inside `withRBACAPI`, which runs and stops the background tasks.
struct RBACInProcessAPI: Sendable {
    let handler: APIHandler

    static let admin = ("system:admin", ["system:masters"])

    var index: RBACPolicyIndex { handler.security.rbacPolicy! }

    func send(_ method: String, _ path: String, as user: String?, groups: [String] = [], query: String? = nil,
              json: String? = nil, headers extra: [String: String] = [:], headerLists: [String: [String]] = [:])
        async -> InProcessAPI.Reply
    {
        var headers = extra
        if json != nil, headers["content-type"] == nil { headers["content-type"] = "application/json" }
        if let user {
            headers["x-test-user"] = user
            headers["x-test-groups"] = groups.joined(separator: ",")
        }
        var request = APIRequest(method: method, path: path, query: query, headers: headers, body: Array((json ?? "").utf8))
        request.headerLists = headerLists
        let response = await handler.handle(request)
        guard case .bytes(let bytes) = response.body else { return InProcessAPI.Reply(status: response.status, body: .null, text: "") }
        return InProcessAPI.Reply(status: response.status, body: (try? JSONValueParser.parse(bytes)) ?? .null,
                                  text: String(decoding: bytes, as: UTF8.self))
    }

    /// Sends as the cluster admin and requires a 2xx status.
    @discardableResult
    func admin(_ method: String, _ path: String, json: String? = nil) async throws -> JSONValue {
        let reply = await send(method, path, as: Self.admin.0, groups: Self.admin.1, json: json)
        guard (200..<300).contains(reply.status) else { throw InProcessAPIError.status(reply.status, reply.text) }
        return reply.body
    }

    /// Returns once `condition` holds for the index's snapshot (checked now and after every change), or
    /// throws after `timeout` seconds.
    func waitForPolicy(timeout: Double = 30, _ condition: @escaping @Sendable (RBACPolicySnapshot) -> Bool) async throws {
        let index = self.index
        let changes = index.changes()
        if condition(index.snapshot) { return }
        let met = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in changes where condition(index.snapshot) { return true }
                return false
            }
            group.addTask {
                try await Task.sleep(for: .seconds(timeout))
                return false
            }
            let first = try await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !met { throw InProcessAPIError.status(0, "the RBAC policy did not reach the expected state in \(timeout)s") }
    }
}

/// Runs `body` against a bootstrapped RBAC handler, with its background tasks running, then stops them.
func withRBACAPI(_ body: (RBACInProcessAPI) async throws -> Void) async throws {
    let store = MemoryStore()
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    let security = RequestSecurity.rbac(authentication: AuthenticationChain([TestHeaderAuthenticator()]),
                                        store: store, logger: logger)
    let handler = APIHandler(catalog: BuiltinResources.catalog(), store: store, logger: logger, security: security)
    let background = Task { await handler.runBackgroundTasks() }
    defer { background.cancel() }
    try await handler.bootstrap()
    try await body(RBACInProcessAPI(handler: handler))
    background.cancel()
    await background.value
    await store.close()
}
