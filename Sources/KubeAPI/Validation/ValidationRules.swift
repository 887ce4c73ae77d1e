import Foundation
import KubeCore

// Shared checks for the hand-written validation of the cluster, workload and networking kinds
// (upstream k8s.io/apimachinery/pkg/api/validation, pkg/util/validation and the helpers of
// k8s.io/kubernetes/pkg/apis/core/validation). Messages are upstream's, word for word.

/// How a kind's `metadata.name` is checked (upstream `ValidateNameFunc`).
enum NameRule: Sendable {
    /// `NameIsDNSSubdomain`: most kinds.
    case dns1123Subdomain
    /// `NameIsDNSLabel`: Namespace, StatefulSet.
    case dns1123Label
    /// `NameIsDNS1035Label`: Service.
    case dns1035Label
    /// `path.IsValidPathSegmentName`: the RBAC kinds.
    case pathSegment
    /// Any name: CertificateSigningRequest.
    case any

    /// The messages for `name`; `prefix` masks a trailing dash as upstream does for `generateName`.
    func errors(_ name: String, prefix: Bool = false) -> [String] {
        let value = prefix ? ValidationRules.maskTrailingDash(name) : name
        switch self {
        case .dns1123Subdomain: return NameValidation.dns1123SubdomainErrors(value)
        case .dns1123Label: return NameValidation.dns1123LabelErrors(value)
        case .dns1035Label: return ValidationRules.dns1035LabelErrors(value)
        case .pathSegment: return NameValidation.pathSegmentNameErrors(name)
        case .any: return []
        }
    }
}

/// Stateless namespace of validation helpers.
enum ValidationRules {
    static let fieldImmutable = "field is immutable"
    static let isNegative = "must be greater than or equal to 0"

    // MARK: Object metadata

    /// The create-time part of upstream `ValidateObjectMeta` that depends on the kind: `generateName` and
    /// `name` against the kind's name rule, and the namespace required (namespaced kinds) or forbidden
    /// (cluster-scoped kinds). Label, annotation and owner syntax are checked for every kind by the server.
    static func objectMeta(_ meta: ObjectMeta, namespaced: Bool, name rule: NameRule) -> FieldErrorList {
        var errors = FieldErrorList()
        let path = FieldPath("metadata")
        if !meta.generateName.isEmpty {
            for message in rule.errors(meta.generateName, prefix: true) {
                errors.append(.invalid(path.child("generateName"), .string(meta.generateName), message))
            }
        }
        if meta.name.isEmpty {
            errors.append(.required(path.child("name"), "name or generateName is required"))
        } else {
            for message in rule.errors(meta.name) {
                errors.append(.invalid(path.child("name"), .string(meta.name), message))
            }
        }
        if namespaced {
            if meta.namespace.isEmpty {
                errors.append(.required(path.child("namespace")))
            } else {
                for message in NameValidation.dns1123LabelErrors(meta.namespace) {
                    errors.append(.invalid(path.child("namespace"), .string(meta.namespace), message))
                }
            }
        } else if !meta.namespace.isEmpty {
            errors.append(.forbidden(path.child("namespace"), "not allowed on this type"))
        }
        if meta.generation < 0 {
            errors.append(.invalid(path.child("generation"), .integer(meta.generation), isNegative))
        }
        return errors
    }

    /// The kind-independent part of upstream `ValidateObjectMetaUpdate` that concerns identity: name and
    /// namespace cannot change, generation cannot go down.
    static func objectMetaUpdate(_ new: ObjectMeta, _ old: ObjectMeta) -> FieldErrorList {
        var errors = FieldErrorList()
        let path = FieldPath("metadata")
        if new.generation < old.generation {
            errors.append(.invalid(path.child("generation"), .integer(new.generation), "must not be decremented"))
        }
        if new.name != old.name {
            errors.append(.invalid(path.child("name"), .string(new.name), fieldImmutable))
        }
        if new.namespace != old.namespace {
            errors.append(.invalid(path.child("namespace"), .string(new.namespace), fieldImmutable))
        }
        return errors
    }

    /// `create` checks when `old` is nil, otherwise the update checks (upstream does not revalidate the
    /// name format on update).
    static func metadata(_ meta: ObjectMeta, old: ObjectMeta?, namespaced: Bool, name rule: NameRule) -> FieldErrorList {
        if let old { return objectMetaUpdate(meta, old) }
        return objectMeta(meta, namespaced: namespaced, name: rule)
    }

