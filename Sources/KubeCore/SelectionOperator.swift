/// Operator of a label-selector requirement (upstream `selection.Operator`); `rawValue` is the
/// upstream string (`"="`, `"in"`, `"gt"`, ...).
/// Value type; Sendable.
public enum SelectionOperator: String, Hashable, Sendable, CaseIterable {
    case doesNotExist = "!"
    case equals = "="
    case doubleEquals = "=="
    case `in` = "in"
    case notEquals = "!="
    case notIn = "notin"
    case exists = "exists"
    case greaterThan = "gt"
    case lessThan = "lt"
}
