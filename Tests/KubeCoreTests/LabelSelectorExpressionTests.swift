import KubeCore
import Testing

@Suite struct LabelSelectorExpressionTests {
    // Upstream TestSelectorParse good strings.
    @Test(arguments: [
        "x=a,y=b,z=c", "", "x!=a,y=b", "x=", "x= ", "x=,z= ", "x= ,z= ", "!x", "x>1", "x>1,z<5",
        "x in (),y", "x notin (),y", "x in (a),y", "x in (a,,b)", "x in (,a)", " x in ( a , b ) , !y ",
        "x\tin\n(a)", "notin=in", "a.b/c-d_e=f", "x==a", "x<10",
    ])
    func parsesValidSelectors(text: String) throws {
        let selector = try LabelSelectorExpression(parsing: text)
        // The canonical form parses back to the same selector.
        #expect(try LabelSelectorExpression(parsing: selector.description) == selector)
    }

    @Test(arguments: [
        ("x=a||y=b", "unable to parse requirement: values[0][x]: Invalid value: \"a||y\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"),
        ("x=a,y=b=c", "found '=', expected: ',' or 'end of string'"),
        ("x==a==b", "found '==', expected: ',' or 'end of string'"),
        ("!x=a", "found '=', expected: ',' or 'end of string'"),
        ("x<a", "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"),
        ("x in", "unable to parse requirement: found '' expected: '('"),
        ("x in (a", "unable to parse requirement: found '', expected: ',' or ')'"),
        ("x in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'"),
        ("x in a", "unable to parse requirement: found 'a' expected: '('"),
        ("x in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier"),
        ("x in (a,=)", "unable to parse requirement: found '=', expected: ',', or identifier"),
        ("x,", "found '', expected: identifier after ','"),
        (",x", "found ',', expected: !, identifier, or 'end of string'"),
        ("x y", "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt"),
        ("x=a b", "found 'b', expected: ',' or 'end of string'"),
        ("x=(a)", "unable to parse requirement: found '(', expected: identifier"),
        ("!", "unable to parse requirement: found '', expected: identifier"),
        ("!!x", "unable to parse requirement: found '!', expected: identifier"),
        ("(x)", "found '(', expected: !, identifier, or 'end of string'"),
        ("x>1,", "found '', expected: identifier after ','"),
    ])
    func rejectsWithUpstreamMessages(text: String, message: String) {
        let error = #expect(throws: LabelSelectorParseError.self) { try LabelSelectorExpression(parsing: text) }
        #expect(error?.description == message)
        #expect(error?.selector == text)
    }

    @Test func invalidKeyMessageUsesUpstreamNilPath() {
        let error = #expect(throws: LabelSelectorParseError.self) { try LabelSelectorExpression(parsing: "-x=a") }
        #expect(
            error?.description
                == "unable to parse requirement: <nil>: Invalid value: \"-x\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        )
    }

