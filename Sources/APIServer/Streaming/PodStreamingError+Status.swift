import KubeCore

extension PodStreamingError {
    /// The Status upstream answers for this refusal of `target` (the kubelet's text, passed on by the API
    /// server's response checker: 400 BadRequest for container state, 500 for an unreachable node).
    func apiError(for target: PodStreamTarget) -> APIError {
        let container = GoQuoting.quote(target.containerName)
        let pod = GoQuoting.quote(target.podName)
        switch self {
        case .containerNotFound:
            return .badRequest("container \(container) in pod \(pod) is not available")
        case .containerNotRunning(let reason):
            return .badRequest("container \(container) in pod \(pod) is \(reason)")
        case .previousNotFound:
            return .badRequest("previous terminated container \(container) in pod \(pod) not found")
        case .nodeUnavailable(let message):
            return APIError(status: Status(status: Status.failure, message: message, reason: .unknown, code: 500))
        case .commandFailed(let message):
            return .internalError("error executing command in container: \(message)")
        case .badRequest(let message):
            return .badRequest(message)
        }
    }

    /// Any error a backend threw, as a Status: `PodStreamingError`s by `apiError(for:)`, anything else as 500.
    static func apiError(_ error: any Error, target: PodStreamTarget) -> APIError {
        switch error {
        case let error as PodStreamingError: error.apiError(for: target)
        case let error as APIError: error
        default: .internalError("\(error)")
        }
    }
}
