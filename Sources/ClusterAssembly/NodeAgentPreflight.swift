import ContainerRuntime
import Foundation
import HostSystem
public import Logging

/// Decides whether `swiftlet server` can run its node agent on this machine (root, runc on PATH) and
/// fills in what the flags left open: the node name (the host name) and the node IP (the first
/// non-loopback IPv4 address).
///
/// Stateless.
public enum NodeAgentPreflight {
    /// Why the node agent cannot run here, or nil when it can.
    public static func problem() -> String? {
        if getuid() != 0 {
            return "the node agent needs root (it creates network namespaces, mounts and cgroups); run the server "
                + "as root or pass --disable-agent"
        }
        if !HostAddresses.isOnPath("runc") {
            return "the node agent needs runc on PATH: install it (apt-get install -y runc) or pass --disable-agent"
        }
        return nil
    }

    /// The agent's settings, or nil (with a warning naming the reason) when it cannot run here.
    public static func settings(dataDirectory: String, imageDirectory: String? = nil, nodeName: String?, nodeIP: String?, podCIDR: String,
                                bridgeName: String = "swiftlet0", insecureRegistries: [String], podManifestPath: String?, manifestURL: String?,
                                logger: Logger = Logger(label: "swiftlet.kubelet")) -> NodeAgentSettings? {
        if let problem = problem() {
            logger.warning("Node agent disabled", metadata: ["reason": "\(problem)"])
            return nil
        }
        let name = (nodeName ?? ProcessInfo.processInfo.hostName).lowercased()
        var settings = NodeAgentSettings(
            nodeName: name, dataDirectory: dataDirectory, podCIDR: podCIDR,
            nodeIP: nodeIP ?? HostAddresses.primaryIPv4(excluding: [bridgeName]) ?? "127.0.0.1",
            shimCommand: RuncRuntime.defaultShimCommand())
        settings.bridgeName = bridgeName
        settings.imageDirectory = imageDirectory
        settings.namespacePrefix = bridgeName + "-"
        settings.insecureRegistries = insecureRegistries
        settings.podManifestPath = podManifestPath
        settings.manifestURL = manifestURL
        return settings
    }
}
