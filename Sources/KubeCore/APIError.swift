/// An API failure carrying the ``Status`` the server returns (upstream `errors.StatusError`).
///
/// Build one with the static factories, which mirror `k8s.io/apimachinery/pkg/api/errors`
/// (`NewNotFound`, `NewConflict`, `NewInvalid`, ...) with their exact messages and codes.
/// ``description`` is the status message, as upstream `Error()`.
/// Value type; Sendable.
public struct APIError: Error, Hashable, Sendable, CustomStringConvertible {
    public var status: Status

    public init(status: Status) {
        self.status = status
    }

    /// The HTTP status code (`status.code`).
    public var httpStatusCode: Int { Int(status.code) }
    public var reason: StatusReason { status.reason }
    public var message: String { status.message }
    public var description: String { status.message }

    private static func failure(
        code: Int32,
        reason: StatusReason,
        message: String,
        details: StatusDetails? = nil
    ) -> APIError {
        APIError(status: Status(status: Status.failure, message: message, reason: reason, details: details, code: code))
    }

    private static func details(_ resource: GroupResource, name: String) -> StatusDetails {
        StatusDetails(name: name, group: resource.group, kind: resource.resource)
    }

    // MARK: Factories

    /// 404 `pods "x" not found`.
    public static func notFound(_ resource: GroupResource, name: String) -> APIError {
        failure(
            code: 404,
            reason: .notFound,
            message: "\(resource) \(GoQuoting.quote(name)) not found",
            details: details(resource, name: name)
        )
    }

    /// 409 `pods "x" already exists`.
    public static func alreadyExists(_ resource: GroupResource, name: String) -> APIError {
        failure(
            code: 409,
            reason: .alreadyExists,
            message: "\(resource) \(GoQuoting.quote(name)) already exists",
            details: details(resource, name: name)
        )
    }

    /// 409 AlreadyExists when `generateName` could not produce a free name (upstream `NewGenerateNameConflict`).
    public static func generateNameConflict(_ resource: GroupResource, name: String, retryAfterSeconds: Int32) -> APIError {
        var statusDetails = details(resource, name: name)
        statusDetails.retryAfterSeconds = retryAfterSeconds
        return failure(
            code: 409,
            reason: .alreadyExists,
            message: "\(resource) \(GoQuoting.quote(name)) already exists, the server was not able to generate a unique name for the object",
            details: statusDetails
        )
    }

    /// 409 `Operation cannot be fulfilled on pods "x": <message>`.
    public static func conflict(_ resource: GroupResource, name: String, message: String) -> APIError {
        failure(
            code: 409,
            reason: .conflict,
            message: "Operation cannot be fulfilled on \(resource) \(GoQuoting.quote(name)): \(message)",
            details: details(resource, name: name)
        )
    }

    /// 422 `Pod "x" is invalid: <errors>` with one cause per field error (upstream `NewInvalid`).
    public static func invalid(_ kind: GroupKind, name: String, errors: FieldErrorList) -> APIError {
        let causes = errors.map { StatusCause(type: CauseType($0.type), message: $0.errorBody, field: $0.field) }
        let aggregated = errors.description
        let message =
            aggregated.isEmpty
            ? "\(kind) \(GoQuoting.quote(name)) is invalid"
            : "\(kind) \(GoQuoting.quote(name)) is invalid: \(aggregated)"
        return failure(
            code: 422,
            reason: .invalid,
            message: message,
            details: StatusDetails(name: name, group: kind.group, kind: kind.kind, causes: causes)
        )
    }

    /// 400 with `message` as is.
    public static func badRequest(_ message: String) -> APIError {
        failure(code: 400, reason: .badRequest, message: message)
    }

    /// 401; an empty `message` becomes `not authorized`.
    public static func unauthorized(_ message: String = "") -> APIError {
        failure(code: 401, reason: .unauthorized, message: message.isEmpty ? "not authorized" : message)
    }

