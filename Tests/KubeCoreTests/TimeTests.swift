import Foundation
import KubeCore
import Testing

@Suite struct RFC3339TimeTests {
    @Test(arguments: [
        ("2006-01-02T15:04:05Z", Int64(1_136_214_245)),
        ("2006-01-02T15:04:05.999999999Z", 1_136_214_245),
        ("2006-01-02T15:04:05.5Z", 1_136_214_245),
        ("2006-01-02T17:04:05+02:00", 1_136_214_245),
        ("2006-01-02T10:04:05-05:00", 1_136_214_245),
        ("2006-01-02T15:04:05.123456789123+00:00", 1_136_214_245),
        ("1970-01-01T00:00:00Z", 0),
        ("1969-12-31T23:59:59Z", -1),
        ("2024-02-29T12:00:00Z", 1_709_208_000),
        ("2000-03-01T00:00:00Z", 951_868_800),
        ("0001-01-01T00:00:00Z", -62_135_596_800),
        ("9999-12-31T23:59:59Z", 253_402_300_799),
    ])
    func parses(text: String, seconds: Int64) throws {
        #expect(try RFC3339Time(parsing: text).secondsSince1970 == seconds)
    }

    @Test(arguments: [
        "", "garbage", "2006-01-02", "2006-01-02 15:04:05Z", "2006-01-02T15:04:05", "2006-13-02T15:04:05Z",
        "2006-00-02T15:04:05Z", "2006-02-29T15:04:05Z", "2006-04-31T15:04:05Z", "2006-01-02T24:00:00Z",
        "2006-01-02T15:60:05Z", "2006-01-02T15:04:60Z", "2006-01-02T15:04:05.Z", "2006-01-02T15:04:05+0200",
        "2006-01-02T15:04:05+24:00", "2006-01-02T15:04:05Zjunk", "2006-1-02T15:04:05Z", "２006-01-02T15:04:05Z",
    ])
    func rejects(text: String) {
        #expect(throws: TimestampParseError.self) { try RFC3339Time(parsing: text) }
    }

    @Test func errorMessageSaysWhatToDo() {
        let error = #expect(throws: TimestampParseError.self) { try RFC3339Time(parsing: "2006-01-02T15:04:05") }
        #expect(error?.description.contains(#"parsing time "2006-01-02T15:04:05""#) == true)
        #expect(error?.description.contains("2006-01-02T15:04:05Z") == true)
    }

    @Test(arguments: ["2006-01-02T15:04:05Z", "1970-01-01T00:00:00Z", "1969-07-20T20:17:40Z", "2038-01-19T03:14:08Z", "0000-03-01T00:00:00Z"])
    func formatsCanonically(text: String) throws {
        #expect(try RFC3339Time(parsing: text).description == text)
    }

    @Test func normalizesOffsetsToUTC() throws {
        #expect(try RFC3339Time(parsing: "2006-01-02T01:00:00+02:00").description == "2006-01-01T23:00:00Z")
    }

    @Test func truncatesDatesToWholeSeconds() {
        #expect(RFC3339Time(Date(timeIntervalSince1970: 1.9)).secondsSince1970 == 1)
        #expect(RFC3339Time(Date(timeIntervalSince1970: -0.5)).secondsSince1970 == -1)
        #expect(RFC3339Time(secondsSince1970: 42).date == Date(timeIntervalSince1970: 42))
    }

    @Test func agreesWithFoundationFormatterAcrossCenturies() {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        var seconds: Int64 = -2_208_988_800  // 1900-01-01
        while seconds < 4_102_444_800 {  // 2100-01-01
            let time = RFC3339Time(secondsSince1970: seconds)
            #expect(time.description == formatter.string(from: time.date))
            seconds += 7_777_777
        }
    }

