public import KubeAPI

/// Whether one RBAC rule allows a request, exactly as upstream's `RuleAllows` and the `rbacv1helpers`
/// matchers: verbs and API groups match exactly or by `*`; resources by `*`, exactly as `resource` or
/// `resource/subresource`, or by `*/subresource`; a rule with resourceNames matches only requests naming
/// one of them (so never a list, watch, create or deletecollection without a name); non-resource URLs match
/// exactly, by `*`, or by prefix when they end in `*`.
extension PolicyRule {
    public func allows(_ attributes: AuthorizationAttributes) -> Bool {
        guard matchesVerb(attributes.verb) else { return false }
        guard attributes.isResourceRequest else { return matchesNonResourceURL(attributes.path) }
        let combined = attributes.subresource.isEmpty
            ? attributes.resource : attributes.resource + "/" + attributes.subresource
        return matchesAPIGroup(attributes.apiGroup)
            && matchesResource(combined, subresource: attributes.subresource)
            && matchesResourceName(attributes.name)
    }

    func matchesVerb(_ verb: String) -> Bool {
        verbs.contains { $0 == "*" || $0 == verb }
    }

    func matchesAPIGroup(_ group: String) -> Bool {
        apiGroups.contains { $0 == "*" || $0 == group }
    }

    /// `combined` is `resource` or `resource/subresource`.
    func matchesResource(_ combined: String, subresource: String) -> Bool {
        for resource in resources {
            if resource == "*" || resource == combined { return true }
            if !subresource.isEmpty, resource == "*/" + subresource { return true }
        }
        return false
    }

    func matchesResourceName(_ name: String) -> Bool {
        resourceNames.isEmpty || resourceNames.contains(name)
    }

    func matchesNonResourceURL(_ path: String) -> Bool {
        for url in nonResourceURLs {
            if url == "*" || url == path { return true }
            if url.hasSuffix("*"), path.hasPrefix(String(url.trimmingSuffix("*"))) {
                return true
            }
        }
        return false
    }
}

extension String {
    /// The string without every trailing `character` (Go's `strings.TrimRight` with one character).
    func trimmingSuffix(_ character: Character) -> Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == character { end = index(before: end) }
        return self[startIndex..<end]
    }
}
