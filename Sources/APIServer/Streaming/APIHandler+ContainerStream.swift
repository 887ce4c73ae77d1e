import KubeCore

/// A `pods/exec` or `pods/attach` request that passed every check and may be upgraded to a WebSocket session.
///
/// Value type; Sendable.
struct PreparedContainerStream: Sendable {
    enum Kind: String, Sendable {
        case exec
        case attach
    }

    var kind: Kind
    var target: PodStreamTarget
    /// The command (exec only).
    var command: [String]
    var streams: ContainerStreamOptions
    var backend: any PodStreamingBackend
    var subprotocol: RemoteCommandProtocol
}

/// `pods/exec` and `pods/attach` (upstream `ExecREST` / `AttachREST`): the checks before a WebSocket upgrade,
/// and the answer to requests that arrive without one.
///
/// RBAC is the request's own verb on the subresource, as in kube-apiserver 1.32: `get` for the WebSocket
/// `GET`, `create` for `POST` (the extra `create` check for WebSocket upgrades,
/// `AuthorizePodWebsocketUpgradeCreatePermission`, is only on by default from 1.35).
extension APIHandler {
    /// The session for a WebSocket upgrade request, or nil when it must not be upgraded (not a pod exec/attach
    /// path, refused by authentication, authorization or validation, no shared subprotocol): the request is then
    /// answered as plain HTTP by `handle(_:)`, which reports the refusal.
    func prepareContainerStream(_ request: APIRequest) async -> PreparedContainerStream? {
        guard let info = RequestInfo.parse(path: request.path), case .resource(let target) = info.target,
              target.group == "", target.version == "v1", target.resource == "pods", target.name != nil,
              let subresource = target.subresource, let kind = PreparedContainerStream.Kind(rawValue: subresource),
              ["GET", "POST"].contains(request.method.uppercased())
        else { return nil }
        guard let protocolChoice = RemoteCommandProtocol.negotiate(
            offered: RemoteCommandProtocol.offered(in: request.headerValues("sec-websocket-protocol")))
        else { return nil }
        do {
            var request = request
            request.user = try await security.admit(request)
            guard let pods = catalog.resource(group: "", version: "v1", plural: "pods") else { return nil }
            let context = RequestContext(
                request: request, query: QueryParameters(query: request.query), resource: pods,
                namespace: target.namespace, name: target.name, subresource: subresource)
            return try await validateContainerStream(context, kind: kind, subprotocol: protocolChoice)
        } catch {
            return nil
        }
    }

    /// `pods/exec` or `pods/attach` over plain HTTP: the same checks (so their errors reach the client), then
    /// the reason no session was started.
    func containerStreamWithoutUpgrade(_ context: RequestContext) async throws -> APIResponse {
        guard let kind = PreparedContainerStream.Kind(rawValue: context.subresource ?? "") else { throw Self.notFound }
        _ = try await validateContainerStream(context, kind: kind, subprotocol: .v5)
        let upgrade = (context.request.headers["upgrade"] ?? "").lowercased()
        if upgrade.contains("websocket") {
            let offered = RemoteCommandProtocol.offered(in: context.request.headerValues("sec-websocket-protocol"))
            throw APIError.badRequest(
                "unable to upgrade the connection to a WebSocket: the request offered the subprotocols "
                    + "[\(offered.joined(separator: " "))] and this server speaks "
                    + RemoteCommandProtocol.allCases.map(\.rawValue).joined(separator: ", ")
                    + " (the upgrade must also be the first request on its connection)")
        }
        if upgrade.contains("spdy") {
            throw APIError.badRequest(
                "SPDY/3.1 streaming is not supported by this server: use kubectl 1.30 or newer, which runs exec and "
                    + "attach over WebSocket (v5.channel.k8s.io)")
        }
        throw APIError.badRequest("Upgrade request required")
    }

    private func validateContainerStream(_ context: RequestContext, kind: PreparedContainerStream.Kind,
                                         subprotocol: RemoteCommandProtocol) async throws -> PreparedContainerStream {
        let podName = context.name!
        let pod = try await objects.get(context.resource, namespace: context.namespace, name: podName).object
        let container = try PodStreamRequest.container(named: context.query["container"] ?? "", in: pod)
        let nodeName = try PodStreamRequest.assignedNode(of: pod)
        let streams = try PodStreamRequest.streamOptions(context.query)
        let command = context.query.all("command")
        if kind == .exec, command.isEmpty {
            throw APIError.badRequest("you must specify at least one command for the container")
        }
        guard let backend = podStreaming.backend else { throw PodStreamRequest.noKubelet(nodeName: nodeName) }
        return PreparedContainerStream(
            kind: kind,
            target: PodStreamTarget(namespace: context.namespace ?? "", podName: podName, podUID: pod.uid,
                                    nodeName: nodeName, containerName: container),
            command: command, streams: streams, backend: backend, subprotocol: subprotocol)
    }
}
