/// A field selector (upstream `k8s.io/apimachinery/pkg/fields`): comma-separated `field=value`,
/// `field==value`, `field!=value` terms, all of which must match. Values may escape `\`, `,` and
/// `=` with a backslash. The empty selector matches everything.
///
/// Parsing sorts terms by their rendered text, so ``description`` is canonical and re-parses to an
/// equal selector. (Upstream sorts the raw text, which differs only when `==` was used: upstream
/// renders `a==b,a=a` as `a=b,a=a`, this type as `a=a,a=b`.)
/// Value type; Sendable.
public struct FieldSelector: Hashable, Sendable, CustomStringConvertible {
    public let terms: [FieldSelectorTerm]

    /// Matches everything (upstream `fields.Everything()`).
    public static let everything = FieldSelector(terms: [])

    public init(terms: [FieldSelectorTerm]) {
        self.terms = terms
    }

    /// `field=value` for every entry, in sorted field order (upstream `SelectorFromSet`).
    public init(matchingFields fields: [String: String]) {
        self.terms = fields.keys.sorted(by: GoQuoting.byteOrder).map { FieldSelectorTerm(field: $0, value: fields[$0] ?? "") }
    }

    /// Upstream `ParseSelector`.
    public init(parsing selector: String) throws(FieldSelectorParseError) {
        var terms: [FieldSelectorTerm] = []
        for part in Self.splitTerms(selector).sorted(by: GoQuoting.byteOrder) where !part.isEmpty {
            guard let (field, negated, rawValue) = Self.splitTerm(part) else {
                throw .cannotUnderstand(selector: selector, term: part)
            }
            terms.append(FieldSelectorTerm(field: field, value: try Self.unescapeValue(rawValue), isNegated: negated))
        }
        self.terms = terms.sorted { GoQuoting.byteOrder($0.description, $1.description) }
    }

    public var isEmpty: Bool { terms.isEmpty }

    /// Whether every term matches; `fieldLookup` returns a field's value, or nil when absent (read as `""`).
    public func matches(fieldLookup: (String) -> String?) -> Bool {
        terms.allSatisfy { $0.matches(fieldLookup($0.field)) }
    }

    /// Whether every term matches the given field values (absent fields read as `""`).
    public func matches(_ fields: [String: String]) -> Bool {
        matches(fieldLookup: { fields[$0] })
    }

    /// Upstream `RequiresExactMatch`: the value of the first `field=value` term on `field`, if any.
    public func requiredValue(forField field: String) -> String? {
        terms.first { $0.field == field && !$0.isNegated }?.value
    }

    /// Terms joined by `,` (upstream `String()`).
    public var description: String {
        terms.map(\.description).joined(separator: ",")
    }

    // MARK: Escaping

    /// Upstream `EscapeValue`: `\` → `\\`, `,` → `\,`, `=` → `\=`.
    public static func escapeValue(_ value: String) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "," || $0 == "=" }) else { return value }
        var result = ""
        for character in value {
            if character == "\\" || character == "," || character == "=" { result.append("\\") }
            result.append(character)
        }
        return result
    }

    /// Upstream `UnescapeValue`: the inverse of ``escapeValue(_:)``; bare `,`/`=` and unknown escapes are errors.
    public static func unescapeValue(_ value: String) throws(FieldSelectorParseError) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "," || $0 == "=" }) else { return value }
        var result = ""
        var afterBackslash = false
        for scalar in value.unicodeScalars {
            if afterBackslash {
                guard scalar == "\\" || scalar == "," || scalar == "=" else {
                    throw .invalidEscapeSequence("\\" + String(scalar))
                }
                result.unicodeScalars.append(scalar)
                afterBackslash = false
                continue
            }
            switch scalar {
            case "\\": afterBackslash = true
            case ",", "=": throw .unescapedCharacter(Character(scalar))
            default: result.unicodeScalars.append(scalar)
            }
        }
        if afterBackslash { throw .invalidEscapeSequence("\\") }
        return result
    }

    // MARK: Splitting

    /// Splits on commas not preceded by a backslash; escapes are kept in the terms.
    static func splitTerms(_ selector: String) -> [String] {
        if selector.isEmpty { return [] }
        var terms: [String] = []
        var current = ""
        var afterBackslash = false
        for scalar in selector.unicodeScalars {
            if afterBackslash {
                afterBackslash = false
            } else if scalar == "\\" {
                afterBackslash = true
            } else if scalar == "," {
                terms.append(current)
                current = ""
                continue
            }
            current.unicodeScalars.append(scalar)
        }
        terms.append(current)
        return terms
    }

    /// Splits at the first `!=`, `==` or `=` (field names cannot contain escapes).
    static func splitTerm(_ term: String) -> (field: String, negated: Bool, rawValue: String)? {
        let scalars = Array(term.unicodeScalars)
        for index in scalars.indices {
            let remaining = scalars[index...]
            for (op, negated) in [("!=", true), ("==", false), ("=", false)] {
                let opScalars = Array(op.unicodeScalars)
                if remaining.starts(with: opScalars) {
                    var field = ""
                    field.unicodeScalars.append(contentsOf: scalars[..<index])
                    var value = ""
                    value.unicodeScalars.append(contentsOf: scalars[(index + opScalars.count)...])
                    return (field, negated, value)
                }
            }
        }
        return nil
    }
}