    /// Upstream `maskTrailingDash`: `abc-` is checked as `abc` followed by a letter.
    static func maskTrailingDash(_ name: String) -> String {
        if name.utf8.count > 1 && name.hasSuffix("-") {
            return String(name.dropLast(2)) + "a"
        }
        return name
    }

    // MARK: Names and keys

    static let dns1035LabelMessage =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"

    /// Upstream `IsDNS1035Label`: lowercase letters, digits and '-', starting with a letter, ≤ 63 characters.
    static func dns1035LabelErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 63 {
            errors.append("must be no more than 63 characters")
        }
        let bytes = Array(value.utf8)
        let valid = !bytes.isEmpty && isLowerLetter(bytes[0]) && isLowerAlphanumeric(bytes[bytes.count - 1])
            && bytes.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        if !valid {
            errors.append(
                regexError(dns1035LabelMessage, "[a-z]([-a-z0-9]*[a-z0-9])?", examples: ["my-name", "abc-123"]))
        }
        return errors
    }

    /// Upstream `IsConfigMapKey` (ConfigMap and Secret data keys).
    static func configMapKeyErrors(_ key: String) -> [String] {
        var errors: [String] = []
        if key.utf8.count > 253 {
            errors.append("must be no more than 253 characters")
        }
        let valid = !key.isEmpty && key.utf8.allSatisfy {
            isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_")
        }
        if !valid {
            errors.append(
                regexError(
                    "a valid config key must consist of alphanumeric characters, '-', '_' or '.'", "[-._a-zA-Z0-9]+",
                    examples: ["key.name", "KEY_NAME", "key-name"]))
        }
        if key == "." {
            errors.append("must not be '.'")
        } else if key == ".." {
            errors.append("must not be '..'")
        } else if key.hasPrefix("..") {
            errors.append("must not start with '..'")
        }
        return errors
    }

    /// Upstream `ValidateQualifiedName` as field errors (label keys, app protocols, condition types).
    static func qualifiedName(_ value: String, at path: FieldPath) -> FieldErrorList {
        FieldErrorList(NameValidation.qualifiedNameErrors(value).map { .invalid(path, .string(value), $0) })
    }

    /// Upstream `ValidateDNS1123Label` as field errors.
    static func dns1123Label(_ value: String, at path: FieldPath) -> FieldErrorList {
        FieldErrorList(NameValidation.dns1123LabelErrors(value).map { .invalid(path, .string(value), $0) })
    }

    /// Upstream `ValidateDNS1123Subdomain` as field errors.
    static func dns1123Subdomain(_ value: String, at path: FieldPath) -> FieldErrorList {
        FieldErrorList(NameValidation.dns1123SubdomainErrors(value).map { .invalid(path, .string(value), $0) })
    }

    /// Upstream `ValidateLabels`: every key a qualified name, every value a label value.
    static func labels(_ labels: [String: String], at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        for key in labels.keys.sorted() {
            for message in NameValidation.qualifiedNameErrors(key) {
                errors.append(.invalid(path, .string(key), message))
            }
            let value = labels[key] ?? ""
            for message in NameValidation.labelValueErrors(value) {
                errors.append(.invalid(path, .string(value), message))
            }
        }
        return errors
    }

    static let wildcardDNS1123SubdomainMessage =
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character"

    /// Upstream `IsWildcardDNS1123Subdomain`: `*.` followed by a DNS subdomain.
    static func wildcardDNS1123SubdomainErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 253 {
            errors.append("must be no more than 253 characters")
        }
        let rest = value.hasPrefix("*.") ? String(value.dropFirst(2)) : ""
        if rest.isEmpty || !NameValidation.dns1123SubdomainErrors(rest).isEmpty {
            errors.append(
                regexError(
                    wildcardDNS1123SubdomainMessage,
                    "\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*",
                    examples: ["*.example.com"]))
        }
        return errors
    }

    /// Upstream `IsDomainPrefixedPath` (IngressClass controller, Job managedBy).
    static func domainPrefixedPath(_ value: String, at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        if value.isEmpty {
            errors.append(.required(path))
            return errors
        }
        let segments = value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard segments.count == 2, !segments[0].isEmpty, !segments[1].isEmpty else {
            errors.append(.invalid(path, .string(value), "must be a domain-prefixed path (such as \"acme.io/foo\")"))
            return errors
        }
        let host = String(segments[0])
        for message in NameValidation.dns1123SubdomainErrors(host) {
            errors.append(.invalid(path, .string(host), message))
        }
        let rest = String(segments[1])
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/-._~%!$&'()*+,;=:".utf8)
        if !rest.utf8.allSatisfy({ allowed.contains($0) }) {
            errors.append(
                .invalid(path, .string(rest), "Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')"))
        }
        return errors
    }

    // MARK: Numbers, ports, percentages

    /// Upstream `ValidateNonnegativeField`.
    static func nonNegative(_ value: Int64, at path: FieldPath) -> FieldErrorList {
        value < 0 ? [.invalid(path, .integer(value), isNegative)] : []
    }

    /// Upstream `IsValidPortNum`.
    static func portNumberErrors(_ port: Int64) -> [String] {
        (1...65535).contains(port) ? [] : ["must be between 1 and 65535, inclusive"]
    }

    /// Upstream `IsValidPortName` (IANA service names).
    static func portNameErrors(_ name: String) -> [String] {
        var errors: [String] = []
        let bytes = Array(name.utf8)
        if bytes.count > 15 {
            errors.append("must be no more than 15 characters")
        }
        if bytes.isEmpty || !bytes.allSatisfy({ isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }) {
            errors.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
        }
        if !bytes.contains(where: isLowerLetter) {
            errors.append("must contain at least one letter (a-z)")
        }
        if name.contains("--") {
            errors.append("must not contain consecutive hyphens")
        }
        if let first = bytes.first, let last = bytes.last, first == UInt8(ascii: "-") || last == UInt8(ascii: "-") {
            errors.append("must not begin or end with a hyphen")
        }
        return errors
    }

    /// Upstream `ValidatePortNumOrName`.
    static func portNumberOrName(_ port: IntOrString, at path: FieldPath) -> FieldErrorList {
        switch port {
        case .int(let number):
            return FieldErrorList(portNumberErrors(Int64(number)).map { .invalid(path, .integer(Int64(number)), $0) })
        case .string(let name):
            return FieldErrorList(portNameErrors(name).map { .invalid(path, .string(name), $0) })
        }
    }

    /// The integer of a valid percentage string such as `25%` (upstream `getPercentValue`).
    static func percentValue(_ value: IntOrString) -> Int? {
        guard case .string(let text) = value, isValidPercent(text) else { return nil }
        return Int(text.dropLast())
    }

    /// Upstream `IsValidPercent`: `^[0-9]+%$`.
    static func isValidPercent(_ text: String) -> Bool {
        let digits = text.utf8.dropLast()
        return text.hasSuffix("%") && !digits.isEmpty && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// Upstream `getIntOrPercentValue`.
    static func intOrPercentValue(_ value: IntOrString) -> Int {
        percentValue(value) ?? value.intValue
    }

    /// Upstream `ValidatePositiveIntOrPercent` (apps): a non-negative int or a valid percentage.
    static func positiveIntOrPercent(_ value: IntOrString, at path: FieldPath) -> FieldErrorList {
        switch value {
        case .string(let text):
            if isValidPercent(text) { return [] }
            let message = regexError(
                "a valid percent string must be a numeric string followed by an ending '%'", "[0-9]+%",
                examples: ["1%", "93%"])
            return [.invalid(path, goSyntax(value), message)]
        case .int(let number):
            return nonNegative(Int64(number), at: path)
        }
    }

    /// Upstream `IsNotMoreThan100Percent`.
    static func notMoreThan100Percent(_ value: IntOrString, at path: FieldPath) -> FieldErrorList {
        guard let percent = percentValue(value), percent > 100 else { return [] }
        return [.invalid(path, goSyntax(value), "must not be greater than 100%")]
    }

    // MARK: Selectors

    // MARK: IP addresses

    /// Upstream `IsValidIP`: an IPv4 or IPv6 address.
    static func ipErrors(_ value: String, at path: FieldPath) -> FieldErrorList {
        IPAddress(value) == nil
            ? [.invalid(path, .string(value), "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")] : []
    }

    /// Upstream `IsValidCIDR`.
    static func cidrErrors(_ value: String, at path: FieldPath) -> FieldErrorList {
        IPAddress.cidr(value) == nil
            ? [.invalid(path, .string(value), "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)")] : []
    }

    // MARK: Go value rendering (the text upstream prints after `Invalid value: `)

    /// Go `%#v` of a `map[string]string` (keys sorted, as Go's fmt prints maps); empty maps print as nil.
    static func goSyntax(_ map: [String: String]) -> FieldErrorValue {
        .raw(goMap(map))
    }

    static func goMap(_ map: [String: String]) -> String {
        if map.isEmpty { return "map[string]string(nil)" }
        let entries = map.keys.sorted().map { goQuote($0) + ":" + goQuote(map[$0] ?? "") }
        return "map[string]string{" + entries.joined(separator: ", ") + "}"
    }

    static func goStrings(_ values: [String]) -> String {
        values.isEmpty ? "[]string(nil)" : "[]string{" + values.map(goQuote).joined(separator: ", ") + "}"
    }

    /// Go `%#v` of a `metav1.LabelSelector` value.
    static func goSyntax(_ selector: LabelSelector) -> FieldErrorValue {
        let expressions: String
        if selector.matchExpressions.isEmpty {
            expressions = "[]v1.LabelSelectorRequirement(nil)"
        } else {
            expressions = "[]v1.LabelSelectorRequirement{"
                + selector.matchExpressions.map {
                    "v1.LabelSelectorRequirement{Key:\(goQuote($0.key)), Operator:\(goQuote($0.operator.rawValue)), Values:\(goStrings($0.values))}"
                }.joined(separator: ", ") + "}"
        }
        return .raw("v1.LabelSelector{MatchLabels:\(goMap(selector.matchLabels)), MatchExpressions:\(expressions)}")
    }

    /// Go `%#v` of an `intstr.IntOrString` value.
    static func goSyntax(_ value: IntOrString) -> FieldErrorValue {
        .raw(goIntOrString(value))
    }

    static func goIntOrString(_ value: IntOrString) -> String {
        switch value {
        case .int(let number): return "intstr.IntOrString{Type:0, IntVal:\(number), StrVal:\"\"}"
        case .string(let text): return "intstr.IntOrString{Type:1, IntVal:0, StrVal:\(goQuote(text))}"
        }
    }

    /// Go `%#v` of a `[]int32`.
    static func goInt32s(_ values: [Int32]) -> FieldErrorValue {
        .raw(values.isEmpty ? "[]int32(nil)" : "[]int32{" + values.map(String.init).joined(separator: ", ") + "}")
    }

    /// Go `%q`: a double-quoted string with Go escapes.
    static func goQuote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    result += String(format: "\\x%02x", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    // MARK: Message helpers

    /// Upstream `RegexError` with examples (keeps the double space before "or").
    static func regexError(_ message: String, _ format: String, examples: [String]) -> String {
        var result = message + " (e.g. "
        for (index, example) in examples.enumerated() {
            if index > 0 { result += " or " }
            result += "'" + example + "', "
        }
        return result + "regex used for validation is '" + format + "')"
    }

    static func isLowerLetter(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    static func isLowerAlphanumeric(_ byte: UInt8) -> Bool { isLowerLetter(byte) || isDigit(byte) }
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLowerAlphanumeric(byte) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }
}

/// A parsed IPv4 or IPv6 address (Go `netip.ParseAddr` rules: no zones, no leading zeros in IPv4).
/// Value type; Sendable.
struct IPAddress: Hashable, Sendable {
    /// 4 bytes for IPv4, 16 for IPv6.
    var bytes: [UInt8]

    var isIPv4: Bool { bytes.count == 4 }

    init?(_ text: String) {
        if text.contains(":") {
            guard let bytes = Self.parseIPv6(text) else { return nil }
            self.bytes = bytes
        } else {
            guard let bytes = Self.parseIPv4(Substring(text)) else { return nil }
            self.bytes = bytes
        }
    }

    /// `address/prefix` with the prefix in range for the family.
    static func cidr(_ text: String) -> (address: IPAddress, prefix: Int)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPAddress(String(parts[0])),
            let prefix = Int(parts[1]), parts[1].utf8.allSatisfy(ValidationRules.isDigit),
            prefix >= 0, prefix <= address.bytes.count * 8
        else { return nil }
        return (address, prefix)
    }

    private static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.utf8.allSatisfy(ValidationRules.isDigit),
                !(part.count > 1 && part.first == "0"), let value = UInt8(part)
            else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    private static func parseIPv6(_ text: String) -> [UInt8]? {
        var text = Substring(text)
        var tail: [UInt8] = []
        // An embedded IPv4 address in the last 32 bits.
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard let ipv4 = parseIPv4(text[text.index(after: lastColon)...]) else { return nil }
            tail = ipv4
            text = text[...lastColon]
            if text.hasSuffix("::") {
                // keep "::" as is
            } else {
                text = text.dropLast()
            }
        }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard !group.isEmpty, group.count <= 4, let value = UInt16(group, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        guard let head = groups(halves[0]) else { return nil }
        let rest = halves.count == 2 ? groups(halves[1]) : []
        guard let rest else { return nil }
        let available = 8 - tail.count / 2
        var all: [UInt16]
        if halves.count == 2 {
            let missing = available - head.count - rest.count
            guard missing >= 1 else { return nil }
            all = head + Array(repeating: 0, count: missing) + rest
        } else {
            guard head.count == available else { return nil }
            all = head
        }
        var bytes: [UInt8] = []
        for group in all {
            bytes.append(UInt8(group >> 8))
            bytes.append(UInt8(group & 0xff))
        }
        return bytes + tail
    }
}

