import KubeCore
import Testing

@Suite struct StatusTests {
    @Test func notFoundMatchesKubeAPIServerBytes() throws {
        let error = APIError.notFound(GroupResource(group: "", resource: "pods"), name: "nope")
        let upstream = #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"nope\" not found","reason":"NotFound","details":{"name":"nope","kind":"pods"},"code":404}"#
        #expect(try encodedJSONValue(error.status) == jsonValue(upstream))
        #expect(
            try encodedJSON(error.status)
                == #"{"apiVersion":"v1","code":404,"details":{"kind":"pods","name":"nope"},"kind":"Status","message":"pods \"nope\" not found","metadata":{},"reason":"NotFound","status":"Failure"}"#
        )
        #expect(error.httpStatusCode == 404)
        #expect(error.reason == .notFound)
        #expect(error.description == #"pods "nope" not found"#)
    }

    @Test func invalidMatchesKubeAPIServerBytes() throws {
        let errors: FieldErrorList = [.required(FieldPath("spec", "containers"), "")]
        let error = APIError.invalid(GroupKind(group: "", kind: "Pod"), name: "x", errors: errors)
        let upstream = #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Pod \"x\" is invalid: spec.containers: Required value","reason":"Invalid","details":{"name":"x","kind":"Pod","causes":[{"reason":"FieldValueRequired","message":"Required value","field":"spec.containers"}]},"code":422}"#
        #expect(try encodedJSONValue(error.status) == jsonValue(upstream))
    }

    @Test func invalidWithSeveralErrorsUsesBrackets() {
        let errors: FieldErrorList = [
            .invalid(FieldPath("metadata", "name"), "A", "must be lowercase"),
            .required(FieldPath("spec", "selector"), ""),
        ]
        let error = APIError.invalid(GroupKind(group: "apps", kind: "Deployment"), name: "A", errors: errors)
        #expect(error.message == #"Deployment.apps "A" is invalid: [metadata.name: Invalid value: "A": must be lowercase, spec.selector: Required value]"#)
        #expect(error.httpStatusCode == 422)
        #expect(error.status.details?.group == "apps")
        #expect(error.status.details?.causes == [
            StatusCause(type: .fieldValueInvalid, message: #"Invalid value: "A": must be lowercase"#, field: "metadata.name"),
            StatusCause(type: .fieldValueRequired, message: "Required value", field: "spec.selector"),
        ])
        #expect(APIError.invalid(GroupKind(group: "", kind: "Pod"), name: "p", errors: []).message == #"Pod "p" is invalid"#)
    }

    @Test func expiredMatchesWatchResponse() throws {
        let error = APIError.resourceExpired("too old resource version: 1 (2)")
        let upstream = #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (2)","reason":"Expired","code":410}"#
        #expect(try encodedJSONValue(error.status) == jsonValue(upstream))
    }

    @Test(arguments: [
        (APIError.notFound(GroupResource(group: "apps", resource: "deployments"), name: "web"), 404, "NotFound", #"deployments.apps "web" not found"#),
        (.alreadyExists(GroupResource(group: "", resource: "pods"), name: "x"), 409, "AlreadyExists", #"pods "x" already exists"#),
        (.generateNameConflict(GroupResource(group: "", resource: "pods"), name: "x-abc", retryAfterSeconds: 1), 409, "AlreadyExists",
         #"pods "x-abc" already exists, the server was not able to generate a unique name for the object"#),
        (.conflict(GroupResource(group: "", resource: "pods"), name: "x", message: "the object has been modified; please apply your changes to the latest version and try again"),
         409, "Conflict", #"Operation cannot be fulfilled on pods "x": the object has been modified; please apply your changes to the latest version and try again"#),
        (.badRequest("bad"), 400, "BadRequest", "bad"),
        (.unauthorized(), 401, "Unauthorized", "not authorized"),
        (.unauthorized("token expired"), 401, "Unauthorized", "token expired"),
        (.forbidden(GroupResource(group: "", resource: "pods"), name: "x", reason: "User \"bob\" cannot get resource"), 403, "Forbidden",
         #"pods "x" is forbidden: User "bob" cannot get resource"#),
        (.forbidden(GroupResource(group: "", resource: "pods"), name: "", reason: "no"), 403, "Forbidden", "pods is forbidden: no"),
        (.forbidden(GroupResource(group: "", resource: ""), name: "", reason: "no"), 403, "Forbidden", "forbidden: no"),
        (.gone("gone away"), 410, "Gone", "gone away"),
        (.resourceExpired("expired"), 410, "Expired", "expired"),
        (.tooManyRequests("slow down", retryAfterSeconds: 2), 429, "TooManyRequests", "slow down"),
        (.requestEntityTooLarge("limit is 3145728"), 413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728"),
        (.methodNotSupported(GroupResource(group: "", resource: "pods"), action: "create"), 405, "MethodNotAllowed",
         #"create is not supported on resources of kind "pods""#),
        (.notAcceptable(accepted: ["application/json", "application/yaml"]), 406, "NotAcceptable",
         "only the following media types are accepted: application/json, application/yaml"),
        (.unsupportedMediaType(accepted: ["application/json"]), 415, "UnsupportedMediaType",
         "the body of the request was in an unknown format - accepted media types include: application/json"),
        (.internalError("boom"), 500, "InternalError", "Internal error occurred: boom"),
        (.timeout("request did not complete within 60s", retryAfterSeconds: 1), 504, "Timeout", "Timeout: request did not complete within 60s"),
        (.serverTimeout(GroupResource(group: "", resource: "pods"), operation: "get", retryAfterSeconds: 2), 500, "ServerTimeout",
         "The get operation against pods could not be completed at this time, please try again."),
        (.serviceUnavailable("etcd down"), 503, "ServiceUnavailable", "etcd down"),
    ])
    func factoriesUseUpstreamCodesReasonsAndMessages(error: APIError, code: Int, reason: String, message: String) {
        #expect(error.httpStatusCode == code)
        #expect(error.status.code == Int32(code))
        #expect(error.reason.rawValue == reason)
        #expect(error.message == message)
        #expect(error.status.status == Status.failure)
        #expect(error.status.typeMeta == TypeMeta(kind: "Status", apiVersion: "v1"))
    }

    @Test func detailsCarryRetryHintsAndCauses() throws {
        #expect(APIError.tooManyRequests("x", retryAfterSeconds: 5).status.details?.retryAfterSeconds == 5)
        #expect(APIError.internalError("boom").status.details?.causes == [StatusCause(message: "boom")])
        let timeout = APIError.serverTimeout(GroupResource(group: "apps", resource: "deployments"), operation: "create", retryAfterSeconds: 2)
        #expect(timeout.status.details == StatusDetails(name: "create", group: "apps", kind: "deployments", retryAfterSeconds: 2))
        #expect(try encodedJSONValue(APIError.internalError("boom").status)["details"] == jsonValue(#"{"causes":[{"message":"boom"}]}"#))
    }

    @Test func successStatusAndDecoding() throws {
        let success = Status(status: Status.success, code: 200)
        #expect(try encodedJSON(success) == #"{"apiVersion":"v1","code":200,"kind":"Status","metadata":{},"status":"Success"}"#)
        let decoded = try decodeJSON(
            Status.self,
            #"{"kind":"Status","apiVersion":"v1","metadata":{"resourceVersion":"5"},"status":"Failure","message":"m","reason":"Conflict","details":{"name":"n","uid":"u","causes":[{"reason":"FieldManagerConflict","message":"c","field":".spec"}],"retryAfterSeconds":3},"code":409}"#
        )
        #expect(decoded.metadata.resourceVersion == "5")
        #expect(decoded.reason == .conflict)
        #expect(decoded.details?.causes.first?.type == .fieldManagerConflict)
        #expect(decoded.details?.retryAfterSeconds == 3)
        #expect(decoded.code == 409)
        #expect(try decodeJSON(Status.self, encodedJSON(decoded)) == decoded)
        let bare = try decodeJSON(Status.self, "{}")
        #expect(bare.typeMeta == TypeMeta())
        #expect(bare.details == nil)
    }
}