    /// 403 `pods "x" is forbidden: <reason>` (`pods is forbidden: ...` without a name,
    /// `forbidden: ...` without a resource).
    public static func forbidden(_ resource: GroupResource, name: String, reason: String) -> APIError {
        let message: String
        if resource.isEmpty {
            message = "forbidden: \(reason)"
        } else if name.isEmpty {
            message = "\(resource) is forbidden: \(reason)"
        } else {
            message = "\(resource) \(GoQuoting.quote(name)) is forbidden: \(reason)"
        }
        return failure(code: 403, reason: .forbidden, message: message, details: details(resource, name: name))
    }

    /// 410 reason `Gone`.
    public static func gone(_ message: String) -> APIError {
        failure(code: 410, reason: .gone, message: message)
    }

    /// 410 reason `Expired` (e.g. a too-old resourceVersion in a watch or continue token).
    public static func resourceExpired(_ message: String) -> APIError {
        failure(code: 410, reason: .expired, message: message)
    }

    /// 429 with `message` as is and a retry hint (upstream `NewTooManyRequests`).
    public static func tooManyRequests(_ message: String, retryAfterSeconds: Int32) -> APIError {
        failure(
            code: 429,
            reason: .tooManyRequests,
            message: message,
            details: StatusDetails(retryAfterSeconds: retryAfterSeconds)
        )
    }

    /// 413 `Request entity too large: <message>`.
    public static func requestEntityTooLarge(_ message: String) -> APIError {
        failure(code: 413, reason: .requestEntityTooLarge, message: "Request entity too large: \(message)")
    }

    /// 405 `<action> is not supported on resources of kind "<resource>"`.
    public static func methodNotSupported(_ resource: GroupResource, action: String) -> APIError {
        failure(
            code: 405,
            reason: .methodNotAllowed,
            message: "\(action) is not supported on resources of kind \(GoQuoting.quote(resource.description))",
            details: StatusDetails(group: resource.group, kind: resource.resource)
        )
    }

    /// 406 `only the following media types are accepted: <accepted>` (apiserver negotiation error).
    public static func notAcceptable(accepted: [String]) -> APIError {
        failure(
            code: 406,
            reason: .notAcceptable,
            message: "only the following media types are accepted: \(accepted.joined(separator: ", "))"
        )
    }

    /// 415 `the body of the request was in an unknown format - accepted media types include: <accepted>`.
    public static func unsupportedMediaType(accepted: [String]) -> APIError {
        failure(
            code: 415,
            reason: .unsupportedMediaType,
            message: "the body of the request was in an unknown format - accepted media types include: "
                + accepted.joined(separator: ", ")
        )
    }

    /// 500 `Internal error occurred: <message>` with the message as the single cause.
    public static func internalError(_ message: String) -> APIError {
        failure(
            code: 500,
            reason: .internalError,
            message: "Internal error occurred: \(message)",
            details: StatusDetails(causes: [StatusCause(message: message)])
        )
    }

    /// 504 `Timeout: <message>` (upstream `NewTimeoutError`).
    public static func timeout(_ message: String, retryAfterSeconds: Int32 = 0) -> APIError {
        failure(
            code: 504,
            reason: .timeout,
            message: "Timeout: \(message)",
            details: StatusDetails(retryAfterSeconds: retryAfterSeconds)
        )
    }

    /// 500 `The <operation> operation against <resource> could not be completed at this time, please try again.`
    public static func serverTimeout(_ resource: GroupResource, operation: String, retryAfterSeconds: Int32) -> APIError {
        failure(
            code: 500,
            reason: .serverTimeout,
            message: "The \(operation) operation against \(resource) could not be completed at this time, please try again.",
            details: StatusDetails(
                name: operation,
                group: resource.group,
                kind: resource.resource,
                retryAfterSeconds: retryAfterSeconds
            )
        )
    }

    /// 503 with `message` as is.
    public static func serviceUnavailable(_ message: String) -> APIError {
        failure(code: 503, reason: .serviceUnavailable, message: message)
    }
}
