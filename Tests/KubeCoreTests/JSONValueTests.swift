import Foundation
import KubeCore
import Testing

@Suite struct JSONValueTests {
    @Test func decodesEveryKindAndKeepsIntegersApartFromDoubles() throws {
        let value = try jsonValue(#"{"a":null,"b":true,"c":1,"d":1.5,"e":"s","f":[1,"x"],"g":{"h":-9007199254740993}}"#)
        #expect(value["a"] == .null)
        #expect(value["b"] == .bool(true))
        #expect(value["c"] == .integer(1))
        #expect(value["d"] == .number(1.5))
        #expect(value["e"] == .string("s"))
        #expect(value["f"] == .array([.integer(1), .string("x")]))
        #expect(value["g"]?["h"] == .integer(-9_007_199_254_740_993))
        #expect(value["f"]?[1] == .string("x"))
        #expect(value["f"]?[2] == nil)
        #expect(value["missing"] == nil)
    }

    @Test func integerAndDoubleAreDifferentValues() {
        #expect(JSONValue.integer(1) != JSONValue.number(1))
    }

    @Test func encodesDeterministicallyWithSortedKeys() throws {
        let value: JSONValue = ["z": 1, "a": ["k:{\"name\":\"c\"}": [:]], "m": [true, nil, 2.5]]
        let first = try encodedJSON(value)
        #expect(first == #"{"a":{"k:{\"name\":\"c\"}":{}},"m":[true,null,2.5],"z":1}"#)
        for _ in 0..<20 {
            #expect(try encodedJSON(value) == first)
        }
    }

    @Test func roundTrips() throws {
        let text = #"{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"n":[1,2.25,"3",false,null]}"#
        let value = try jsonValue(text)
        #expect(try jsonValue(encodedJSON(value)) == value)
        #expect(try encodedJSON(value) == text)
    }

    @Test func hugeIntegersFallBackToDouble() throws {
        #expect(try jsonValue("18446744073709551616") == .number(18_446_744_073_709_551_616))
    }
}
