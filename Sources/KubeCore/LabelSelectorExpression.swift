/// A compiled label selector (upstream `labels.Selector`): a conjunction of ``LabelRequirement``s,
/// or the special "nothing" selector that matches no object.
///
/// `LabelSelectorExpression(parsing: "app=web,tier in (a,b),!canary")` follows the upstream string
/// grammar exactly; ``description`` renders the canonical upstream form (requirements sorted by key,
/// `in` values sorted). The empty selector matches everything.
/// Value type; Sendable.
public struct LabelSelectorExpression: Hashable, Sendable, CustomStringConvertible {
    /// The requirements, sorted by key (stable).
    public let requirements: [LabelRequirement]
    /// True only for ``nothing``.
    public let matchesNothing: Bool

    /// Matches every label set (upstream `labels.Everything()`).
    public static let everything = LabelSelectorExpression(requirements: [], matchesNothing: false)
    /// Matches no label set (upstream `labels.Nothing()`); renders as `""`.
    public static let nothing = LabelSelectorExpression(requirements: [], matchesNothing: true)

    private init(requirements: [LabelRequirement], matchesNothing: Bool) {
        self.requirements = requirements
        self.matchesNothing = matchesNothing
    }

    /// A conjunction of `requirements` (sorted by key; no requirements = everything).
    public init(requirements: [LabelRequirement]) {
        self.init(requirements: Self.sortedByKey(requirements), matchesNothing: false)
    }

    /// Parses the upstream selector grammar (`labels.Parse`).
    public init(parsing selector: String) throws(LabelSelectorParseError) {
        var parser = LabelSelectorParser(selector: selector)
        let parsed = try parser.parse()
        self.init(requirements: parsed)
    }

    /// `key=value` for every entry (upstream `SelectorFromValidatedSet` after validation, as
    /// `SelectorFromSet`); an empty set yields ``everything``.
    public init(matchingLabels labels: [String: String]) throws(FieldErrorList) {
        var requirements: [LabelRequirement] = []
        for key in labels.keys.sorted(by: GoQuoting.byteOrder) {
            requirements.append(try LabelRequirement(key: key, operator: .equals, values: [labels[key] ?? ""]))
        }
        self.init(requirements: requirements)
    }

    /// True when this selects everything (no requirements and not ``nothing``).
    public var isEmpty: Bool { !matchesNothing && requirements.isEmpty }

    /// Whether `labels` satisfies every requirement.
    public func matches(_ labels: [String: String]) -> Bool {
        if matchesNothing { return false }
        return requirements.allSatisfy { $0.matches(labels) }
    }

    /// A selector with `additional` requirements appended (re-sorted by key). Adding to ``nothing`` stays nothing.
    public func adding(_ additional: [LabelRequirement]) -> LabelSelectorExpression {
        if matchesNothing { return self }
        return LabelSelectorExpression(requirements: requirements + additional)
    }

    /// Upstream `RequiresExactMatch`: the value the first requirement on `key` pins it to
    /// (`=`, `==`, or `in` with one value), or nil.
    public func requiredValue(forKey key: String) -> String? {
        guard let requirement = requirements.first(where: { $0.key == key }) else { return nil }
        switch requirement.operator {
        case .equals, .doubleEquals, .in:
            return requirement.values.count == 1 ? requirement.values[0] : nil
        default:
            return nil
        }
    }

    /// Upstream `String()`: requirements joined by `,`; both ``everything`` and ``nothing`` render as `""`.
    public var description: String {
        requirements.map(\.description).joined(separator: ",")
    }

    static func sortedByKey(_ requirements: [LabelRequirement]) -> [LabelRequirement] {
        requirements.enumerated()
            .sorted { lhs, rhs in
                if lhs.element.key == rhs.element.key { return lhs.offset < rhs.offset }
                return GoQuoting.byteOrder(lhs.element.key, rhs.element.key)
            }
            .map(\.element)
    }
}