// MARK: Pod templates of workloads

extension ValidationRules {
    /// Upstream `ValidatePodTemplateSpec` for a workload's template: label and
    /// annotation syntax (reported, as upstream does, under `template.labels` / `template.annotations`),
    /// the pod spec (``PodSpec/validatePodSpec(at:)``, PodSpecValidation.swift) and no ephemeral containers.
    static func podTemplate(_ template: PodTemplateSpec, at path: FieldPath) -> FieldErrorList {
        var errors = labels(template.metadata.labels, at: path.child("labels"))
        errors.append(contentsOf: annotations(template.metadata.annotations, at: path.child("annotations")))
        errors.append(contentsOf: template.spec.validatePodSpec(at: path.child("spec")))
        if !template.spec.ephemeralContainers.isEmpty {
            errors.append(.forbidden(path.child("spec", "ephemeralContainers"), "ephemeral containers not allowed in pod template"))
        }
        return errors
    }

    /// Upstream `ValidateAnnotations`: keys are qualified names (compared lowercased), total size ≤ 256 KiB.
    static func annotations(_ annotations: [String: String], at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        var size = 0
        for key in annotations.keys.sorted() {
            for message in NameValidation.qualifiedNameErrors(key.lowercased()) {
                errors.append(.invalid(path, .string(key), message))
            }
            size += key.utf8.count + (annotations[key] ?? "").utf8.count
        }
        if size > 256 * 1024 {
            errors.append(.tooLong(path, .omitted, maxLength: 256 * 1024))
        }
        return errors
    }

