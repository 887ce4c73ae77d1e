public import KubeAPI
public import KubeCore

/// A list response (`PodList`, `DeploymentList`, ...) of any resource type.
///
/// Value type; Sendable.
public struct ResourceList<Object: KubeResource>: Codable, Sendable {
    public var metadata: ListMeta
    public var items: [Object]

    public init(metadata: ListMeta = ListMeta(), items: [Object] = []) {
        self.metadata = metadata
        self.items = items
    }

    enum CodingKeys: String, CodingKey {
        case metadata
        case items
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try container.decodeIfPresent(ListMeta.self, forKey: .metadata) ?? ListMeta()
        items = try container.decodeIfPresent([Object].self, forKey: .items) ?? []
    }
}
