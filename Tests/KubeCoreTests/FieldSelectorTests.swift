import KubeCore
import Testing

@Suite struct FieldSelectorTests {
    @Test(arguments: [
        ("", ""),
        ("metadata.name=web", "metadata.name=web"),
        ("metadata.name==web", "metadata.name=web"),
        ("status.phase!=Running", "status.phase!=Running"),
        ("b=1,a=2", "a=2,b=1"),
        ("x=", "x="),
        ("x=a\\,b", "x=a\\,b"),
        ("x=a\\=b\\\\c", "x=a\\=b\\\\c"),
        ("a=1,,b=2", "a=1,b=2"),
        ("spec.nodeName=", "spec.nodeName="),
        ("a==b,a=a", "a=a,a=b"),
    ])
    func parsesAndRendersCanonically(text: String, canonical: String) throws {
        let selector = try FieldSelector(parsing: text)
        #expect(selector.description == canonical)
        #expect(try FieldSelector(parsing: canonical) == selector)
    }

    @Test func unescapesValues() throws {
        let selector = try FieldSelector(parsing: #"x=a\,b\=c\\d"#)
        #expect(selector.terms == [FieldSelectorTerm(field: "x", value: #"a,b=c\d"#)])
    }

    @Test(arguments: [
        ("foo", FieldSelectorParseError.cannotUnderstand(selector: "foo", term: "foo"), "invalid selector: 'foo'; can't understand 'foo'"),
        ("a=b,c", .cannotUnderstand(selector: "a=b,c", term: "c"), "invalid selector: 'a=b,c'; can't understand 'c'"),
        ("x=a=b", .unescapedCharacter("="), "invalid field selector: unescaped character in value: 61"),
        (#"x=a\b"#, .invalidEscapeSequence(#"\b"#), #"invalid field selector: invalid escape sequence: \b"#),
        (#"x=a\"#, .invalidEscapeSequence(#"\"#), #"invalid field selector: invalid escape sequence: \"#),
    ])
    func rejectsWithUpstreamMessages(text: String, expected: FieldSelectorParseError, message: String) {
        let error = #expect(throws: FieldSelectorParseError.self) { try FieldSelector(parsing: text) }
        #expect(error == expected)
        #expect(error?.description == message)
    }

    @Test(arguments: [
        ("", [String: String](), true),
        ("metadata.name=web", ["metadata.name": "web"], true),
        ("metadata.name=web", ["metadata.name": "db"], false),
        ("metadata.name!=web", ["metadata.name": "db"], true),
        ("metadata.name!=web", [:], true),
        ("spec.nodeName=", [:], true),
        ("spec.nodeName=", ["spec.nodeName": "n1"], false),
        ("a=1,b=2", ["a": "1", "b": "2"], true),
        ("a=1,b=2", ["a": "1", "b": "3"], false),
        (#"x=a\,b"#, ["x": "a,b"], true),
    ])
    func matches(text: String, fields: [String: String], expected: Bool) throws {
        let selector = try FieldSelector(parsing: text)
        #expect(selector.matches(fields) == expected)
        #expect(selector.matches(fieldLookup: { fields[$0] }) == expected)
    }

    @Test(arguments: [
        ("", ""), ("plain", "plain"), (",", "\\,"), ("=", "\\="), ("\\", "\\\\"), ("a,b=c\\d", "a\\,b\\=c\\\\d"), ("!", "!"),
    ])
    func escapingRoundTrips(raw: String, escaped: String) throws {
        #expect(FieldSelector.escapeValue(raw) == escaped)
        #expect(try FieldSelector.unescapeValue(escaped) == raw)
    }

    @Test func requiredValueAndEverything() throws {
        let selector = try FieldSelector(parsing: "metadata.namespace=ns,metadata.name!=x")
        #expect(selector.requiredValue(forField: "metadata.namespace") == "ns")
        #expect(selector.requiredValue(forField: "metadata.name") == nil)
        #expect(FieldSelector.everything.isEmpty)
        #expect(FieldSelector.everything.matches(["anything": "x"]))
        #expect(FieldSelector(matchingFields: ["b": "x,y", "a": "1"]).description == #"a=1,b=x\,y"#)
    }
}
