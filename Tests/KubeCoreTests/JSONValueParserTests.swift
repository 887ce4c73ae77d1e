import KubeCore
import Testing

/// The request-body parser: duplicate keys reported with their paths, numbers, nesting, errors with offsets.
@Suite struct JSONValueParserTests {
    @Test func reportsDuplicateKeysWithTheirPaths() throws {
        let text = #"{"metadata":{"name":"a","labels":{"x":"1","x":"2"},"name":"b"},"spec":{}}"#
        let (value, duplicates) = try JSONValueParser.parseReportingDuplicates(Array(text.utf8))
        #expect(Set(duplicates) == [".metadata.labels.x", ".metadata.name"])
        #expect(value["metadata"]?["name"] == "b")
        #expect(value["metadata"]?["labels"]?["x"] == "2")
        #expect(try JSONValueParser.parse(Array(text.utf8)) == value)
    }

    @Test func parsesIntegersExactlyAndOtherNumbersAsDoubles() throws {
        let text = #"[0, -7, 123456789012345678, 9223372036854775807, -9223372036854775808, 9223372036854775808, 1.5, 2e3, -0]"#
        let value = try JSONValueParser.parse(Array(text.utf8))
        #expect(value == [0, -7, 123_456_789_012_345_678, .integer(.max), .integer(.min), .number(9_223_372_036_854_775_808),
                          1.5, .number(2000), 0])
    }

    @Test func nestedObjectsKeepEveryMember() throws {
        let text = #"{"a":{"b":{"c":[{"d":1,"e":{}}],"f":"g"},"h":true},"i":null}"#
        let value = try JSONValueParser.parse(Array(text.utf8))
        #expect(value == ["a": ["b": ["c": [["d": 1, "e": [:]]], "f": "g"], "h": true], "i": nil])
    }

    @Test func errorsNameTheOffset() {
        do {
            _ = try JSONValueParser.parse(Array(#"{"a": }"#.utf8))
            Issue.record("a missing value parsed")
        } catch {
            #expect(error.offset == 6)
            #expect(error.message == "invalid character '}' looking for beginning of value")
        }
        #expect(throws: JSONParseError.self) { try JSONValueParser.parse(Array(#"{"a": 1"#.utf8)) }
        #expect(throws: JSONParseError.self) { try JSONValueParser.parse(Array(#"{"a" 1}"#.utf8)) }
    }
}
