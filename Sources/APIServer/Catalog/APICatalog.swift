public import KubeAPI
import KubeCore

/// Builds the served resources from the generated ``APIRegistry``: one ``ServedResource`` per registry
/// resource, with its discovery facts, a ``TypedStrategy`` for its Swift type, its field-selector fields and
/// its Table printer, in upstream's discovery order (core first, then apps, events.k8s.io, ... ).
///
/// Discovery advertises every subresource the registry lists (`status`, `scale`, `log`, `exec`, ...);
/// the handler serves only `status` and answers 404 for the others.
/// Stateless namespace; everything it returns is an immutable Sendable value.
public enum APICatalog {
    /// Every registry resource as a served resource, in discovery order.
    public static func resources() -> [ServedResource] {
        let indexed = APIRegistry.resourceTypes.enumerated().map { ($0.offset, $0.element) }
        let ordered = indexed.sorted { lhs, rhs in
            let (left, right) = (groupRank(lhs.1.resource.group), groupRank(rhs.1.resource.group))
            if left != right { return left < right }
            if lhs.1.resource.group != rhs.1.resource.group { return lhs.1.resource.group < rhs.1.resource.group }
            return lhs.0 < rhs.0
        }
        return ordered.map { served($0.1) }
    }

    /// The served form of one registry type (the existential is opened to build the generic strategy).
    public static func served(_ type: any KubeResource.Type) -> ServedResource {
        served(resource: type.resource, strategy: strategy(for: type))
    }

    static func strategy<T: KubeResource>(for type: T.Type) -> any ObjectStrategy {
        TypedStrategy<T>()
    }

    static func served(resource info: ResourceInfo, strategy: any ObjectStrategy) -> ServedResource {
        let subresources = info.subresources.map {
            ServedSubresource(name: $0.name, group: $0.group, version: $0.version, kind: $0.kind, verbs: $0.verbs)
        }
        var served = ServedResource(
            group: info.group, version: info.version, kind: info.kind, plural: info.plural,
            singular: info.singular, namespaced: info.namespaced, shortNames: info.shortNames,
            categories: info.categories, verbs: info.verbs, subresources: subresources, strategy: strategy,
            selectableFields: SelectableFields.fields(group: info.group, plural: info.plural) ?? { _ in [:] },
            printer: printer(group: info.group, kind: info.kind))
        served.listKind = info.listKind
        return served
    }

    /// The per-kind printer (`Tables/Printers/`), or nil for upstream's NAME / CREATED AT table.
    static func printer(group: String, kind: String) -> TablePrinter? {
        BuiltinPrinters.printer(group: group, kind: kind)
    }

    /// Upstream's group priority (kube-aggregator's `apiVersionPriorities`); unknown groups go last, by name.
    static let groupOrder = [
        "", "apiregistration.k8s.io", "apps", "events.k8s.io", "authentication.k8s.io", "authorization.k8s.io",
        "autoscaling", "batch", "certificates.k8s.io", "networking.k8s.io", "policy", "rbac.authorization.k8s.io",
        "storage.k8s.io", "admissionregistration.k8s.io", "apiextensions.k8s.io", "scheduling.k8s.io",
        "coordination.k8s.io", "node.k8s.io", "discovery.k8s.io", "flowcontrol.apiserver.k8s.io", "resource.k8s.io",
    ]

    static func groupRank(_ group: String) -> Int {
        groupOrder.firstIndex(of: group) ?? groupOrder.count
    }
}
