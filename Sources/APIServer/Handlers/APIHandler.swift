import KubeCore
public import KubeSecurity
public import KubeStorage
public import Foundation
public import Logging

/// Serves the Kubernetes REST API: routing, the verbs, discovery, health and version endpoints.
///
/// Thread-safe: immutable configuration over a thread-safe store; every request is handled independently.
public struct APIHandler: Sendable {
    public let catalog: ResourceCatalog
    let objects: ObjectStore
    let logger: Logger
    let clock: @Sendable () -> Date
    /// Set once startup (default namespaces) is complete; `/readyz` reports it.
    let readiness: ReadinessFlag
    /// The `/openapi/v2` document, built on first request.
    let openAPIV2: OpenAPIV2Cache
    /// Authentication and authorization, applied to every request before routing.
    let security: RequestSecurity
    /// Signs approved CertificateSigningRequests for the client signer; nil without a cluster CA.
    let certificateSigner: CertificateRequestSigner?
    /// Token signing and the cluster CA for the `token` subresource, `kube-root-ca.crt` and legacy token
    /// Secrets; nil serves none of them (default ServiceAccounts and pod admission work regardless).
    let serviceAccounts: ServiceAccountSettings?
    /// Serves lists and watches from memory when set and ready; its feed runs in `APIServerService.run`.
    public let watchCache: WatchCache?
    /// The node side of `pods/log`, `pods/exec` and `pods/attach` (see `PodStreamingBackend`).
    public let podStreaming: PodStreamingRegistration

    public init(catalog: ResourceCatalog, store: any KeyValueStore, logger: Logger,
                security: RequestSecurity = .allowAll, certificateSigner: CertificateRequestSigner? = nil,
                serviceAccounts: ServiceAccountSettings? = nil,
                clock: @escaping @Sendable () -> Date = { Date() }, watchCache: WatchCache? = nil,
                podStreaming: (any PodStreamingBackend)? = nil) {
        self.watchCache = watchCache
        self.podStreaming = PodStreamingRegistration(podStreaming)
        self.catalog = catalog
        self.security = security
        self.certificateSigner = certificateSigner
        self.serviceAccounts = serviceAccounts
        self.objects = ObjectStore(store: store, hints: watchCache?.hints)
        self.logger = logger
        self.clock = clock
        self.readiness = ReadinessFlag()
        self.openAPIV2 = OpenAPIV2Cache()
    }

    public func handle(_ request: APIRequest) async -> APIResponse {
        do {
            var request = request
            request.user = try await security.admit(request)
            return try await route(request)
        } catch let error as ImpersonationError {
            return .text(error.message + "\n", status: 500)
        } catch {
            let apiError = ErrorMapping.apiError(error)
            // A request cancelled because its caller went away (shutdown, a closed watch) is not a server fault.
            if apiError.httpStatusCode >= 500, !(error is CancellationError) {
                logger.error("Request failed", metadata: ["method": "\(request.method)", "path": "\(request.path)",
                                                          "error": "\(error)"])
            }
            return .error(apiError)
        }
    }

    private func route(_ request: APIRequest) async throws -> APIResponse {
        switch request.path {
        case "/version", "/version/": return .json(ServerVersion.json)
        case "/healthz", "/livez": return .text("ok")
        case "/readyz": return readiness.isReady ? .text("ok") : .text("not ready: startup in progress", status: 500)
        default: break
        }
        if request.path == "/openapi/v3" || request.path.hasPrefix("/openapi/v3/") {
            return try OpenAPIHandler(catalog: catalog).handle(request)
        }
        if request.path == "/openapi/v2" {
            return try OpenAPIV2Handler(catalog: catalog, cache: openAPIV2).handle(request)
        }
        guard let info = RequestInfo.parse(path: request.path) else { throw Self.notFound }
        switch info.target {
        case .groupList(let core):
            return Discovery(catalog: catalog).groupList(core: core, request: request)
        case .group(let group):
            return try Discovery(catalog: catalog).group(group)
        case .resourceList(let group, let version):
            return try Discovery(catalog: catalog).resourceList(group: group, version: version)
        case .resource(let target):
            guard let resource = catalog.resource(group: target.group, version: target.version, plural: target.resource)
            else { throw Self.notFound }
            return try await handleResource(request, target: target, resource: resource)
        }
    }

    static let notFound = APIError(
        status: Status(status: Status.failure, message: "the server could not find the requested resource",
                       reason: .notFound, details: StatusDetails(), code: 404))

