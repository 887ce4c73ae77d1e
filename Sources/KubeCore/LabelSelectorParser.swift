/// Lexer and recursive-descent parser for the label selector grammar of upstream
/// `k8s.io/apimachinery/pkg/labels/selector.go`, including its exact error messages.
struct LabelSelectorParser {
    enum Token: Equatable {
        case error, endOfString, closedParenthesis, comma, doesNotExist, doubleEquals, equals
        case greaterThan, identifier, `in`, lessThan, notEquals, notIn, openParenthesis
    }

    struct ScannedItem {
        var token: Token
        var literal: String
    }

    enum Context {
        case keyAndOperator
        case values
    }

    private static let binaryOperatorList = "in, notin, =, ==, !=, gt, lt"

    let selector: String
    private var items: [ScannedItem] = []
    private var position = 0

    init(selector: String) {
        self.selector = selector
    }

    // MARK: Lexer

    private static func keyword(_ text: String) -> Token? {
        switch text {
        case ")": return .closedParenthesis
        case ",": return .comma
        case "!": return .doesNotExist
        case "==": return .doubleEquals
        case "=": return .equals
        case ">": return .greaterThan
        case "in": return .in
        case "<": return .lessThan
        case "!=": return .notEquals
        case "notin": return .notIn
        case "(": return .openParenthesis
        default: return nil
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
    }

    private static func isSpecialSymbol(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","),
            UInt8(ascii: ">"), UInt8(ascii: "<"):
            return true
        default:
            return false
        }
    }

    /// Splits the selector into tokens, ending with `.endOfString`. A NUL byte ends input, as upstream.
    private static func scan(_ text: String) -> [ScannedItem] {
        let bytes = Array(text.utf8)
        var cursor = 0
        func read() -> UInt8 {
            guard cursor < bytes.count else { return 0 }
            defer { cursor += 1 }
            return bytes[cursor]
        }
        var result: [ScannedItem] = []
        while true {
            var byte = read()
            while isWhitespace(byte) { byte = read() }
            if byte == 0 {
                result.append(ScannedItem(token: .endOfString, literal: ""))
                return result
            }
            cursor -= 1
            if isSpecialSymbol(byte) {
                var buffer: [UInt8] = []
                var last: ScannedItem?
                while true {
                    let next = read()
                    if next == 0 { break }
                    guard isSpecialSymbol(next) else {
                        cursor -= 1
                        break
                    }
                    buffer.append(next)
                    let text = String(decoding: buffer, as: UTF8.self)
                    if let token = keyword(text) {
                        last = ScannedItem(token: token, literal: text)
                    } else if last != nil {
                        cursor -= 1
                        break
                    }
                }
                result.append(
                    last
                        ?? ScannedItem(
                            token: .error,
                            literal: "error expected: keyword found '\(String(decoding: buffer, as: UTF8.self))'"
                        )
                )
            } else {
                var buffer: [UInt8] = []
                while true {
                    let next = read()
                    if next == 0 { break }
                    if isSpecialSymbol(next) || isWhitespace(next) {
                        cursor -= 1
                        break
                    }
                    buffer.append(next)
                }
                let text = String(decoding: buffer, as: UTF8.self)
                result.append(ScannedItem(token: keyword(text) ?? .identifier, literal: text))
            }
        }
    }

    // MARK: Parser

    private func lookahead(_ context: Context) -> ScannedItem {
        adjusted(items[position], context)
    }

    private mutating func consume(_ context: Context) -> ScannedItem {
        position += 1
        return adjusted(items[position - 1], context)
    }

    /// In a values context the keywords `in`/`notin` are ordinary identifiers.
    private func adjusted(_ item: ScannedItem, _ context: Context) -> ScannedItem {
        if context == .values, item.token == .in || item.token == .notIn {
            return ScannedItem(token: .identifier, literal: item.literal)
        }
        return item
    }

    private func failure(_ message: String) -> LabelSelectorParseError {
        LabelSelectorParseError(selector: selector, message: message)
    }

    mutating func parse() throws(LabelSelectorParseError) -> [LabelRequirement] {
        items = Self.scan(selector)
        position = 0
        var requirements: [LabelRequirement] = []
        while true {
            let next = lookahead(.values)
            switch next.token {
            case .identifier, .doesNotExist:
                let requirement: LabelRequirement
                do {
                    requirement = try parseRequirement()
                } catch {
                    throw failure("unable to parse requirement: " + error.message)
                }
                requirements.append(requirement)
                let separator = consume(.values)
                switch separator.token {
                case .endOfString:
                    return requirements
                case .comma:
                    let following = lookahead(.values)
                    if following.token != .identifier && following.token != .doesNotExist {
                        throw failure("found '\(following.literal)', expected: identifier after ','")
                    }
                default:
                    throw failure("found '\(separator.literal)', expected: ',' or 'end of string'")
                }
            case .endOfString:
                return requirements
            default:
                throw failure("found '\(next.literal)', expected: !, identifier, or 'end of string'")
            }
        }
    }

    private mutating func parseRequirement() throws(LabelSelectorParseError) -> LabelRequirement {
        let (key, inferred) = try parseKeyAndInferOperator()
        if let inferred {
            return try makeRequirement(key: key, operator: inferred, values: [])
        }
        let selectionOperator = try parseOperator()
        let values: Set<String>
        switch selectionOperator {
        case .in, .notIn:
            values = try parseValues()
        default:
            values = try parseExactValue()
        }
        return try makeRequirement(key: key, operator: selectionOperator, values: values.sorted(by: GoQuoting.byteOrder))
    }

    private func makeRequirement(
        key: String,
        operator selectionOperator: SelectionOperator,
        values: [String]
    ) throws(LabelSelectorParseError) -> LabelRequirement {
        do {
            return try LabelRequirement(key: key, operator: selectionOperator, values: values, path: nil)
        } catch {
            throw failure(error.description)
        }
    }

    /// Returns the key and, for unary requirements (`key` / `!key`), the operator.
    private mutating func parseKeyAndInferOperator() throws(LabelSelectorParseError) -> (String, SelectionOperator?) {
        var selectionOperator: SelectionOperator?
        var item = consume(.values)
        if item.token == .doesNotExist {
            selectionOperator = .doesNotExist
            item = consume(.values)
        }
        guard item.token == .identifier else {
            throw failure("found '\(item.literal)', expected: identifier")
        }
        let keyMessages = NameValidation.qualifiedNameErrors(item.literal)
        if !keyMessages.isEmpty {
            // Upstream validates with a nil field path, which prints as "<nil>".
            let error = FieldError(
                type: .invalid,
                field: "<nil>",
                badValue: .string(item.literal),
                detail: keyMessages.joined(separator: "; ")
            )
            throw failure(error.description)
        }
        let next = lookahead(.values).token
        if next == .endOfString || next == .comma, selectionOperator == nil {
            selectionOperator = .exists
        }
        return (item.literal, selectionOperator)
    }

    private mutating func parseOperator() throws(LabelSelectorParseError) -> SelectionOperator {
        let item = consume(.keyAndOperator)
        switch item.token {
        case .in: return .in
        case .equals: return .equals
        case .doubleEquals: return .doubleEquals
        case .greaterThan: return .greaterThan
        case .lessThan: return .lessThan
        case .notIn: return .notIn
        case .notEquals: return .notEquals
        default:
            throw failure("found '\(item.literal)', expected: \(Self.binaryOperatorList)")
        }
    }

    private mutating func parseValues() throws(LabelSelectorParseError) -> Set<String> {
        let open = consume(.values)
        guard open.token == .openParenthesis else {
            throw failure("found '\(open.literal)' expected: '('")
        }
        let next = lookahead(.values)
        switch next.token {
        case .identifier, .comma:
            let values = try parseIdentifiersList()
            if consume(.values).token != .closedParenthesis {
                throw failure("found '\(next.literal)', expected: ')'")
            }
            return values
        case .closedParenthesis:
            _ = consume(.values)
            return [""]
        default:
            throw failure("found '\(next.literal)', expected: ',', ')' or identifier")
        }
    }

    private mutating func parseIdentifiersList() throws(LabelSelectorParseError) -> Set<String> {
        var values = Set<String>()
        while true {
            let item = consume(.values)
            switch item.token {
            case .identifier:
                values.insert(item.literal)
                let next = lookahead(.values)
                switch next.token {
                case .comma:
                    continue
                case .closedParenthesis:
                    return values
                default:
                    throw failure("found '\(next.literal)', expected: ',' or ')'")
                }
            case .comma:
                if values.isEmpty { values.insert("") }
                let next = lookahead(.values).token
                if next == .closedParenthesis {
                    values.insert("")
                    return values
                }
                if next == .comma {
                    _ = consume(.values)
                    values.insert("")
                }
            default:
                throw failure("found '\(item.literal)', expected: ',', or identifier")
            }
        }
    }

    private mutating func parseExactValue() throws(LabelSelectorParseError) -> Set<String> {
        let next = lookahead(.values).token
        if next == .endOfString || next == .comma {
            return [""]
        }
        let item = consume(.values)
        if item.token == .identifier {
            return [item.literal]
        }
        throw failure("found '\(item.literal)', expected: identifier")
    }
}
