import Foundation
public import KubeCore

extension CronJob {
    /// Upstream `ValidateCronJobCreate` (names of at most 52 characters, so that the Jobs it creates,
    /// named `<cronjob>-<11-character timestamp>`, fit in 63) and `ValidateCronJobUpdate`.
    public func validate(old: CronJob?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: true, name: .dns1123Subdomain)
        errors.append(contentsOf: spec.validate(old: old?.spec, at: FieldPath("spec")))
        if old == nil && metadata.name.utf8.count > 52 {
            errors.append(.invalid(FieldPath("metadata", "name"), .string(metadata.name), "must be no more than 52 characters"))
        }
        return errors
    }
}

extension CronJobSpec {
    /// Upstream `validateCronJobSpec`.
    func validate(old: CronJobSpec?, at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        let schedulePath = path.child("schedule")
        if schedule.isEmpty {
            errors.append(.required(schedulePath))
        } else {
            if let message = CronSchedule.parseError(schedule) {
                errors.append(.invalid(schedulePath, .string(schedule), message))
            }
            let allowTZ = old?.schedule.contains("TZ") ?? false
            if allowTZ && schedule.contains("TZ") && timeZone != nil {
                errors.append(.invalid(schedulePath, .string(schedule), "cannot use both timeZone field and TZ or CRON_TZ in schedule"))
            } else if !allowTZ && schedule.contains("TZ") {
                errors.append(
                    .invalid(schedulePath, .string(schedule), "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"))
            }
        }
        if let startingDeadlineSeconds {
            errors.append(contentsOf: ValidationRules.nonNegative(startingDeadlineSeconds, at: path.child("startingDeadlineSeconds")))
        }
        if old == nil || old?.timeZone != timeZone {
            errors.append(contentsOf: CronSchedule.validateTimeZone(timeZone, at: path.child("timeZone")))
        }
        let policies = ["Allow", "Forbid", "Replace"]
        if concurrencyPolicy.isEmpty {
            errors.append(.required(path.child("concurrencyPolicy")))
        } else if !policies.contains(concurrencyPolicy) {
            errors.append(.notSupported(path.child("concurrencyPolicy"), .string(concurrencyPolicy), supported: policies))
        }
        // Upstream `ValidateJobTemplateSpec`: the Job spec without selector checks, and no selector at all
        // (it is generated for each Job).
        let templatePath = path.child("jobTemplate")
        errors.append(contentsOf: jobTemplate.spec.validate(at: templatePath.child("spec")))
        if let selector = jobTemplate.spec.selector {
            errors.append(
                .invalid(templatePath.child("spec", "selector"), ValidationRules.goSyntax(selector), "`selector` will be auto-generated"))
        }
        if jobTemplate.spec.manualSelector == true {
            errors.append(.notSupported(templatePath.child("spec", "manualSelector"), .bool(true), supported: ["nil", "false"]))
        }
        if let successfulJobsHistoryLimit {
            errors.append(
                contentsOf: ValidationRules.nonNegative(Int64(successfulJobsHistoryLimit), at: path.child("successfulJobsHistoryLimit")))
        }
        if let failedJobsHistoryLimit {
            errors.append(contentsOf: ValidationRules.nonNegative(Int64(failedJobsHistoryLimit), at: path.child("failedJobsHistoryLimit")))
        }
        return errors
    }
}

/// The cron syntax CronJobs accept (github.com/robfig/cron/v3 `ParseStandard`: five fields, or a
/// descriptor such as `@daily` or `@every 1h30m`), reporting that parser's error messages.
/// Stateless namespace.
enum CronSchedule {
    private struct Bounds {
        var min: Int
        var max: Int
        var names: [String: Int] = [:]
    }