    private func handleResource(_ request: APIRequest, target: RequestInfo.ResourceTarget, resource: ServedResource)
        async throws -> APIResponse
    {
        let query = QueryParameters(query: request.query)
        if !resource.namespaced, target.namespace != nil { throw Self.notFound }
        let namespace = resource.namespaced ? target.namespace : nil
        let context = RequestContext(
            request: request, query: query, resource: resource, namespace: namespace, name: target.name,
            subresource: target.subresource)
        if let subresource = target.subresource, subresource != "status" {
            return try await handleSubresource(subresource, context: context)
        }
        if target.subresource == "status", !resource.hasStatus { throw Self.notFound }
        if target.subresource == nil, let verb = Self.verb(method: request.method, name: target.name, query: query),
            !resource.verbs.contains(verb)
        {
            // Create-only kinds (access and token reviews) serve no reads or writes of stored objects.
            throw APIError.methodNotSupported(resource.groupResource, action: verb)
        }
        switch (request.method, target.name) {
        case ("GET", nil):
            if query.flag("watch") { return try await watch(context) }
            return try await list(context)
        case ("GET", _?): return try await get(context)
        case ("POST", nil) where Self.reviewKinds.contains(resource.kind): return try await createReview(context)
        case ("POST", nil): return try await create(context)
        case ("PUT", _?): return try await update(context)
        case ("PATCH", _?): return try await patch(context)
        case ("DELETE", _?): return try await delete(context)
        case ("DELETE", nil): return try await deleteCollection(context)
        default:
            throw APIError.methodNotSupported(resource.groupResource, action: request.method.lowercased())
        }
    }
}

extension APIHandler {
    /// The Kubernetes verb of a request on a resource or one object (nil for methods no verb covers).
    static func verb(method: String, name: String?, query: QueryParameters) -> String? {
        switch (method, name) {
        case ("GET", nil): query.flag("watch") ? "watch" : "list"
        case ("GET", _?): "get"
        case ("POST", nil): "create"
        case ("PUT", _?): "update"
        case ("PATCH", _?): "patch"
        case ("DELETE", _?): "delete"
        case ("DELETE", nil): "deletecollection"
        default: nil
        }
    }

    /// `scale`, `binding`, `eviction`, `token`; `log`, `exec` and `attach` go to the node (see Streaming/).
    private func handleSubresource(_ subresource: String, context: RequestContext) async throws -> APIResponse {
        let resource = context.resource
        guard context.name != nil, resource.subresources.contains(where: { $0.name == subresource }) else {
            throw Self.notFound
        }
        switch (subresource, context.request.method) {
        case ("scale", "GET"): return try await getScale(context)
        case ("scale", "PUT"), ("scale", "PATCH"): return try await updateScale(context)
        case ("binding", "POST") where resource.kind == "Pod": return try await bindPod(context)
        case ("eviction", "POST") where resource.kind == "Pod": return try await evictPod(context)
        case ("approval", "PUT") where resource.kind == "CertificateSigningRequest":
            return try await approveCertificateRequest(context)
        case ("approval", "GET"): return try await get(context)
        case ("token", "POST") where resource.kind == "ServiceAccount": return try await requestToken(context)
        case ("finalize", "PUT") where resource.kind == "Namespace": return try await finalizeNamespace(context)
        case ("log", "GET") where resource.kind == "Pod": return try await podLog(context)
        case ("exec", "GET"), ("exec", "POST"), ("attach", "GET"), ("attach", "POST"):
            if resource.kind == "Pod" { return try await containerStreamWithoutUpgrade(context) }
            throw APIError.notFound(resource.groupResource, name: "\(context.name!)/\(subresource)")
        case ("scale", _), ("binding", _), ("eviction", _), ("approval", _), ("token", _), ("finalize", _), ("log", _),
             ("exec", _), ("attach", _):
            throw APIError.methodNotSupported(resource.groupResource, action: context.request.method.lowercased())
        default:
            throw APIError.notFound(resource.groupResource, name: "\(context.name!)/\(subresource)")
        }
    }
}

/// Everything a verb handler needs about one request.
///
/// Value type; Sendable.
struct RequestContext: Sendable {
    var request: APIRequest
    var query: QueryParameters
    var resource: ServedResource
    var namespace: String?
    var name: String?
    var subresource: String?

    var isDryRun: Bool { !query.dryRun.isEmpty }
}
