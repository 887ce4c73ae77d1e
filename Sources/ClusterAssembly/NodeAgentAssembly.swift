import APIServer
import ContainerRuntime
import ControllerRuntime
import Foundation
import HostSystem
import KubeAPI
import KubeClient
import Kubelet
import Logging
import NodeNetworking
import ServiceLifecycle

/// Builds the node agent of `swiftlet server`: the image store and puller, runc under shims, the pod network
/// on the node bridge, the kubelet with its probes and hooks, and the API server's streaming backend
/// (logs, exec, attach) over them.
///
/// Sendable; `services()` once per server.
struct NodeAgentAssembly: Sendable {
    let settings: NodeAgentSettings
    let client: APIClient
    let handler: APIHandler
    let logger: Logger

    func services() throws -> [any ServiceLifecycle.Service] {
        try Subreaper.enable()
        let root = settings.dataDirectory
        let imageDirectory = settings.imageDirectory ?? root + "/images"
        for directory in [root, imageDirectory, root + "/kubelet", root + "/containers", root + "/network"] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let images = try ImageStore(root: imageDirectory, logger: logger)
        let puller = ImagePuller(store: images, logger: logger)
        let runc = RuncRuntime(runcRoot: root + "/runc", stateDirectory: root + "/containers",
                               shimCommand: settings.shimCommand, logger: logger)
        guard let podCIDR = IPv4CIDR(settings.podCIDR) else {
            throw NodeAgentError.invalidPodCIDR(settings.podCIDR)
        }
        let network = try PodNetwork(configuration: PodNetworkConfiguration(
            bridgeName: settings.bridgeName, podCIDR: podCIDR,
            stateDirectory: root + "/network", namespacePrefix: settings.namespacePrefix), logger: logger)
        var runtimeSettings = RuncPodRuntime.Settings(rootDirectory: root + "/kubelet", nodeIP: settings.nodeIP)
        runtimeSettings.insecureRegistries = settings.insecureRegistries
        let runtime = RuncPodRuntime(settings: runtimeSettings, runc: runc, images: images, puller: puller,
                                     network: network, objects: APIClientPodObjectSource(client: client), logger: logger)

        var configuration = KubeletConfiguration(nodeName: settings.nodeName, rootDirectory: root + "/kubelet",
                                                 podCIDR: settings.podCIDR, nodeIP: settings.nodeIP)
        configuration.podManifestPath = settings.podManifestPath
        configuration.manifestURL = settings.manifestURL
        let kubeletReference = KubeletReference()
        let events = EventRecorder(client: client, component: "kubelet", host: settings.nodeName, logger: logger)
        let writer = APIPodStatusWriter(client: client, events: events)
        let observer = ContainerHealthObserver(
            executor: RuncCommandExecutor(runtime: runtime), tlsTransport: try NIOSSLProbeTLSTransport(), writer: writer,
            workers: { uid in kubeletReference.kubelet?.worker(podUID: uid) },
            pods: { uid in kubeletReference.kubelet?.pod(uid: uid) }, logger: logger)
        let kubelet = KubeletService(
            configuration: configuration, client: client, runtime: runtime, observer: observer,
            images: { NodeImageList.containerImages(images.images()) }, logger: logger)
        kubeletReference.kubelet = kubelet
        handler.podStreaming.set(KubeletPodStreamingBackend(kubelet: kubelet, runtime: runtime))
        return [NodeNetworkSetUp(network: network, logger: logger), kubelet, events, HealthObserverService(observer)]
    }
}

/// Sets up the node bridge once at startup (idempotent across restarts).
///
/// Sendable.
struct NodeNetworkSetUp: ServiceLifecycle.Service {
    let network: PodNetwork
    let logger: Logger

    func run() async throws {
        try await network.setUpNode()
        logger.info("Node pod network ready")
    }
}

/// Runs the probe manager and applies its verdicts.
///
/// Sendable.
struct HealthObserverService: ServiceLifecycle.Service {
    let observer: ContainerHealthObserver

    init(_ observer: ContainerHealthObserver) {
        self.observer = observer
    }

    func run() async throws {
        await observer.run()
    }
}

/// A late-bound reference from the probe observer to the kubelet it serves (they are built in a cycle).
///
/// Thread-safe.
final class KubeletReference: @unchecked Sendable {
    private let lock = NSLock()
    private var value: KubeletService?

    var kubelet: KubeletService? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}

/// The node's images as `status.images` lists them: names (tags and repo digests) and sizes.
enum NodeImageList {
    static func containerImages(_ images: [StoredImage]) -> [ContainerImage] {
        images.map { image in
            var entry = ContainerImage()
            entry.names = image.repoDigests + image.names
            entry.sizeBytes = Int64(image.size)
            return entry
        }
    }
}

/// Why the node agent could not be built.
enum NodeAgentError: Error, CustomStringConvertible {
    case invalidPodCIDR(String)

    var description: String {
        switch self {
        case .invalidPodCIDR(let text):
            "the node's pod CIDR \"\(text)\" is not an IPv4 CIDR such as 10.244.0.0/24; set --pod-cidr"
        }
    }
}
