/// Proleptic-Gregorian calendar arithmetic and an RFC 3339 parser/formatter (UTC output).
///
/// Pure functions over integers; no Foundation calendars or formatters, hence thread-safe.
enum CivilTime {
    static let secondsPerDay: Int64 = 86_400

    /// Days since 1970-01-01 for a civil date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let shiftedMonth = (month + 9) % 12
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Civil date for a count of days since 1970-01-01.
    static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    static func isLeapYear(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Year of the UTC civil date containing `secondsSince1970`.
    static func year(ofSecondsSince1970 seconds: Int64) -> Int64 {
        civilFromDays(floorDivide(seconds, secondsPerDay)).year
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    /// Formats `secondsSince1970` (UTC) as `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`.
    /// - Parameter microseconds: when non-nil (0..<1_000_000), six fractional digits are written.
    static func format(secondsSince1970 seconds: Int64, microseconds: Int64?) -> String {
        let days = floorDivide(seconds, secondsPerDay)
        let secondOfDay = seconds - days * secondsPerDay
        let date = civilFromDays(days)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(27)
        var year = date.year
        if year < 0 {
            bytes.append(UInt8(ascii: "-"))
            year = -year
        }
        appendPadded(year, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(date.month, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(date.day, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        appendPadded(secondOfDay / 3600, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(secondOfDay / 60 % 60, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(secondOfDay % 60, width: 2, to: &bytes)
        if let microseconds {
            bytes.append(UInt8(ascii: "."))
            appendPadded(microseconds, width: 6, to: &bytes)
        }
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func appendPadded(_ value: Int64, width: Int, to bytes: inout [UInt8]) {
        var digits: [UInt8] = []
        var remaining = value
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(remaining % 10))
            remaining /= 10
        } while remaining > 0
        if digits.count < width {
            bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digits.count))
        }
        bytes.append(contentsOf: digits.reversed())
    }

    /// Parses an RFC 3339 timestamp the way Go's `time.Parse(time.RFC3339, s)` does:
    /// `YYYY-MM-DDTHH:MM:SS`, optional `.fraction` (any number of digits, truncated to nanoseconds),
    /// then `Z` or `±HH:MM`.
    static func parse(_ text: String) -> Result<(seconds: Int64, nanoseconds: Int64), TimestampParseError> {
        let bytes = Array(text.utf8)
        func failure(_ reason: String) -> Result<(seconds: Int64, nanoseconds: Int64), TimestampParseError> {
            .failure(TimestampParseError(input: text, reason: reason))
        }
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= bytes.count else { return nil }
            var value: Int64 = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        func byte(at index: Int, is expected: Character) -> Bool {
            index < bytes.count && bytes[index] == expected.asciiValue
        }
        guard bytes.count >= 20,
            byte(at: 4, is: "-"), byte(at: 7, is: "-"), byte(at: 10, is: "T"),
            byte(at: 13, is: ":"), byte(at: 16, is: ":")
        else {
            return failure("the layout must be YYYY-MM-DDTHH:MM:SS followed by Z or a ±HH:MM offset")
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else {
            return failure("date and time fields must be decimal digits")
        }
        guard (1...12).contains(month) else { return failure("month out of range") }
        guard day >= 1, day <= daysInMonth(year: year, month: month) else { return failure("day out of range") }
        guard hour < 24 else { return failure("hour out of range") }
        guard minute < 60 else { return failure("minute out of range") }
        guard second < 60 else { return failure("second out of range") }

        var index = 19
        var nanoseconds: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digitCount = 0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                if digitCount < 9 {
                    nanoseconds = nanoseconds * 10 + Int64(bytes[index] - UInt8(ascii: "0"))
                }
                digitCount += 1
                index += 1
            }
            guard digitCount > 0 else { return failure("a '.' must be followed by fractional-second digits") }
            for _ in digitCount..<max(digitCount, 9) { nanoseconds *= 10 }
        }

        var offsetSeconds: Int64 = 0
        guard index < bytes.count else { return failure("missing time zone: append Z or a ±HH:MM offset") }
        switch bytes[index] {
        case UInt8(ascii: "Z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign: Int64 = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            guard byte(at: index + 3, is: ":"),
                let offsetHours = number(index + 1..<index + 3),
                let offsetMinutes = number(index + 4..<index + 6)
            else {
                return failure("the time zone offset must look like +HH:MM or -HH:MM")
            }
            guard offsetHours < 24, offsetMinutes < 60 else { return failure("time zone offset out of range") }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
            index += 6
        default:
            return failure("missing time zone: append Z or a ±HH:MM offset")
        }
        guard index == bytes.count else { return failure("extra text after the time zone") }

        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * secondsPerDay + hour * 3600 + minute * 60 + second - offsetSeconds
        return .success((seconds, nanoseconds))
    }
}