    @Test func codableAsMetaV1Time() throws {
        let time = try RFC3339Time(parsing: "2023-10-05T08:09:10Z")
        #expect(try encodedJSON(Box(value: time)) == #"{"value":"2023-10-05T08:09:10Z"}"#)
        #expect(try decodeJSON(Box<RFC3339Time>.self, #"{"value":"2023-10-05T10:09:10.123+02:00"}"#).value == time)
        #expect(throws: DecodingError.self) { try decodeJSON(Box<RFC3339Time>.self, #"{"value":"yesterday"}"#) }
        #expect(throws: DecodingError.self) { try decodeJSON(Box<RFC3339Time>.self, #"{"value":12}"#) }
    }

    @Test func refusesToEncodeYearsOutsideZeroToNineThousand() {
        #expect(throws: EncodingError.self) { try encodedJSON(Box(value: RFC3339Time(secondsSince1970: 253_402_300_800))) }
        #expect(throws: EncodingError.self) { try encodedJSON(Box(value: RFC3339Time(secondsSince1970: -62_167_219_201))) }
    }

    @Test func isComparable() throws {
        #expect(try RFC3339Time(parsing: "2006-01-02T15:04:05Z") < RFC3339Time(parsing: "2006-01-02T15:04:06Z"))
    }

    @Test func isThreadSafe() async throws {
        let texts = (0..<200).map { RFC3339Time(secondsSince1970: Int64($0) * 86_399 * 37).description }
        let parsed = try await withThrowingTaskGroup(of: (Int, Int64).self) { group in
            for (index, text) in texts.enumerated() {
                group.addTask { (index, try RFC3339Time(parsing: text).secondsSince1970) }
            }
            var results = [Int64](repeating: 0, count: texts.count)
            for try await (index, seconds) in group { results[index] = seconds }
            return results
        }
        #expect(parsed == (0..<200).map { Int64($0) * 86_399 * 37 })
    }
}

@Suite struct MicroTimeTests {
    @Test(arguments: [
        ("2006-01-02T15:04:05.123456Z", Int64(1_136_214_245_123_456), "2006-01-02T15:04:05.123456Z"),
        ("2006-01-02T15:04:05Z", 1_136_214_245_000_000, "2006-01-02T15:04:05.000000Z"),
        ("2006-01-02T15:04:05.1234567Z", 1_136_214_245_123_456, "2006-01-02T15:04:05.123456Z"),
        ("2006-01-02T15:04:05.1Z", 1_136_214_245_100_000, "2006-01-02T15:04:05.100000Z"),
        ("2006-01-02T17:04:05.000001+02:00", 1_136_214_245_000_001, "2006-01-02T15:04:05.000001Z"),
        ("1969-12-31T23:59:59.5Z", -500_000, "1969-12-31T23:59:59.500000Z"),
    ])
    func parsesAndFormats(text: String, micros: Int64, canonical: String) throws {
        let time = try MicroTime(parsing: text)
        #expect(time.microsecondsSince1970 == micros)
        #expect(time.description == canonical)
        #expect(try MicroTime(parsing: canonical) == time)
    }

    @Test func roundTripsThroughDate() {
        for micros: Int64 in [0, 1, 1_700_000_000_123_456, 1_136_214_245_999_999, -1_500_001] {
            let time = MicroTime(microsecondsSince1970: micros)
            #expect(MicroTime(time.date) == time)
        }
    }

    @Test func truncatesToRFC3339Time() {
        #expect(MicroTime(microsecondsSince1970: -1).rfc3339Time.secondsSince1970 == -1)
        #expect(MicroTime(microsecondsSince1970: 1_999_999).rfc3339Time.secondsSince1970 == 1)
    }

    @Test func codable() throws {
        let time = MicroTime(microsecondsSince1970: 1_136_214_245_000_010)
        #expect(try encodedJSON(Box(value: time)) == #"{"value":"2006-01-02T15:04:05.000010Z"}"#)
        #expect(try decodeJSON(Box<MicroTime>.self, #"{"value":"2006-01-02T15:04:05.00001Z"}"#).value == time)
    }
}