    /// The restart policy and deadline rules of pods run by ReplicaSets, Deployments, DaemonSets and
    /// StatefulSets (upstream `ValidatePodTemplateSpecForReplicaSet` and friends).
    static func alwaysRestartingTemplate(_ template: PodTemplateSpec, at path: FieldPath, kind: String) -> FieldErrorList {
        var errors = FieldErrorList()
        if template.spec.restartPolicy != "Always" {
            errors.append(
                .notSupported(path.child("spec", "restartPolicy"), .string(template.spec.restartPolicy), supported: ["Always"]))
        }
        if template.spec.activeDeadlineSeconds != nil {
            errors.append(
                .forbidden(path.child("spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in \(kind) is not Supported"))
        }
        return errors
    }

    /// The `selector does not match template labels` check. A nil selector matches nothing (upstream
    /// `LabelSelectorAsSelector(nil)` is `labels.Nothing()`), an empty one is not checked.
    static func selectorMismatch(_ selector: LabelSelector?, labels: [String: String], at path: FieldPath) -> FieldErrorList {
        guard let expression = try? LabelSelectorExpression(selector) else { return [] }
        if expression.isEmpty || expression.matches(labels) { return [] }
        return [.invalid(path, goSyntax(labels), "`selector` does not match template `labels`")]
    }
}
