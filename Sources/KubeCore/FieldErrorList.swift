/// An ordered list of ``FieldError``s (upstream `field.ErrorList`). Throwable; ``description``
/// renders like upstream `ToAggregate().Error()`: duplicates dropped, one error printed bare,
/// several as `[first, second]`.
/// Value type; Sendable.
public struct FieldErrorList: Error, Hashable, Sendable, CustomStringConvertible, RandomAccessCollection,
    ExpressibleByArrayLiteral
{
    public var errors: [FieldError]

    public init(_ errors: [FieldError] = []) { self.errors = errors }
    public init(arrayLiteral elements: FieldError...) { self.errors = elements }

    public var startIndex: Int { errors.startIndex }
    public var endIndex: Int { errors.endIndex }
    public subscript(position: Int) -> FieldError { errors[position] }

    public mutating func append(_ error: FieldError) { errors.append(error) }
    public mutating func append(contentsOf other: FieldErrorList) { errors.append(contentsOf: other.errors) }
    public mutating func append(contentsOf other: [FieldError]) { errors.append(contentsOf: other) }

    /// Messages in order with exact duplicates removed (upstream `ToAggregate` de-duplication).
    public var uniqueMessages: [String] {
        var seen = Set<String>()
        var messages: [String] = []
        for error in errors {
            let message = error.description
            if seen.insert(message).inserted { messages.append(message) }
        }
        return messages
    }

    public var description: String {
        let messages = uniqueMessages
        switch messages.count {
        case 0: return ""
        case 1: return messages[0]
        default: return "[" + messages.joined(separator: ", ") + "]"
        }
    }
}
