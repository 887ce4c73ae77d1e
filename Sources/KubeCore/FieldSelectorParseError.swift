/// A field selector string that cannot be parsed; ``description`` is the upstream message.
/// Value type; Sendable.
public enum FieldSelectorParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A term has no `=`, `==` or `!=` (upstream `invalid selector: '<selector>'; can't understand '<term>'`).
    case cannotUnderstand(selector: String, term: String)
    /// A backslash is followed by something other than `\`, `,` or `=`, or ends the value.
    case invalidEscapeSequence(String)
    /// A value contains a bare `,` or `=`; escape it as `\,` / `\=`.
    case unescapedCharacter(Character)

    public var description: String {
        switch self {
        case .cannotUnderstand(let selector, let term):
            return "invalid selector: '\(selector)'; can't understand '\(term)'"
        case .invalidEscapeSequence(let sequence):
            return "invalid field selector: invalid escape sequence: \(sequence)"
        case .unescapedCharacter(let character):
            // Upstream prints the rune with %v, i.e. as its code point number.
            let codePoint = character.unicodeScalars.first.map { String($0.value) } ?? ""
            return "invalid field selector: unescaped character in value: \(codePoint)"
        }
    }
}
