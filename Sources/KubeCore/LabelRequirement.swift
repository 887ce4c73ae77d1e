/// One validated term of a label selector (upstream `labels.Requirement`), e.g. `tier in (a,b)`.
///
/// Creation validates like upstream `NewRequirement` (key is a qualified name, values are label
/// values, operator-specific value counts, integers for `gt`/`lt`) and throws a ``FieldErrorList``.
/// Value type; Sendable.
public struct LabelRequirement: Hashable, Sendable, CustomStringConvertible {
    public let key: String
    public let `operator`: SelectionOperator
    /// Values in the order given (``description`` sorts them; parsed requirements are already sorted and unique).
    public let values: [String]

    public init(key: String, operator: SelectionOperator, values: [String] = []) throws(FieldErrorList) {
        try self.init(key: key, operator: `operator`, values: values, path: nil)
    }

    /// - Parameter path: prefix for error field paths; nil renders as upstream's nil path.
    init(key: String, operator: SelectionOperator, values: [String], path: FieldPath?) throws(FieldErrorList) {
        var errors = FieldErrorList()
        func at(_ name: String) -> FieldPath { path?.child(name) ?? FieldPath(name) }
        let keyMessages = NameValidation.qualifiedNameErrors(key)
        if !keyMessages.isEmpty {
            errors.append(.invalid(at("key"), .string(key), keyMessages.joined(separator: "; ")))
        }
        let valuesPath = at("values")
        switch `operator` {
        case .in, .notIn:
            if values.isEmpty {
                errors.append(.invalid(valuesPath, .strings(values), "for 'in', 'notin' operators, values set can't be empty"))
            }
        case .equals, .doubleEquals, .notEquals:
            if values.count != 1 {
                errors.append(.invalid(valuesPath, .strings(values), "exact-match compatibility requires one single value"))
            }
        case .exists, .doesNotExist:
            if !values.isEmpty {
                errors.append(.invalid(valuesPath, .strings(values), "values set must be empty for exists and does not exist"))
            }
        case .greaterThan, .lessThan:
            if values.count != 1 {
                errors.append(.invalid(valuesPath, .strings(values), "for 'Gt', 'Lt' operators, exactly one value is required"))
            }
            for (index, value) in values.enumerated() where Int64(value) == nil {
                errors.append(
                    .invalid(valuesPath.index(index), .string(value), "for 'Gt', 'Lt' operators, the value must be an integer")
                )
            }
        }
        for (index, value) in values.enumerated() {
            let valueMessages = NameValidation.labelValueErrors(value)
            if !valueMessages.isEmpty {
                errors.append(.invalid(valuesPath.index(index).key(key), .string(value), valueMessages.joined(separator: "; ")))
            }
        }
        if !errors.isEmpty { throw errors }
        self.key = key
        self.operator = `operator`
        self.values = values
    }

    /// Upstream `Requirement.Matches`. Missing keys match `!=`, `notin` and `!`; `gt`/`lt` need
    /// both sides to be base-10 `Int64`s.
    public func matches(_ labels: [String: String]) -> Bool {
        switch `operator` {
        case .in, .equals, .doubleEquals:
            guard let value = labels[key] else { return false }
            return values.contains(value)
        case .notIn, .notEquals:
            guard let value = labels[key] else { return true }
            return !values.contains(value)
        case .exists:
            return labels[key] != nil
        case .doesNotExist:
            return labels[key] == nil
        case .greaterThan, .lessThan:
            guard let text = labels[key], let labelValue = Int64(text), values.count == 1,
                let bound = Int64(values[0])
            else {
                return false
            }
            return `operator` == .greaterThan ? labelValue > bound : labelValue < bound
        }
    }

    /// Upstream `Requirement.String()`: `!key`, `key`, `key=value`, `key in (a,b)` (values sorted), `key>1`.
    public var description: String {
        var result = `operator` == .doesNotExist ? "!" + key : key
        switch `operator` {
        case .equals: result += "="
        case .doubleEquals: result += "=="
        case .notEquals: result += "!="
        case .in: result += " in "
        case .notIn: result += " notin "
        case .greaterThan: result += ">"
        case .lessThan: result += "<"
        case .exists, .doesNotExist: return result
        }
        let rendered = values.count == 1 ? values[0] : values.sorted(by: GoQuoting.byteOrder).joined(separator: ",")
        if `operator` == .in || `operator` == .notIn {
            result += "(" + rendered + ")"
        } else {
            result += rendered
        }
        return result
    }
}
