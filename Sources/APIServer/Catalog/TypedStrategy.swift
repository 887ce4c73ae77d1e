public import KubeAPI
public import KubeCore
import Foundation

/// The strategy of a kind with a generated KubeAPI type: objects are decoded into `T` (dropping members
/// `T` does not define), defaulted with ``KubeResource/applyDefaults()``, encoded back into the server's
/// JSON tree, and validated with ``KubeResource/validate(old:)``, as the API server's typed decoding,
/// defaulting and `Validate<Kind>` do.
///
/// Value type; Sendable and stateless (the type is the only state), so one instance serves concurrent
/// requests.
public struct TypedStrategy<T: KubeResource>: ObjectStrategy {
    public init(_ type: T.Type = T.self) {}

    /// Decodes, defaults and re-encodes `object`; reports unknown members with their paths. A member of the
    /// wrong JSON type is a 400 naming the field, e.g. `Pod in version "v1" cannot be handled as a Pod:
    /// json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container`.
    public func normalize(_ object: JSONValue) throws -> NormalizedObject {
        let report = SchemaWalk.check(object, typeName: T.typeSchema.name)
        if let typeError = report.typeError {
            throw APIError.badRequest(cannotHandle(typeError))
        }
        var typed = try decode(object)
        typed.applyDefaults()
        return NormalizedObject(object: try encode(typed), unknownFields: report.unknownFields)
    }

    /// Runs `T`'s ``PreparedOnCreate`` hook, if it has one, on an object that has its uid (a Job's
    /// generated selector, a Pod's `Pending` phase); other kinds are returned unchanged.
    public func prepareForCreate(_ object: JSONValue) throws -> JSONValue {
        if let inTree = T.self as? any PreparedOnCreateInTree.Type {
            return inTree.prepareForCreate(tree: object)
        }
        guard T.self is any PreparedOnCreate.Type, var prepared = try decode(object) as? any PreparedOnCreate else {
            return object
        }
        prepared.prepareForCreate()
        guard let typed = prepared as? T else { return object }
        var result = try encode(typed)
        // The typed form has no type meta; keep what the handler set.
        for key in ["apiVersion", "kind"] { result.set([key], object[key]) }
        return result
    }

    /// `T.validate(old:)` on the decoded objects. (Errors repeating the server's generic metadata checks are
    /// dropped once, where the handler combines both lists.)
    public func validate(_ object: JSONValue, old: JSONValue?) -> FieldErrorList {
        let new: T
        do {
            new = try decode(object)
        } catch {
            return [.internalError(FieldPath("metadata"), "the object cannot be decoded as \(T.resource.kind): \(error)")]
        }
        // An old object that no longer decodes (written before the kind was typed) is validated as a create.
        let typedOld = old.flatMap { try? decode($0) }
        return new.validate(old: typedOld)
    }

    /// The server's JSON tree of `typed`.
    private func encode(_ typed: T) throws -> JSONValue {
        do {
            return try JSONValueEncoder().encode(typed)
        } catch {
            throw APIError.internalError("encoding \(T.resource.kind): \(error)")
        }
    }

    private func decode(_ object: JSONValue) throws -> T {
        do {
            return try JSONValueDecoder().decode(T.self, from: object)
        } catch let error as DecodingError {
            throw APIError.badRequest(cannotHandle(Self.describe(error)))
        } catch {
            throw APIError.badRequest(cannotHandle("\(error)"))
        }
    }

    /// Upstream's wording for a body the codec rejects.
    private func cannotHandle(_ detail: String) -> String {
        let info = T.resource
        return "\(info.kind) in version \"\(info.version)\" cannot be handled as a \(info.kind): \(detail)"
    }

    /// A decoding failure the schema walk did not predict (a bad quantity, time or base64 value), with
    /// the path of the member.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            var text = ""
            for key in codingPath {
                if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return text.isEmpty ? "<root>" : text
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "json: cannot unmarshal into field \(path(context.codingPath)) of type \(type): \(context.debugDescription)"
        case .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
