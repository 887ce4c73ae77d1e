/// Kubernetes `metav1.LabelSelector` as it appears in API objects:
/// `{"matchLabels": {...}, "matchExpressions": [...]}` (both omitted when empty).
///
/// Use ``LabelSelectorExpression/init(_:)`` to compile one (nil → nothing, empty → everything)
/// and ``validate(at:allowInvalidLabelValueInSelector:)`` for upstream-shaped field errors.
/// Value type; Sendable.
public struct LabelSelector: Codable, Hashable, Sendable {
    public var matchLabels: [String: String]
    public var matchExpressions: [LabelSelectorRequirement]

    public init(matchLabels: [String: String] = [:], matchExpressions: [LabelSelectorRequirement] = []) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }

    private enum CodingKeys: String, CodingKey {
        case matchLabels, matchExpressions
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        matchLabels = try container.decode([String: String].self, forKey: .matchLabels, orDefault: [:])
        matchExpressions = try container.decode([LabelSelectorRequirement].self, forKey: .matchExpressions, orDefault: [])
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeUnlessEmpty(matchLabels, forKey: .matchLabels)
        try container.encodeUnlessEmpty(matchExpressions, forKey: .matchExpressions)
    }

    /// Upstream `ValidateLabelSelector`, reporting under `path` (e.g. `spec.selector`).
    /// `matchLabels` entries are checked in sorted key order (Go's map order is random).
    public func validate(at path: FieldPath, allowInvalidLabelValueInSelector: Bool = false) -> FieldErrorList {
        var errors = FieldErrorList()
        let labelsPath = path.child("matchLabels")
        for key in matchLabels.keys.sorted(by: GoQuoting.byteOrder) {
            for message in NameValidation.qualifiedNameErrors(key) {
                errors.append(.invalid(labelsPath, .string(key), message))
            }
            let value = matchLabels[key] ?? ""
            for message in NameValidation.labelValueErrors(value) {
                errors.append(.invalid(labelsPath, .string(value), message))
            }
        }
        for (index, expression) in matchExpressions.enumerated() {
            errors.append(
                contentsOf: expression.validate(
                    at: path.child("matchExpressions").index(index),
                    allowInvalidLabelValueInSelector: allowInvalidLabelValueInSelector
                )
            )
        }
        return errors
    }
}

extension LabelSelectorExpression {
    /// Upstream `LabelSelectorAsSelector`: nil → ``nothing``; no labels and no expressions →
    /// ``everything``; otherwise `matchLabels` as `key=value` plus each expression.
    public init(_ selector: LabelSelector?) throws(LabelSelectorConversionError) {
        guard let selector else {
            self = .nothing
            return
        }
        if selector.matchLabels.isEmpty && selector.matchExpressions.isEmpty {
            self = .everything
            return
        }
        var requirements: [LabelRequirement] = []
        for key in selector.matchLabels.keys.sorted(by: GoQuoting.byteOrder) {
            do {
                requirements.append(try LabelRequirement(key: key, operator: .equals, values: [selector.matchLabels[key] ?? ""]))
            } catch {
                throw .invalidRequirement(error)
            }
        }
        for expression in selector.matchExpressions {
            guard let selectionOperator = expression.operator.selectionOperator else {
                throw .invalidOperator(expression.operator.rawValue)
            }
            do {
                requirements.append(
                    try LabelRequirement(key: expression.key, operator: selectionOperator, values: expression.values)
                )
            } catch {
                throw .invalidRequirement(error)
            }
        }
        self.init(requirements: requirements)
    }
}
