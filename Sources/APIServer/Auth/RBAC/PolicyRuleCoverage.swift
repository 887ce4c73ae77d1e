public import KubeAPI
import KubeCore

/// Whether one set of rules covers another, as upstream's escalation check compares them
/// (`component-helpers/auth/rbac/validation.Covers`, `BreakdownRule`, `CompactRules`, `CompactString`).
///
/// Stateless; Sendable.
public enum PolicyRuleCoverage {
    /// The rules of `servant` (broken down to one verb, group, resource and name each) that no rule of
    /// `owner` covers; empty when `owner` covers all of them.
    public static func uncovered(owner: [PolicyRule], servant: [PolicyRule]) -> [PolicyRule] {
        servant.flatMap(breakdown).filter { subrule in !owner.contains { covers($0, subrule) } }
    }

    /// One rule per group × resource × verb (× resource name), and per non-resource URL × verb.
    public static func breakdown(_ rule: PolicyRule) -> [PolicyRule] {
        var rules: [PolicyRule] = []
        for group in rule.apiGroups {
            for resource in rule.resources {
                for verb in rule.verbs {
                    if rule.resourceNames.isEmpty {
                        rules.append(PolicyRule(verbs: [verb], apiGroups: [group], resources: [resource]))
                    } else {
                        for name in rule.resourceNames {
                            rules.append(PolicyRule(verbs: [verb], apiGroups: [group], resources: [resource],
                                                    resourceNames: [name]))
                        }
                    }
                }
            }
        }
        for url in rule.nonResourceURLs {
            for verb in rule.verbs { rules.append(PolicyRule(verbs: [verb], nonResourceURLs: [url])) }
        }
        return rules
    }

    /// Upstream `ruleCovers`.
    static func covers(_ owner: PolicyRule, _ subrule: PolicyRule) -> Bool {
        let verbs = owner.verbs.contains("*") || subrule.verbs.allSatisfy(owner.verbs.contains)
        let groups = owner.apiGroups.contains("*") || subrule.apiGroups.allSatisfy(owner.apiGroups.contains)
        let resources = resourcesCover(owner.resources, subrule.resources)
        let urls = subrule.nonResourceURLs.allSatisfy { path in
            owner.nonResourceURLs.contains { urlCovers($0, path) }
        }
        let names = owner.resourceNames.isEmpty
            || (!subrule.resourceNames.isEmpty && subrule.resourceNames.allSatisfy(owner.resourceNames.contains))
        return verbs && groups && resources && names && urls
    }

    private static func resourcesCover(_ owner: [String], _ covered: [String]) -> Bool {
        if owner.contains("*") { return true }
        for resource in covered where !owner.contains(resource) {
            guard let slash = resource.firstIndex(of: "/") else { return false }
            if !owner.contains("*/" + resource[resource.index(after: slash)...]) { return false }
        }
        return true
    }

    private static func urlCovers(_ owner: String, _ path: String) -> Bool {
        if owner == path { return true }
        return owner.hasSuffix("*") && path.hasPrefix(String(owner.trimmingSuffix("*")))
    }

    /// Upstream `CompactRules`: simple rules (one group, one resource, at most one name, nothing else) for
    /// the same group, resource and name are merged into one with all their verbs.
    public static func compact(_ rules: [PolicyRule]) -> [PolicyRule] {
        struct SimpleResource: Hashable {
            var group: String
            var resource: String
            var name: String?
        }
        var compacted: [PolicyRule] = []
        var simple: [SimpleResource: Int] = [:]
        var simpleRules: [PolicyRule] = []
        for rule in rules {
            guard rule.resourceNames.count <= 1, rule.nonResourceURLs.isEmpty, rule.apiGroups.count == 1,
                  rule.resources.count == 1
            else {
                compacted.append(rule)
                continue
            }
            let key = SimpleResource(group: rule.apiGroups[0], resource: rule.resources[0], name: rule.resourceNames.first)
            if let index = simple[key] {
                simpleRules[index].verbs += rule.verbs
            } else {
                simple[key] = simpleRules.count
                simpleRules.append(rule)
            }
        }
        return compacted + simpleRules
    }

    /// Upstream `CompactString`: `{APIGroups:["apps"], Resources:["deployments"], Verbs:["get" "list"]}`.
    public static func compactString(_ rule: PolicyRule) -> String {
        func list(_ values: [String]) -> String { "[" + values.map(GoQuoting.quote).joined(separator: " ") + "]" }
        var parts: [String] = []
        if !rule.apiGroups.isEmpty { parts.append("APIGroups:" + list(rule.apiGroups)) }
        if !rule.resources.isEmpty { parts.append("Resources:" + list(rule.resources)) }
        if !rule.nonResourceURLs.isEmpty { parts.append("NonResourceURLs:" + list(rule.nonResourceURLs)) }
        if !rule.resourceNames.isEmpty { parts.append("ResourceNames:" + list(rule.resourceNames)) }
        if !rule.verbs.isEmpty { parts.append("Verbs:" + list(rule.verbs)) }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// Go's `%q` of a string slice: `["a" "b"]`.
    static func goQuotedList(_ values: [String]) -> String {
        "[" + values.map(GoQuoting.quote).joined(separator: " ") + "]"
    }
}