    private static let fields: [Bounds] = [
        Bounds(min: 0, max: 59),
        Bounds(min: 0, max: 23),
        Bounds(min: 1, max: 31),
        Bounds(
            min: 1, max: 12,
            names: ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12]),
        Bounds(min: 0, max: 6, names: ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]),
    ]

    private static let descriptors: Set<String> = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]

    /// Nil when `spec` parses, else the parser's message.
    static func parseError(_ spec: String) -> String? {
        if spec.isEmpty { return "empty spec string" }
        var spec = Substring(spec)
        if spec.hasPrefix("TZ=") || spec.hasPrefix("CRON_TZ=") {
            guard let space = spec.firstIndex(of: " "), let equals = spec.firstIndex(of: "=") else {
                return "provided bad location \(spec): unknown time zone \(spec)"
            }
            let zone = String(spec[spec.index(after: equals)..<space])
            if TimeZone(identifier: zone) == nil && zone != "UTC" && zone != "Local" {
                return "provided bad location \(zone): unknown time zone \(zone)"
            }
            spec = spec[space...].drop(while: { $0 == " " })
        }
        if spec.hasPrefix("@") {
            if descriptors.contains(String(spec)) { return nil }
            if spec.hasPrefix("@every ") {
                let duration = spec.dropFirst("@every ".count)
                return isGoDuration(duration) ? nil : "failed to parse duration \(spec): time: invalid duration \(ValidationRules.goQuote(String(duration)))"
            }
            return "unrecognized descriptor: \(spec)"
        }
        let parts = spec.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
        if parts.count != 5 {
            return "expected exactly 5 fields, found \(parts.count): [\(parts.joined(separator: " "))]"
        }
        for (part, bounds) in zip(parts, fields) {
            for expression in part.split(separator: ",") {
                if let message = rangeError(expression, bounds) { return message }
            }
        }
        return nil
    }

    private static func rangeError(_ expression: Substring, _ bounds: Bounds) -> String? {
        let rangeAndStep = expression.split(separator: "/", omittingEmptySubsequences: false)
        let lowAndHigh = rangeAndStep[0].split(separator: "-", omittingEmptySubsequences: false)
        var start: Int
        var end: Int
        if lowAndHigh[0] == "*" || lowAndHigh[0] == "?" {
            start = bounds.min
            end = bounds.max
        } else {
            switch parseIntOrName(lowAndHigh[0], bounds) {
            case .failure(let message): return message.text
            case .success(let value): start = value
            }
            switch lowAndHigh.count {
            case 1:
                end = start
            case 2:
                switch parseIntOrName(lowAndHigh[1], bounds) {
                case .failure(let message): return message.text
                case .success(let value): end = value
                }
            default:
                return "too many hyphens: \(expression)"
            }
        }
        var step = 1
        switch rangeAndStep.count {
        case 1:
            break
        case 2:
            switch parseInt(rangeAndStep[1]) {
            case .failure(let message): return message.text
            case .success(let value): step = value
            }
            if lowAndHigh.count == 1 { end = bounds.max }
        default:
            return "too many slashes: \(expression)"
        }
        if start < bounds.min {
            return "beginning of range (\(start)) below minimum (\(bounds.min)): \(expression)"
        }
        if end > bounds.max {
            return "end of range (\(end)) above maximum (\(bounds.max)): \(expression)"
        }
        if start > end {
            return "beginning of range (\(start)) beyond end of range (\(end)): \(expression)"
        }
        if step == 0 {
            return "step of range should be a positive number: \(expression)"
        }
        return nil
    }

    private struct Message: Error {
        var text: String
    }

    private static func parseIntOrName(_ text: Substring, _ bounds: Bounds) -> Result<Int, Message> {
        if let named = bounds.names[text.lowercased()] { return .success(named) }
        return parseInt(text)
    }

    /// robfig `mustParseInt` over Go `strconv.Atoi`.
    private static func parseInt(_ text: Substring) -> Result<Int, Message> {
        var digits = text
        if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.allSatisfy(ValidationRules.isDigit) else {
            return .failure(Message(text: "failed to parse int from \(text): strconv.Atoi: parsing \(ValidationRules.goQuote(String(text))): invalid syntax"))
        }
        guard let value = Int(text) else {
            return .failure(Message(text: "failed to parse int from \(text): strconv.Atoi: parsing \(ValidationRules.goQuote(String(text))): value out of range"))
        }
        if value < 0 {
            return .failure(Message(text: "negative number (\(value)) not allowed: \(text)"))
        }
        return .success(value)
    }

    /// Go `time.ParseDuration` syntax: `[-+]` then one or more `<number><unit>` (units ns, us, µs, ms, s, m, h).
    static func isGoDuration(_ text: Substring) -> Bool {
        var rest = text
        if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
        if rest == "0" { return true }
        if rest.isEmpty { return false }
        let units = ["ns", "us", "µs", "μs", "ms", "s", "m", "h"]
        while !rest.isEmpty {
            let number = rest.prefix(while: { $0.isASCII && ($0.isNumber || $0 == ".") })
            guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1 else { return false }
            rest = rest.dropFirst(number.count)
            guard let unit = units.filter({ rest.hasPrefix($0) }).max(by: { $0.count < $1.count }) else { return false }
            rest = rest.dropFirst(unit.count)
        }
        return true
    }

    /// Upstream `validateTimeZone`: nil, or an IANA zone name (not `Local`).
    static func validateTimeZone(_ zone: String?, at path: FieldPath) -> FieldErrorList {
        guard let zone else { return [] }
        if zone.isEmpty {
            return [.invalid(path, .string(zone), "timeZone must be nil or non-empty string")]
        }
        for part in zone.split(separator: "/", omittingEmptySubsequences: false) {
            let allowed = part.utf8.count >= 1 && part.utf8.count <= 14
                && part.utf8.allSatisfy {
                    ValidationRules.isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
                        || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "+")
                }
            if part == "." || part == ".." || part.hasPrefix("-") || !allowed {
                return [.invalid(path, .string(zone), "unknown time zone \(zone)")]
            }
        }
        if zone.lowercased() == "local" {
            return [.invalid(path, .string(zone), "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones")]
        }
        if zone != "UTC" && TimeZone(identifier: zone) == nil {
            return [.invalid(path, .string(zone), "unknown time zone \(zone)")]
        }
        return []
    }
}
