/// Kubernetes `metav1.ObjectMeta`: the metadata every persisted object carries.
///
/// Go's zero-value semantics are kept: string, map and list members are non-optional and omitted
/// when empty; pointer members (`deletionTimestamp`, `deletionGracePeriodSeconds`) are optional.
/// As in upstream (where `creationTimestamp` is a non-pointer struct), a nil `creationTimestamp`
/// encodes as `"creationTimestamp": null`.
/// Value type; Sendable.
public struct ObjectMeta: Codable, Hashable, Sendable {
    public var name: String
    public var generateName: String
    public var namespace: String
    public var selfLink: String
    public var uid: String
    public var resourceVersion: String
    public var generation: Int64
    public var creationTimestamp: RFC3339Time?
    public var deletionTimestamp: RFC3339Time?
    public var deletionGracePeriodSeconds: Int64?
    public var labels: [String: String]
    public var annotations: [String: String]
    public var ownerReferences: [OwnerReference]
    public var finalizers: [String]
    public var managedFields: [ManagedFieldsEntry]

    public init(
        name: String = "",
        generateName: String = "",
        namespace: String = "",
        selfLink: String = "",
        uid: String = "",
        resourceVersion: String = "",
        generation: Int64 = 0,
        creationTimestamp: RFC3339Time? = nil,
        deletionTimestamp: RFC3339Time? = nil,
        deletionGracePeriodSeconds: Int64? = nil,
        labels: [String: String] = [:],
        annotations: [String: String] = [:],
        ownerReferences: [OwnerReference] = [],
        finalizers: [String] = [],
        managedFields: [ManagedFieldsEntry] = []
    ) {
        self.name = name
        self.generateName = generateName
        self.namespace = namespace
        self.selfLink = selfLink
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.generation = generation
        self.creationTimestamp = creationTimestamp
        self.deletionTimestamp = deletionTimestamp
        self.deletionGracePeriodSeconds = deletionGracePeriodSeconds
        self.labels = labels
        self.annotations = annotations
        self.ownerReferences = ownerReferences
        self.finalizers = finalizers
        self.managedFields = managedFields
    }

    private enum CodingKeys: String, CodingKey {
        case name, generateName, namespace, selfLink, uid, resourceVersion, generation
        case creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds
        case labels, annotations, ownerReferences, finalizers, managedFields
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name, orDefault: "")
        generateName = try container.decode(String.self, forKey: .generateName, orDefault: "")
        namespace = try container.decode(String.self, forKey: .namespace, orDefault: "")
        selfLink = try container.decode(String.self, forKey: .selfLink, orDefault: "")
        uid = try container.decode(String.self, forKey: .uid, orDefault: "")
        resourceVersion = try container.decode(String.self, forKey: .resourceVersion, orDefault: "")
        generation = try container.decode(Int64.self, forKey: .generation, orDefault: 0)
        creationTimestamp = try container.decodeIfPresent(RFC3339Time.self, forKey: .creationTimestamp)
        deletionTimestamp = try container.decodeIfPresent(RFC3339Time.self, forKey: .deletionTimestamp)
        deletionGracePeriodSeconds = try container.decodeIfPresent(Int64.self, forKey: .deletionGracePeriodSeconds)
        labels = try container.decode([String: String].self, forKey: .labels, orDefault: [:])
        annotations = try container.decode([String: String].self, forKey: .annotations, orDefault: [:])
        ownerReferences = try container.decode([OwnerReference].self, forKey: .ownerReferences, orDefault: [])
        finalizers = try container.decode([String].self, forKey: .finalizers, orDefault: [])
        managedFields = try container.decode([ManagedFieldsEntry].self, forKey: .managedFields, orDefault: [])
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeUnlessEmpty(name, forKey: .name)
        try container.encodeUnlessEmpty(generateName, forKey: .generateName)
        try container.encodeUnlessEmpty(namespace, forKey: .namespace)
        try container.encodeUnlessEmpty(selfLink, forKey: .selfLink)
        try container.encodeUnlessEmpty(uid, forKey: .uid)
        try container.encodeUnlessEmpty(resourceVersion, forKey: .resourceVersion)
        try container.encodeUnlessZero(generation, forKey: .generation)
        if let creationTimestamp {
            try container.encode(creationTimestamp, forKey: .creationTimestamp)
        } else {
            try container.encodeNil(forKey: .creationTimestamp)
        }
        try container.encodeIfPresent(deletionTimestamp, forKey: .deletionTimestamp)
        try container.encodeIfPresent(deletionGracePeriodSeconds, forKey: .deletionGracePeriodSeconds)
        try container.encodeUnlessEmpty(labels, forKey: .labels)
        try container.encodeUnlessEmpty(annotations, forKey: .annotations)
        try container.encodeUnlessEmpty(ownerReferences, forKey: .ownerReferences)
        try container.encodeUnlessEmpty(finalizers, forKey: .finalizers)
        try container.encodeUnlessEmpty(managedFields, forKey: .managedFields)
    }
}
