import KubeCore
import Testing

@Suite struct LabelSelectorTests {
    @Test func codableWithOmitEmpty() throws {
        #expect(try encodedJSON(LabelSelector()) == "{}")
        let selector = LabelSelector(
            matchLabels: ["app": "web"],
            matchExpressions: [
                LabelSelectorRequirement(key: "tier", operator: .in, values: ["a", "b"]),
                LabelSelectorRequirement(key: "canary", operator: .doesNotExist),
            ]
        )
        let text = try encodedJSON(selector)
        #expect(
            text
                == #"{"matchExpressions":[{"key":"tier","operator":"In","values":["a","b"]},{"key":"canary","operator":"DoesNotExist"}],"matchLabels":{"app":"web"}}"#
        )
        #expect(try decodeJSON(LabelSelector.self, text) == selector)
        #expect(try decodeJSON(LabelSelector.self, #"{"matchExpressions":[{"key":"k","operator":"Bogus"}]}"#).matchExpressions[0].operator.rawValue == "Bogus")
    }

    @Test func nilSelectorMatchesNothingAndEmptyMatchesEverything() throws {
        let nothing = try LabelSelectorExpression(nil as LabelSelector?)
        #expect(nothing == .nothing)
        #expect(!nothing.matches(["a": "b"]))
        let everything = try LabelSelectorExpression(LabelSelector())
        #expect(everything == .everything)
        #expect(everything.matches(["a": "b"]))
    }

    @Test func convertsToExpression() throws {
        let selector = LabelSelector(
            matchLabels: ["foo": "bar", "baz": "blah"],
            matchExpressions: [
                LabelSelectorRequirement(key: "tier", operator: .notIn, values: ["b", "a"]),
                LabelSelectorRequirement(key: "env", operator: .exists),
            ]
        )
        let expression = try LabelSelectorExpression(selector)
        #expect(expression.description == "baz=blah,env,foo=bar,tier notin (a,b)")
        #expect(expression.matches(["foo": "bar", "baz": "blah", "env": "x"]))
        #expect(!expression.matches(["foo": "bar", "baz": "blah", "env": "x", "tier": "a"]))
        #expect(!expression.matches(["foo": "bar", "baz": "blah"]))
    }

    @Test func conversionErrors() {
        let badOperator = #expect(throws: LabelSelectorConversionError.self) {
            try LabelSelectorExpression(LabelSelector(matchExpressions: [LabelSelectorRequirement(key: "k", operator: "Bogus")]))
        }
        #expect(badOperator?.description == #""Bogus" is not a valid label selector operator"#)
        let badValue = #expect(throws: LabelSelectorConversionError.self) {
            try LabelSelectorExpression(LabelSelector(matchLabels: ["k": "a b"]))
        }
        #expect(badValue?.description.hasPrefix(#"values[0][k]: Invalid value: "a b": a valid label must be"#) == true)
        #expect(throws: LabelSelectorConversionError.self) {
            try LabelSelectorExpression(LabelSelector(matchExpressions: [LabelSelectorRequirement(key: "k", operator: .in)]))
        }
    }

    @Test func validationMatchesUpstreamShapes() {
        let selector = LabelSelector(
            matchLabels: ["good": "a b"],
            matchExpressions: [
                LabelSelectorRequirement(key: "a", operator: .in),
                LabelSelectorRequirement(key: "b", operator: .exists, values: ["x"]),
                LabelSelectorRequirement(key: "c", operator: "Bogus"),
                LabelSelectorRequirement(key: "bad key", operator: .notIn, values: ["-"]),
            ]
        )
        let errors = selector.validate(at: FieldPath("spec", "selector"))
        let rendered = errors.map(\.description)
        #expect(errors.map(\.type) == [.invalid, .required, .forbidden, .invalid, .invalid, .invalid])
        #expect(errors.map(\.field) == [
            "spec.selector.matchLabels",
            "spec.selector.matchExpressions[0].values",
            "spec.selector.matchExpressions[1].values",
            "spec.selector.matchExpressions[2].operator",
            "spec.selector.matchExpressions[3].key",
            "spec.selector.matchExpressions[3].values[0]",
        ])
        #expect(rendered[0].hasPrefix(#"spec.selector.matchLabels: Invalid value: "a b": a valid label must be an empty string"#))
        #expect(rendered[1] == "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'")
        #expect(rendered[2] == "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'")
        #expect(rendered[3] == #"spec.selector.matchExpressions[2].operator: Invalid value: "Bogus": not a valid selector operator"#)
        #expect(rendered[4].hasPrefix(#"spec.selector.matchExpressions[3].key: Invalid value: "bad key": name part must consist"#))
    }

    @Test func validSelectorHasNoErrors() {
        let selector = LabelSelector(
            matchLabels: ["app.kubernetes.io/name": "web"],
            matchExpressions: [LabelSelectorRequirement(key: "tier", operator: .in, values: ["front", ""])]
        )
        #expect(selector.validate(at: FieldPath("spec", "selector")).isEmpty)
    }

    @Test func invalidValuesCanBeAllowed() {
        let selector = LabelSelector(matchExpressions: [LabelSelectorRequirement(key: "k", operator: .in, values: ["not valid"])])
        #expect(selector.validate(at: FieldPath("s")).count == 1)
        #expect(selector.validate(at: FieldPath("s"), allowInvalidLabelValueInSelector: true).isEmpty)
    }
}