    @Test func invalidValueMessageUsesUpstreamPath() {
        let error = #expect(throws: LabelSelectorParseError.self) { try LabelSelectorExpression(parsing: "app=-") }
        #expect(
            error?.description
                == "unable to parse requirement: values[0][app]: Invalid value: \"-\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
        )
    }

    @Test(arguments: [
        ("z=c,y=b,x=a", "x=a,y=b,z=c"),
        ("x in (b,a,b),y notin (d,c)", "x in (a,b),y notin (c,d)"),
        ("  x == a ", "x==a"),
        ("!x", "!x"),
        ("x", "x"),
        ("x>1,a<5", "a<5,x>1"),
        ("x in (),y", "x in (),y"),
        ("x in (a,,b)", "x in (,a,b)"),
        ("x=", "x="),
        ("", ""),
        ("b,a=1,!c,a!=2", "a=1,a!=2,b,!c"),
    ])
    func rendersCanonicalUpstreamString(text: String, canonical: String) throws {
        #expect(try LabelSelectorExpression(parsing: text).description == canonical)
    }

    @Test func upstreamToStringTable() throws {
        let selectors: [([LabelRequirement], String)] = [
            ([try LabelRequirement(key: "x", operator: .in, values: ["def", "abc"]),
              try LabelRequirement(key: "y", operator: .notIn, values: ["jkl"]),
              try LabelRequirement(key: "z", operator: .exists)], "x in (abc,def),y notin (jkl),z"),
            ([try LabelRequirement(key: "x", operator: .notIn, values: ["abc", "def"]),
              try LabelRequirement(key: "y", operator: .notEquals, values: ["jkl"]),
              try LabelRequirement(key: "z", operator: .doesNotExist)], "x notin (abc,def),y!=jkl,!z"),
            ([try LabelRequirement(key: "x", operator: .notIn, values: ["abc"]),
              try LabelRequirement(key: "y", operator: .in, values: ["jkl", "mno"]),
              try LabelRequirement(key: "z", operator: .notIn, values: [""])], "x notin (abc),y in (jkl,mno),z notin ()"),
            ([try LabelRequirement(key: "x", operator: .equals, values: ["abc"]),
              try LabelRequirement(key: "y", operator: .doubleEquals, values: ["jkl"]),
              try LabelRequirement(key: "z", operator: .notEquals, values: ["a"]),
              try LabelRequirement(key: "z", operator: .exists)], "x=abc,y==jkl,z!=a,z"),
            ([try LabelRequirement(key: "x", operator: .greaterThan, values: ["2"]),
              try LabelRequirement(key: "y", operator: .lessThan, values: ["8"]),
              try LabelRequirement(key: "z", operator: .exists)], "x>2,y<8,z"),
        ]
        for (requirements, expected) in selectors {
            #expect(LabelSelectorExpression(requirements: requirements).description == expected)
        }
    }

    // Upstream TestSelectorMatches.
    @Test(arguments: [
        ("", ["x": "y"], true),
        ("x=y", ["x": "y"], true),
        ("x=y,z=w", ["x": "y", "z": "w"], true),
        ("x!=y,z!=w", ["x": "z", "z": "a"], true),
        ("notin=in", ["notin": "in"], true),
        ("x", ["x": "z"], true),
        ("!x", ["y": "z"], true),
        ("x>1", ["x": "2"], true),
        ("x<1", ["x": "0"], true),
        ("x=z", [:], false),
        ("x=y", ["x": "z"], false),
        ("x=y,z=w", ["x": "w", "z": "w"], false),
        ("x!=y,z!=w", ["x": "z", "z": "w"], false),
        ("x", ["y": "z"], false),
        ("!x", ["x": "z"], false),
        ("x>1", ["x": "0"], false),
        ("x<1", ["x": "2"], false),
        ("foo=bar", ["foo": "bar", "baz": "blah"], true),
        ("baz=blah", ["foo": "bar", "baz": "blah"], true),
        ("foo=bar,baz=blah", ["foo": "bar", "baz": "blah"], true),
        ("foo=blah", ["foo": "bar", "baz": "blah"], false),
        ("baz=bar", ["foo": "bar", "baz": "blah"], false),
        ("foo=bar,foobar=bar,baz=blah", ["foo": "bar", "baz": "blah"], false),
        ("x!=y", [:], true),
        ("x notin (a)", [:], true),
        ("x in (a,b)", ["x": "b"], true),
        ("x in (a,b)", ["x": "c"], false),
        ("x notin (a,b)", ["x": "c"], true),
        ("x notin (a,b)", ["x": "a"], false),
        ("x=", ["x": ""], true),
        ("x=", [:], false),
        ("x>1", [:], false),
        ("x>1", ["x": "abc"], false),
        ("x>5", ["x": "-4"], false),
        ("x<10", ["x": "+9"], true),
        ("x in ()", ["x": ""], true),
    ])
    func matchesLikeUpstream(text: String, labels: [String: String], expected: Bool) throws {
        #expect(try LabelSelectorExpression(parsing: text).matches(labels) == expected)
    }

    @Test func everythingAndNothing() {
        #expect(LabelSelectorExpression.everything.matches([:]))
        #expect(LabelSelectorExpression.everything.isEmpty)
        #expect(!LabelSelectorExpression.nothing.matches([:]))
        #expect(!LabelSelectorExpression.nothing.matches(["a": "b"]))
        #expect(!LabelSelectorExpression.nothing.isEmpty)
        #expect(LabelSelectorExpression.nothing.description == "")
        #expect(LabelSelectorExpression.nothing != LabelSelectorExpression.everything)
    }

    @Test func requirementConstructorValidation() {
        #expect(throws: FieldErrorList.self) { try LabelRequirement(key: "x", operator: .in, values: []) }
        #expect(throws: FieldErrorList.self) { try LabelRequirement(key: "x", operator: .equals, values: ["a", "b"]) }
        #expect(throws: FieldErrorList.self) { try LabelRequirement(key: "x", operator: .exists, values: ["a"]) }
        #expect(throws: FieldErrorList.self) { try LabelRequirement(key: "x", operator: .greaterThan, values: ["1", "2"]) }
        #expect(throws: FieldErrorList.self) { try LabelRequirement(key: "x y", operator: .exists) }
        let error = #expect(throws: FieldErrorList.self) { try LabelRequirement(key: "x", operator: .in, values: []) }
        #expect(error?.description == "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty")
        let combined = #expect(throws: FieldErrorList.self) { try LabelRequirement(key: "-", operator: .greaterThan, values: ["a"]) }
        #expect(combined?.map(\.field) == ["key", "values[0]"])
        #expect(combined?.description.hasPrefix("[key: Invalid value: \"-\": name part must consist") == true)
    }

    @Test func requirementsAreSortedByKeyStably() throws {
        let selector = LabelSelectorExpression(requirements: [
            try LabelRequirement(key: "b", operator: .exists),
            try LabelRequirement(key: "a", operator: .notEquals, values: ["2"]),
            try LabelRequirement(key: "a", operator: .equals, values: ["1"]),
        ])
        #expect(selector.description == "a!=2,a=1,b")
        #expect(selector.adding([try LabelRequirement(key: "0", operator: .exists)]).description == "0,a!=2,a=1,b")
    }

    @Test func requiredValue() throws {
        let selector = try LabelSelectorExpression(parsing: "app=web,tier in (front),env in (a,b),x!=y")
        #expect(selector.requiredValue(forKey: "app") == "web")
        #expect(selector.requiredValue(forKey: "tier") == "front")
        #expect(selector.requiredValue(forKey: "env") == nil)
        #expect(selector.requiredValue(forKey: "x") == nil)
        #expect(selector.requiredValue(forKey: "missing") == nil)
    }

    @Test func fromLabelSet() throws {
        let selector = try LabelSelectorExpression(matchingLabels: ["b": "2", "a": "1"])
        #expect(selector.description == "a=1,b=2")
        #expect(selector.matches(["a": "1", "b": "2", "c": "3"]))
        #expect(try LabelSelectorExpression(matchingLabels: [:]) == .everything)
        #expect(throws: FieldErrorList.self) { try LabelSelectorExpression(matchingLabels: ["a": "b c"]) }
    }
}
