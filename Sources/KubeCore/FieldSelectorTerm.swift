/// One `field=value` or `field!=value` term of a ``FieldSelector``. `value` is unescaped.
/// Value type; Sendable.
public struct FieldSelectorTerm: Hashable, Sendable, CustomStringConvertible {
    public var field: String
    public var value: String
    /// True for `!=`.
    public var isNegated: Bool

    public init(field: String, value: String, isNegated: Bool = false) {
        self.field = field
        self.value = value
        self.isNegated = isNegated
    }

    /// Upstream `hasTerm`/`notHasTerm`: a missing field reads as `""`.
    public func matches(_ fieldValue: String?) -> Bool {
        let actual = fieldValue ?? ""
        return isNegated ? actual != value : actual == value
    }

    /// `field=value` / `field!=value` with the value escaped (upstream `EscapeValue`).
    public var description: String {
        field + (isNegated ? "!=" : "=") + FieldSelector.escapeValue(value)
    }
}
