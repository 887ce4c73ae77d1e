import Foundation
@testable import KubeCore
import Testing

/// `JSONValueWriter`: Go-style escaping, the API server's key order, integers at their extremes, and
/// output that Foundation's `JSONSerialization` reads back as the same tree.
@Suite struct JSONValueWriterTests {
    @Test func keysComeInTheAPIServersOrder() {
        let object: JSONValue = ["zeta": 1, "status": 2, "alpha": 3, "kind": "Pod", "apiVersion": "v1", "metadata": [:],
                                 "spec": [:], "Beta": 4]
        let text = String(decoding: JSONValueWriter.bytes(object), as: UTF8.self)
        #expect(text == #"{"apiVersion":"v1","kind":"Pod","metadata":{},"spec":{},"status":2,"Beta":4,"alpha":3,"zeta":1}"#)
    }

    @Test func keysAsLongAsTheLeadingOnesAreSortedWithTheRest() {
        let object: JSONValue = ["type": 1, "spec": 2, "replicas": 3, "labels": 4, "namespaces": 5, "kind": 6,
                                 "data": 7, "apiVersion": 8, "metadata": 9, "status": 10, "Kind": 11]
        let text = String(decoding: JSONValueWriter.bytes(object), as: UTF8.self)
        #expect(text == #"{"apiVersion":8,"kind":6,"metadata":9,"spec":2,"status":10,"Kind":11,"data":7,"labels":4,"#
            + #""namespaces":5,"replicas":3,"type":1}"#)
        #expect(JSONValueWriter.leadingKeys == ["apiVersion", "kind", "metadata", "spec", "status"])
    }

    @Test(arguments: [Int64.min, -1_000_000_007, -1, 0, 7, 10, 1_000_000_000_000, Int64.max])
    func integersAreWrittenExactly(number: Int64) {
        #expect(JSONValueWriter.bytes(.integer(number)) == Array(String(number).utf8))
    }

    @Test func stringsAreEscapedLikeGo() {
        let text = "plain \"quoted\" back\\slash\nline\ttab <tag> & \u{01} ünïcødé"
        let written = String(decoding: JSONValueWriter.bytes(.string(text)), as: UTF8.self)
        #expect(written == #""plain \"quoted\" back\\slash\nline\ttab \u003ctag\u003e \u0026 \u0001 ünïcødé""#)
        #expect(JSONValueWriter.bytes(.string("nothing to escape")) == Array(#""nothing to escape""#.utf8))
        #expect(JSONValueWriter.bytes(["ok": true, "no": false, "none": nil]) == Array(#"{"no":false,"none":null,"ok":true}"#.utf8))
    }

    @Test func outputParsesBackToTheSameTree() throws {
        let tree: JSONValue = [
            "apiVersion": "v1", "kind": "List",
            "items": [["name": "a", "count": 3, "ratio": 0.25, "tags": ["x", "y <z>"], "empty": [:]], [], nil, true],
            "nested": ["deeper": ["deepest": [-5, 1.5, "é\\\""]]],
        ]
        let bytes = JSONValueWriter.bytes(tree)
        #expect(try JSONValueParser.parse(bytes) == tree)
        #expect(try JSONSerialization.jsonObject(with: Data(bytes)) is [String: Any])
    }
}
