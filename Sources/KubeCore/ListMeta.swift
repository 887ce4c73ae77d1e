/// Kubernetes `metav1.ListMeta`: metadata of list responses and of `Status`.
///
/// `continueToken` is the JSON member `continue`. Every member is `omitempty`, so an empty
/// list meta encodes as `{}`.
/// Value type; Sendable.
public struct ListMeta: Codable, Hashable, Sendable {
    public var selfLink: String
    public var resourceVersion: String
    public var continueToken: String
    public var remainingItemCount: Int64?

    public init(
        selfLink: String = "",
        resourceVersion: String = "",
        continueToken: String = "",
        remainingItemCount: Int64? = nil
    ) {
        self.selfLink = selfLink
        self.resourceVersion = resourceVersion
        self.continueToken = continueToken
        self.remainingItemCount = remainingItemCount
    }

    private enum CodingKeys: String, CodingKey {
        case selfLink, resourceVersion
        case continueToken = "continue"
        case remainingItemCount
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        selfLink = try container.decode(String.self, forKey: .selfLink, orDefault: "")
        resourceVersion = try container.decode(String.self, forKey: .resourceVersion, orDefault: "")
        continueToken = try container.decode(String.self, forKey: .continueToken, orDefault: "")
        remainingItemCount = try container.decodeIfPresent(Int64.self, forKey: .remainingItemCount)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeUnlessEmpty(selfLink, forKey: .selfLink)
        try container.encodeUnlessEmpty(resourceVersion, forKey: .resourceVersion)
        try container.encodeUnlessEmpty(continueToken, forKey: .continueToken)
        try container.encodeIfPresent(remainingItemCount, forKey: .remainingItemCount)
    }
}
