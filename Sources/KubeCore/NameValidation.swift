/// Upstream `k8s.io/apimachinery/pkg/util/validation` checks for label keys, label values and
/// DNS-1123 names. Each function returns the upstream error messages; an empty array means valid.
/// Stateless namespace; thread-safe.
public enum NameValidation {
    static let qualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    static let qualifiedNameMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
    public static let qualifiedNameMaxLength = 63
    static let labelValueFormat = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?"
    static let labelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
    public static let labelValueMaxLength = 63
    static let dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    static let dns1123SubdomainFormat = dns1123LabelFormat + "(\\." + dns1123LabelFormat + ")*"
    static let dns1123SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
    public static let dns1123SubdomainMaxLength = 253
    static let dns1123LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
    public static let dns1123LabelMaxLength = 63

    /// Upstream `IsQualifiedName`: label keys and annotation keys (`[prefix/]name`).
    public static func qualifiedNameErrors(_ value: String) -> [String] {
        var errors: [String] = []
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        let name: Substring
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            let prefix = parts[0]
            name = parts[1]
            if prefix.isEmpty {
                errors.append("prefix part " + emptyError)
            } else {
                errors.append(contentsOf: dns1123SubdomainErrors(String(prefix)).map { "prefix part " + $0 })
            }
        default:
            return [
                "a qualified name "
                    + regexError(qualifiedNameMessage, qualifiedNameFormat, examples: ["MyName", "my.name", "123-abc"])
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            ]
        }
        if name.isEmpty {
            errors.append("name part " + emptyError)
        } else if name.utf8.count > qualifiedNameMaxLength {
            errors.append("name part " + maxLengthError(qualifiedNameMaxLength))
        }
        if !isQualifiedNamePart(name.utf8) {
            errors.append(
                "name part " + regexError(qualifiedNameMessage, qualifiedNameFormat, examples: ["MyName", "my.name", "123-abc"])
            )
        }
        return errors
    }

    /// Upstream `IsValidLabelValue`: empty, or ≤ 63 characters of `[-A-Za-z0-9_.]` starting and ending alphanumeric.
    public static func labelValueErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > labelValueMaxLength {
            errors.append(maxLengthError(labelValueMaxLength))
        }
        if !(value.isEmpty || isQualifiedNamePart(value.utf8)) {
            errors.append(regexError(labelValueMessage, labelValueFormat, examples: ["MyValue", "my_value", "12345"]))
        }
        return errors
    }

    /// Upstream `IsDNS1123Subdomain` (most object names): lowercase, ≤ 253 characters, dot-separated labels.
    public static func dns1123SubdomainErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > dns1123SubdomainMaxLength {
            errors.append(maxLengthError(dns1123SubdomainMaxLength))
        }
        let labels = value.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        if !labels.allSatisfy({ isDNS1123LabelBytes($0) }) {
            errors.append(regexError(dns1123SubdomainMessage, dns1123SubdomainFormat, examples: ["example.com"]))
        }
        return errors
    }

    /// Upstream `IsDNS1123Label` (namespace names, service names): lowercase, ≤ 63 characters, no dots.
    public static func dns1123LabelErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > dns1123LabelMaxLength {
            errors.append(maxLengthError(dns1123LabelMaxLength))
        }
        if !isDNS1123LabelBytes(value.utf8[...]) {
            errors.append(regexError(dns1123LabelMessage, dns1123LabelFormat, examples: ["my-name", "123-abc"]))
        }
        return errors
    }

    /// Upstream `IsValidPathSegmentName` (RBAC names such as `system:controller:x`): anything that is not
    /// `.` or `..` and contains neither `/` nor `%`.
    public static func pathSegmentNameErrors(_ value: String) -> [String] {
        if value == "." || value == ".." { return ["may not be '\(value)'"] }
        return ["/", "%"].filter { value.contains($0) }.map { "may not contain '\($0)'" }
    }

    // MARK: Message helpers (upstream shapes, including the double space before "or")

    static let emptyError = "must be non-empty"

    static func maxLengthError(_ length: Int) -> String {
        "must be no more than \(length) characters"
    }

    static func regexError(_ message: String, _ format: String, examples: [String]) -> String {
        if examples.isEmpty {
            return message + " (regex used for validation is '" + format + "')"
        }
        var result = message + " (e.g. "
        for (index, example) in examples.enumerated() {
            if index > 0 { result += " or " }
            result += "'" + example + "', "
        }
        return result + "regex used for validation is '" + format + "')"
    }

    // MARK: Character classes

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, anchored.
    static func isQualifiedNamePart<Bytes: BidirectionalCollection<UInt8>>(_ bytes: Bytes) -> Bool {
        guard let first = bytes.first, let last = bytes.last, isAlphanumeric(first), isAlphanumeric(last) else {
            return false
        }
        return bytes.allSatisfy {
            isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
        }
    }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, anchored.
    static func isDNS1123LabelBytes<Bytes: BidirectionalCollection<UInt8>>(_ bytes: Bytes) -> Bool {
        guard let first = bytes.first, let last = bytes.last, isLowerAlphanumeric(first), isLowerAlphanumeric(last) else {
            return false
        }
        return bytes.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }
}
