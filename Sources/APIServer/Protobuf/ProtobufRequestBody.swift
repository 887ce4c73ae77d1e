import KubeAPI
import KubeCore

/// Turns an `application/vnd.kubernetes.protobuf` request body (kubectl's typed commands send these) into
/// the JSON object the JSON path would have parsed: envelope → the kind's ``TypeSchema`` → JSON, with
/// `apiVersion` and `kind` taken from the envelope's typeMeta.
///
/// Stateless; Sendable; safe to call from any task.
enum ProtobufRequestBody {
    static let mediaType = "application/vnd.kubernetes.protobuf"

    /// Decodes `body` as an object of `group/version/kind`. Malformed input is a 400
    /// (`error decoding protobuf body: ...`); a kind without a generated schema is a 415, as before.
    static func decode(_ body: [UInt8], group: String, version: String, kind: String) throws(APIError) -> JSONValue {
        guard let schema = APIRegistry.resourceType(forKind: kind, group: group, version: version)?.typeSchema else {
            throw APIError.unsupportedMediaType(accepted: ["application/json"])
        }
        return try decode(body, typeName: schema.name)
    }

    /// Decodes `body` as a message of the schema type `typeName` (also kinds that are no resource, such as
    /// the `TokenRequest` body of `serviceaccounts/token`).
    static func decode(_ body: [UInt8], typeName: String) throws(APIError) -> JSONValue {
        guard let schema = APIRegistry.schema(named: typeName) else {
            throw APIError.unsupportedMediaType(accepted: ["application/json"])
        }
        do {
            let envelope = try ProtobufEnvelope(decoding: body)
            var decoder = SchemaProtobufDecoder()
            guard case .object(var members) = try decoder.decode(envelope.raw, typeName: schema.name) else {
                throw ProtobufDecodingError.unsupportedSchema("\(schema.name) did not decode to an object")
            }
            if !envelope.apiVersion.isEmpty { members["apiVersion"] = .string(envelope.apiVersion) }
            if !envelope.kind.isEmpty { members["kind"] = .string(envelope.kind) }
            return .object(members)
        } catch {
            throw APIError.badRequest("error decoding protobuf body: \(error)")
        }
    }
}
