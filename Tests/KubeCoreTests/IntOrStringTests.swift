import KubeCore
import Testing

@Suite struct IntOrStringTests {
    @Test func codableAsIntOrString() throws {
        #expect(try decodeJSON(Box<IntOrString>.self, #"{"value":8080}"#).value == .int(8080))
        #expect(try decodeJSON(Box<IntOrString>.self, #"{"value":"http"}"#).value == .string("http"))
        #expect(try decodeJSON(Box<IntOrString>.self, #"{"value":"25%"}"#).value == "25%")
        #expect(try encodedJSON(Box<IntOrString>(value: 3)) == #"{"value":3}"#)
        #expect(try encodedJSON(Box<IntOrString>(value: "25%")) == #"{"value":"25%"}"#)
        #expect(throws: DecodingError.self) { try decodeJSON(Box<IntOrString>.self, #"{"value":1.5}"#) }
        #expect(throws: DecodingError.self) { try decodeJSON(Box<IntOrString>.self, #"{"value":3000000000}"#) }
        #expect(throws: DecodingError.self) { try decodeJSON(Box<IntOrString>.self, #"{"value":true}"#) }
    }

    @Test func intValueAndDescription() {
        #expect(IntOrString.int(5).intValue == 5)
        #expect(IntOrString.string("12").intValue == 12)
        #expect(IntOrString.string("x").intValue == 0)
        #expect(IntOrString.int(-3).description == "-3")
        #expect(IntOrString.string("25%").description == "25%")
    }

    @Test(arguments: [
        (IntOrString.int(5), 10, true, 5),
        (.int(5), 10, false, 5),
        (.string("25%"), 10, true, 3),
        (.string("25%"), 10, false, 2),
        (.string("100%"), 7, true, 7),
        (.string("0%"), 7, true, 0),
        (.string("50%"), 5, true, 3),
        (.string("50%"), 5, false, 2),
        (.string("+10%"), 100, false, 10),
        (.string("-25%"), 10, true, -2),
        (.string("-25%"), 10, false, -3),
        (.string("30%"), 0, true, 0),
    ])
    func scaledValue(value: IntOrString, total: Int, roundUp: Bool, expected: Int) throws {
        #expect(try value.scaledValue(total: total, roundUp: roundUp) == expected)
    }

    @Test(arguments: [
        ("abc", "invalid value for IntOrString: invalid type: string is not a percentage"),
        ("10", "invalid value for IntOrString: invalid type: string is not a percentage"),
        ("abc%", #"invalid value for IntOrString: invalid value "abc%": strconv.Atoi: parsing "abc": invalid syntax"#),
        ("%", #"invalid value for IntOrString: invalid value "%": strconv.Atoi: parsing "": invalid syntax"#),
        ("1.5%", #"invalid value for IntOrString: invalid value "1.5%": strconv.Atoi: parsing "1.5": invalid syntax"#),
        ("99999999999999999999%", #"invalid value for IntOrString: invalid value "99999999999999999999%": strconv.Atoi: parsing "99999999999999999999": value out of range"#),
    ])
    func rejectsNonPercentages(text: String, message: String) {
        let error = #expect(throws: IntOrStringError.self) { try IntOrString.string(text).scaledValue(total: 10, roundUp: true) }
        #expect(error?.description == message)
    }
}
