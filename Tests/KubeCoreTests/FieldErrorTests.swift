import KubeCore
import Testing

@Suite struct FieldErrorTests {
    @Test func pathRendering() {
        let path = FieldPath("spec", "selector").child("matchExpressions").index(0).child("values")
        #expect(path.description == "spec.selector.matchExpressions[0].values")
        #expect(FieldPath("metadata").child("labels").key("app").description == "metadata.labels[app]")
        #expect(("spec.template" as FieldPath).child("spec").description == "spec.template.spec")
    }

    @Test(arguments: [
        (FieldError.invalid(FieldPath("spec", "replicas"), -1, "must be greater than or equal to 0"),
         "spec.replicas: Invalid value: -1: must be greater than or equal to 0"),
        (FieldError.invalid(FieldPath("metadata", "name"), "a b", "bad"), #"metadata.name: Invalid value: "a b": bad"#),
        (FieldError.required(FieldPath("spec", "containers"), ""), "spec.containers: Required value"),
        (FieldError.required(FieldPath("spec", "containers"), "must have one"), "spec.containers: Required value: must have one"),
        (FieldError.forbidden(FieldPath("spec", "x"), "nope"), "spec.x: Forbidden: nope"),
        (FieldError.notSupported(FieldPath("spec", "restartPolicy"), "Sometimes", supported: ["Always", "Never"]),
         #"spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never""#),
        (FieldError.tooLong(FieldPath("metadata", "name"), "xx", maxLength: 63), "metadata.name: Too long: may not be more than 63 bytes"),
        (FieldError.tooMany(FieldPath("spec", "items"), actualQuantity: 3, maxQuantity: 1), "spec.items: Too many: 3: must have at most 1 item"),
        (FieldError.tooMany(FieldPath("spec", "items"), actualQuantity: -1, maxQuantity: 2), "spec.items: Too many: must have at most 2 items"),
        (FieldError.duplicate(FieldPath("spec", "ports").index(1), "http"), #"spec.ports[1]: Duplicate value: "http""#),
        (FieldError.notFound(FieldPath("spec", "volume"), "v"), #"spec.volume: Not found: "v""#),
        (FieldError.internalError(FieldPath("spec"), "boom"), "spec: Internal error: boom"),
        (FieldError.invalid(FieldPath("v"), .strings(["a", "b"]), "d"), #"v: Invalid value: []string{"a", "b"}: d"#),
        (FieldError.invalid(FieldPath("v"), .bool(true), "d"), "v: Invalid value: true: d"),
        (FieldError.invalid(FieldPath("v"), .null, "d"), "v: Invalid value: null: d"),
        (FieldError.invalid(FieldPath("v"), .omitted, "d"), "v: Invalid value: d"),
        (FieldError.invalid(FieldPath("v"), "quote\"and\\slash\n", "d"), #"v: Invalid value: "quote\"and\\slash\n": d"#),
    ])
    func rendersLikeUpstream(error: FieldError, expected: String) {
        #expect(error.description == expected)
    }

    @Test func causeTypesUseUpstreamReasonStrings() {
        #expect(FieldErrorType.invalid.rawValue == "FieldValueInvalid")
        #expect(FieldErrorType.required.rawValue == "FieldValueRequired")
        #expect(FieldErrorType.internal.rawValue == "InternalError")
        #expect(FieldError.invalid(FieldPath("a"), "x", "y").errorBody == #"Invalid value: "x": y"#)
    }

    @Test func listAggregatesLikeUpstream() {
        let first = FieldError.required(FieldPath("a"), "")
        let second = FieldError.invalid(FieldPath("b"), 1, "bad")
        #expect(FieldErrorList().description == "")
        #expect(FieldErrorList([first]).description == "a: Required value")
        #expect(FieldErrorList([first, second]).description == "[a: Required value, b: Invalid value: 1: bad]")
        #expect(FieldErrorList([first, first]).description == "a: Required value")
        #expect(FieldErrorList([first, second, first]).description == "[a: Required value, b: Invalid value: 1: bad]")
        var list: FieldErrorList = []
        list.append(first)
        list.append(contentsOf: [second])
        #expect(list.count == 2)
        #expect(list.map(\.field) == ["a", "b"])
    }
}
