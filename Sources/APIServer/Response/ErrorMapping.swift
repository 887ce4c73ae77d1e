import Foundation
import KubeCore
import KubeStorage

/// Turns any error a handler throws into the Kubernetes `Status` the client sees. The one place where
/// storage, decoding and internal errors become HTTP status codes.
enum ErrorMapping {
    static func apiError(_ error: any Error, resource: ServedResource? = nil) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as StorageError:
            return storageError(error, resource: resource)
        case let error as ApplyConflicts:
            return applyConflicts(error)
        case let error as JSONParseError:
            return .badRequest("error decoding the request body: \(error)")
        case let error as DecodingError:
            return .badRequest("error decoding the request body: \(describe(error))")
        default:
            return .internalError("\(error)")
        }
    }

    /// Upstream `NewApplyConflict`: 409 Conflict, one `FieldManagerConflict` cause per field.
    private static func applyConflicts(_ error: ApplyConflicts) -> APIError {
        APIError(status: Status(
            status: Status.failure, message: error.message, reason: .conflict,
            details: StatusDetails(causes: error.conflicts.map {
                StatusCause(type: .fieldManagerConflict, message: "conflict with \($0.manager.conflictDescription)",
                            field: $0.path.description)
            }),
            code: 409))
    }

    private static func storageError(_ error: StorageError, resource: ServedResource?) -> APIError {
        switch error {
        case .compacted:
            return .resourceExpired("The resourceVersion for the provided list is too old.")
        case .futureRevision(let requested, _):
            return .timeout("Too large resource version: \(requested), current: unknown", retryAfterSeconds: 1)
        case .valueTooLarge:
            return .requestEntityTooLarge("\(error)")
        case .invalidArgument(let detail):
            return .badRequest(detail)
        case .unavailable, .spaceExceeded:
            return .serviceUnavailable("\(error)")
        default:
            return .internalError("\(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "json: cannot unmarshal into field \(path(context)) of type \(type): \(context.debugDescription)"
        case .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
