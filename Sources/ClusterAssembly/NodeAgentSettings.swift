/// Settings of the node agent (kubelet) that runs inside `swiftlet server`.
///
/// A value type; Sendable.
public struct NodeAgentSettings: Sendable {
    public var nodeName: String
    /// Root of the node agent's state (`<data-dir>/agent`): containers, pods, logs, network.
    public var dataDirectory: String
    /// The image store (`<data-dir>/images`, shared with `swiftlet image`); default `<dataDirectory>/images`.
    public var imageDirectory: String?
    /// The node's pod CIDR, e.g. `10.244.0.0/24`.
    public var podCIDR: String
    public var nodeIP: String
    public var bridgeName = "swiftlet0"
    public var namespacePrefix = "swiftlet-"
    public var insecureRegistries: [String] = []
    public var podManifestPath: String?
    public var manifestURL: String?
    /// argv prefix that runs the container shim (`[<swiftlet>, "container-shim"]`).
    public var shimCommand: [String]

    public init(nodeName: String, dataDirectory: String, podCIDR: String, nodeIP: String, shimCommand: [String]) {
        self.nodeName = nodeName
        self.dataDirectory = dataDirectory
        self.podCIDR = podCIDR
        self.nodeIP = nodeIP
        self.shimCommand = shimCommand
    }
}
