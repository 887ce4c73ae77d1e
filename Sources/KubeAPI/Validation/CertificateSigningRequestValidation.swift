public import KubeCore

// Upstream `ValidateCertificateSigningRequestCreate` / `...Update` (pkg/apis/certificates/validation) and
// `ValidateSignerName` (pkg/apis/core/validation). Messages are upstream's, word for word. The request's
// PKCS#10 signature is not checked: only that it is one CERTIFICATE REQUEST PEM block holding one DER
// SEQUENCE. Updates are validated with the status and approval subresources' permissions (the validation
// hook does not know which path the update came through).

extension CertificateSigningRequest {
    /// The key usages upstream accepts, sorted as upstream lists them in messages.
    public static let validUsages = [
        "any", "cert sign", "client auth", "code signing", "content commitment", "crl sign", "data encipherment",
        "decipher only", "digital signature", "email protection", "encipher only", "ipsec end system",
        "ipsec tunnel", "ipsec user", "key agreement", "key encipherment", "microsoft sgc", "netscape sgc",
        "ocsp signing", "s/mime", "server auth", "signing", "timestamping",
    ]

    /// Condition types that may only be True.
    static let trueOnlyConditionTypes = ["Approved", "Denied", "Failed"]

    public func validate(old: CertificateSigningRequest?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: false, name: .any)
        let specPath = FieldPath("spec")
        if let problem = Self.requestProblem(spec.request) {
            errors.append(.invalid(specPath.child("request"), Self.goBytes(spec.request), problem))
        }
        if spec.usages.isEmpty {
            errors.append(.required(specPath.child("usages")))
        }
        let oldUsages = old?.spec.usages ?? []
        if !oldUsages.contains(where: { !Self.validUsages.contains($0) }) {
            for (index, usage) in spec.usages.enumerated() where !Self.validUsages.contains(usage) {
                errors.append(.notSupported(specPath.child("usages").index(index), .string(usage), supported: Self.validUsages))
            }
        }
        if Set(oldUsages).count == oldUsages.count {
            var seen = Set<String>()
            for (index, usage) in spec.usages.enumerated() where !seen.insert(usage).inserted {
                errors.append(.duplicate(specPath.child("usages").index(index), .string(usage)))
            }
        }
        let legacySigner = "kubernetes.io/legacy-unknown"
        if spec.signerName == legacySigner && old?.spec.signerName != legacySigner {
            errors.append(.invalid(specPath.child("signerName"), .string(spec.signerName),
                                   "the legacy signerName is not allowed via this API version"))
        } else if spec.signerName != legacySigner {
            errors.append(contentsOf: Self.signerNameErrors(spec.signerName, at: specPath.child("signerName")))
        }
        if let seconds = spec.expirationSeconds, seconds < 600 {
            errors.append(.invalid(specPath.child("expirationSeconds"), .integer(Int64(seconds)),
                                   "may not specify a duration less than 600 seconds (10 minutes)"))
        }
        errors.append(contentsOf: validateConditions(old: old))
        let certificateUnchanged = old.map { $0.status.certificate == status.certificate } ?? false
        let oldCertificateInvalid = old.map { Self.certificateProblem($0.status.certificate) != nil } ?? false
        if !certificateUnchanged && !oldCertificateInvalid, let problem = Self.certificateProblem(status.certificate) {
            errors.append(.invalid(FieldPath("status", "certificate"), .string("<certificate data>"), problem))
        }
        if let old {
            errors.append(contentsOf: validateUpdate(old: old))
        }
        return errors
    }

    /// Condition types and statuses, Approved and Denied not both, one condition per type.
    private func validateConditions(old: CertificateSigningRequest?) -> FieldErrorList {
        var errors = FieldErrorList()
        let path = FieldPath("status", "conditions")
        let oldTypes = old?.status.conditions.map(\.type) ?? []
        let allowEmptyType = oldTypes.contains("")
        let allowDuplicates = Set(oldTypes).count != oldTypes.count
        let allowBoth = oldTypes.contains("Approved") && oldTypes.contains("Denied")
        var seen = Set<String>()
        var (hasApproved, hasDenied) = (false, false)
        for (index, condition) in status.conditions.enumerated() {
            let itemPath = path.index(index)
            if condition.type.isEmpty && !allowEmptyType {
                errors.append(.required(itemPath.child("type")))
            }
            let allowed = Self.trueOnlyConditionTypes.contains(condition.type) ? ["True"] : ["False", "True", "Unknown"]
            if condition.status.isEmpty {
                errors.append(.required(itemPath.child("status")))
            } else if !allowed.contains(condition.status) {
                errors.append(.notSupported(itemPath.child("status"), .string(condition.status), supported: allowed))
            }
            if !allowBoth {
                let exclusive = "Approved and Denied conditions are mutually exclusive"
                if condition.type == "Approved" {
                    hasApproved = true
                    if hasDenied { errors.append(.invalid(itemPath.child("type"), .string(condition.type), exclusive)) }
                } else if condition.type == "Denied" {
                    hasDenied = true
                    if hasApproved { errors.append(.invalid(itemPath.child("type"), .string(condition.type), exclusive)) }
                }
            }
            if !allowDuplicates && !seen.insert(condition.type).inserted {
                errors.append(.duplicate(itemPath.child("type"), .string(condition.type)))
            }
        }
        return errors
    }

    /// Approved, Denied and Failed conditions cannot be removed; an issued certificate cannot change.
    private func validateUpdate(old: CertificateSigningRequest) -> FieldErrorList {
        var errors = FieldErrorList()
        for type in Self.trueOnlyConditionTypes {
            let before = old.status.conditions.filter { $0.type == type }.count
            let after = status.conditions.filter { $0.type == type }.count
            if after < before {
                errors.append(.forbidden(FieldPath("status", "conditions"),
                                         "updates may not remove a condition of type \(ValidationRules.goQuote(type))"))
            }
        }
        if old.status.certificate != status.certificate, !old.status.certificate.isEmpty {
            errors.append(.forbidden(FieldPath("status", "certificate"), "updates may not modify existing certificate content"))
        }
        return errors
    }

    /// Upstream `ParseCSR`'s complaint about `request`, or nil when it is one CERTIFICATE REQUEST block.
    static func requestProblem(_ request: [UInt8]) -> String? {
        guard let block = PEMBlock.blocks(in: request).first, block.type == "CERTIFICATE REQUEST" else {
            return "PEM block type must be CERTIFICATE REQUEST"
        }
        return DERShape.sequenceProblem(block.bytes)
    }

    /// Upstream `validateCertificate`: empty, or only CERTIFICATE blocks without headers.
    static func certificateProblem(_ certificate: [UInt8]) -> String? {
        if certificate.isEmpty { return nil }
        let blocks = PEMBlock.blocks(in: certificate)
        for block in blocks {
            if block.type != "CERTIFICATE" {
                return "only CERTIFICATE PEM blocks are allowed, found \(ValidationRules.goQuote(block.type))"
            }
            if !block.headers.isEmpty { return "no PEM block headers are permitted" }
            if let problem = DERShape.sequenceProblem(block.bytes) { return problem }
        }
        return blocks.isEmpty ? "must contain at least one CERTIFICATE PEM block" : nil
    }

    /// Upstream `ValidateSignerName`: `<DNS subdomain with a dot>/<dot-separated DNS subdomains>`.
    static func signerNameErrors(_ signerName: String, at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        if signerName.isEmpty {
            errors.append(.required(path))
            return errors
        }
        let segments = signerName.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard segments.count == 2 else {
            errors.append(.invalid(path, .string(signerName),
                                   "must be a fully qualified domain and path of the form 'example.com/signer-name'"))
            return errors
        }
        let (domain, name) = (segments[0], segments[1])
        if domain.utf8.count > 253 {
            errors.append(.tooLong(path, .omitted, maxLength: 253))
        }
        let domainLabels = domain.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        for label in domainLabels {
            let problems = NameValidation.dns1123LabelErrors(label)
            guard problems.isEmpty else {
                for problem in problems {
                    errors.append(.invalid(path, .string(domain), "validating label \(ValidationRules.goQuote(label)): \(problem)"))
                }
                break
            }
        }
        if domainLabels.count < 2 {
            errors.append(.invalid(path, .string(domain), "should be a domain with at least two segments separated by dots"))
        }
        for label in name.split(separator: ".", omittingEmptySubsequences: false).map(String.init) {
            let problems = NameValidation.dns1123SubdomainErrors(label)
            guard problems.isEmpty else {
                for problem in problems {
                    errors.append(.invalid(path, .string(name), "validating label \(ValidationRules.goQuote(label)): \(problem)"))
                }
                break
            }
        }
        let maxLength = 253 + (253 + 63 + 1) + 1
        if signerName.utf8.count > maxLength {
            errors.append(.tooLong(path, .omitted, maxLength: maxLength))
        }
        return errors
    }

    /// Go `%#v` of a `[]byte`.
    static func goBytes(_ bytes: [UInt8]) -> FieldErrorValue {
        if bytes.isEmpty { return .raw("[]byte(nil)") }
        return .raw("[]byte{" + bytes.map { "0x" + String($0, radix: 16) }.joined(separator: ", ") + "}")
    }
}
