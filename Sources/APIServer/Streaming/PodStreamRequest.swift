import Foundation
import KubeCore

/// The checks the API server makes before it hands a `pods/log`, `pods/exec` or `pods/attach` request to the
/// node, with upstream's messages: the query options (`ValidatePodLogOptions`, the exec stream flags) and the
/// container choice (`validateContainer` in `pkg/registry/core/pod/strategy.go`).
///
/// Stateless namespace; pure functions of the query and the pod.
enum PodStreamRequest {
    /// Upstream's `pods/log` query as options; throws 400 for unparsable values and 422 `PodLogOptions "p" is
    /// invalid` for out-of-range ones.
    static func logOptions(_ query: QueryParameters, podName: String) throws -> PodLogStreamOptions {
        var options = PodLogStreamOptions(follow: query.flag("follow"), previous: query.flag("previous"),
                                          timestamps: query.flag("timestamps"))
        options.tailLines = try integer(query, "tailLines")
        options.sinceSeconds = try integer(query, "sinceSeconds")
        options.limitBytes = try integer(query, "limitBytes")
        if let text = query["sinceTime"], !text.isEmpty {
            do {
                options.sinceTime = try RFC3339Time(parsing: text).date
            } catch {
                throw APIError.badRequest(
                    "parsing time \(GoQuoting.quote(text)) as \"2006-01-02T15:04:05Z07:00\": sinceTime must be an RFC 3339 time")
            }
        }
        var errors = FieldErrorList()
        if let tail = options.tailLines, tail < 0 {
            errors.append(.invalid(FieldPath("tailLines"), .integer(tail), "must be greater than or equal to 0"))
        }
        if let limit = options.limitBytes, limit < 1 {
            errors.append(.invalid(FieldPath("limitBytes"), .integer(limit), "must be greater than 0"))
        }
        if options.sinceSeconds != nil, options.sinceTime != nil {
            errors.append(.forbidden(FieldPath(""), "at most one of `sinceTime` or `sinceSeconds` may be specified"))
        } else if let since = options.sinceSeconds, since < 1 {
            errors.append(.invalid(FieldPath("sinceSeconds"), .integer(since), "must be greater than 0"))
        }
        if !errors.isEmpty {
            throw APIError.invalid(GroupKind(group: "", kind: "PodLogOptions"), name: podName, errors: errors)
        }
        return options
    }

    /// The exec / attach stream flags (`stdin`, `stdout`, `stderr`, `tty`; absent means false). With a tty,
    /// stderr is merged into stdout (upstream drops the stderr stream). Throws 400 when no stream is requested.
    static func streamOptions(_ query: QueryParameters) throws -> ContainerStreamOptions {
        let tty = query.flag("tty")
        let options = ContainerStreamOptions(
            stdin: query.flag("stdin"), stdout: query.flag("stdout"), stderr: query.flag("stderr") && !tty, tty: tty)
        if !options.stdin, !options.stdout, !query.flag("stderr") {
            throw APIError.badRequest("you must specify at least 1 of stdin, stdout, stderr")
        }
        return options
    }

    /// The container a request addresses: the one named (it must exist among the pod's init, regular and
    /// ephemeral containers), or the only regular container. Upstream's messages: `container x is not valid for
    /// pod p`, `a container name must be specified for pod p, choose one of: [a b]`.
    ///
    /// Like kube-apiserver, the `kubectl.kubernetes.io/default-container` annotation is not consulted here:
    /// kubectl reads it itself and always sends `container=`.
    static func container(named requested: String, in pod: JSONValue) throws -> String {
        let podName = pod["metadata"]?["name"]?.stringValue ?? ""
        let regular = names(pod["spec"]?["containers"])
        if requested.isEmpty {
            switch regular.count {
            case 1:
                return regular[0]
            case 0:
                throw APIError.badRequest("a container name must be specified for pod \(podName)")
            default:
                let all = names(pod["spec"]?["initContainers"]) + regular + names(pod["spec"]?["ephemeralContainers"])
                throw APIError.badRequest(
                    "a container name must be specified for pod \(podName), choose one of: [\(all.joined(separator: " "))]")
            }
        }
        let all = names(pod["spec"]?["initContainers"]) + regular + names(pod["spec"]?["ephemeralContainers"])
        guard all.contains(requested) else {
            throw APIError.badRequest("container \(requested) is not valid for pod \(podName)")
        }
        return requested
    }

    /// The pod's node, or 400 `pod p does not have a host assigned` (exec and attach; logs answer empty instead).
    static func assignedNode(of pod: JSONValue) throws -> String {
        let nodeName = pod["spec"]?["nodeName"]?.stringValue ?? ""
        if nodeName.isEmpty {
            throw APIError.badRequest("pod \(pod["metadata"]?["name"]?.stringValue ?? "") does not have a host assigned")
        }
        return nodeName
    }

    /// The error answered when no `PodStreamingBackend` is registered: what kube-apiserver says when it cannot
    /// reach the node's kubelet (500, no reason, so kubectl prints `Error from server: …`).
    static func noKubelet(nodeName: String) -> APIError {
        APIError(status: Status(
            status: Status.failure,
            message: "no kubelet is reachable for node \(GoQuoting.quote(nodeName)): this server runs no node agent "
                + "that serves container logs, exec and attach",
            reason: .unknown, code: 500))
    }

    private static func names(_ list: JSONValue?) -> [String] {
        guard case .array(let items)? = list else { return [] }
        return items.compactMap { $0["name"]?.stringValue }
    }

    private static func integer(_ query: QueryParameters, _ key: String) throws -> Int64? {
        guard let text = query[key], !text.isEmpty else { return nil }
        guard let value = Int64(text) else {
            throw APIError.badRequest("strconv.ParseInt: parsing \(GoQuoting.quote(text)): invalid syntax (query parameter \(key))")
        }
        return value
    }
}
