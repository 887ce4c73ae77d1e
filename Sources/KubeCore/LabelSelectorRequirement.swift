/// One `matchExpressions` entry of a ``LabelSelector`` (upstream `metav1.LabelSelectorRequirement`):
/// `{"key": ..., "operator": "In", "values": [...]}`; `values` is omitted when empty.
/// Value type; Sendable.
public struct LabelSelectorRequirement: Codable, Hashable, Sendable {
    public var key: String
    public var `operator`: LabelSelectorOperator
    public var values: [String]

    public init(key: String, operator: LabelSelectorOperator, values: [String] = []) {
        self.key = key
        self.operator = `operator`
        self.values = values
    }

    private enum CodingKeys: String, CodingKey {
        case key, `operator`, values
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        key = try container.decode(String.self, forKey: .key, orDefault: "")
        self.operator = try container.decode(LabelSelectorOperator.self, forKey: .operator, orDefault: "")
        values = try container.decode([String].self, forKey: .values, orDefault: [])
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key, forKey: .key)
        try container.encode(self.operator, forKey: .operator)
        try container.encodeUnlessEmpty(values, forKey: .values)
    }

    /// Upstream `ValidateLabelSelectorRequirement`, reporting under `path` (e.g. `...matchExpressions[0]`).
    public func validate(at path: FieldPath, allowInvalidLabelValueInSelector: Bool = false) -> FieldErrorList {
        var errors = FieldErrorList()
        switch self.operator.selectionOperator {
        case .in, .notIn:
            if values.isEmpty {
                errors.append(.required(path.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"))
            }
        case .exists, .doesNotExist:
            if !values.isEmpty {
                errors.append(
                    .forbidden(path.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")
                )
            }
        default:
            errors.append(.invalid(path.child("operator"), .string(self.operator.rawValue), "not a valid selector operator"))
        }
        for message in NameValidation.qualifiedNameErrors(key) {
            errors.append(.invalid(path.child("key"), .string(key), message))
        }
        if !allowInvalidLabelValueInSelector {
            for (index, value) in values.enumerated() {
                for message in NameValidation.labelValueErrors(value) {
                    errors.append(.invalid(path.child("values").index(index), .string(value), message))
                }
            }
        }
        return errors
    }
}
