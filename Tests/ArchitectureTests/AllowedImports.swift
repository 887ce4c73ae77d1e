/// The layering rules of docs/ARCHITECTURE.md ("Allowed imports") as data. Keep the two in step: a change
/// here without a change there (or the reverse) is a review finding.
///
/// Every directory under `Sources/` must have an entry, including targets that do not exist yet when they
/// are added. Planned targets are listed so their rules are decided before their code is written.
enum AllowedImports {
    /// What one target may import.
    struct Rule: Sendable {
        /// L0 (vocabulary) ... L6 (the executable). A target never imports a target of a higher layer.
        let layer: Int
        /// Swiftlet targets it may import (same or lower layer only).
        let targets: Set<String>
        /// SDK and third-party modules it may import.
        let modules: Set<String>
        /// Whether the target exists today (documentation only; the check treats all entries alike).
        let exists: Bool
    }

    /// Pure modules: no IO beyond what Foundation offers, no logging, no C library.
    static let pure: Set<String> = ["Foundation", "FoundationEssentials", "Synchronization"]
    /// Modules that do IO through the operating system.
    static let system: Set<String> = pure.union(["Dispatch", "Glibc", "Musl", "Darwin"])

    static let rules: [String: Rule] = [
        // L0: vocabulary, pure.
        "KubeCore": Rule(layer: 0, targets: [], modules: pure, exists: true),
        "KubeAPI": Rule(layer: 0, targets: ["KubeCore"], modules: pure, exists: true),
        // L1: storage and the API client.
        "KubeStorage": Rule(
            layer: 1, targets: ["KubeCore"], modules: system.union(["Logging", "GRDB", "GRDBSQLite"]), exists: true),
        "KubeClient": Rule(
            layer: 1, targets: ["KubeAPI", "KubeCore"],
            modules: system.union(["Logging", "NIOCore", "NIOPosix", "NIOHTTP1", "NIOSSL", "NIOFoundationCompat"]),
            exists: true),
        // L1: key material (CA, certificates, token signing keys, encryption at rest); knows no Kubernetes types.
        "KubeSecurity": Rule(layer: 1, targets: [], modules: system.union(["X509", "Crypto", "SwiftASN1"]), exists: true),
        // L1: Linux process and file-system primitives; knows no Kubernetes and no OCI.
        "HostSystem": Rule(layer: 1, targets: [], modules: system.union(["Logging"]), exists: true),
        // L2: the API server.
        "APIServer": Rule(
            layer: 2, targets: ["KubeStorage", "KubeClient", "KubeSecurity", "KubeAPI", "KubeCore"],
            modules: system.union([
                "Logging", "Hummingbird", "HummingbirdCore", "HummingbirdTLS", "HTTPTypes", "NIOCore", "NIOSSL",
                "NIOTLS", "NIOHTTP1", "NIOWebSocket",
                "ServiceLifecycle", "Yams",
            ]), exists: true),
        // L3: control loops.
        "ControllerRuntime": Rule(
            layer: 3, targets: ["KubeClient", "KubeAPI", "KubeCore"],
            modules: system.union(["Logging", "ServiceLifecycle"]), exists: true),
        "Controllers": Rule(
            layer: 3, targets: ["ControllerRuntime", "KubeClient", "KubeAPI", "KubeCore"],
            modules: system.union(["Logging", "ServiceLifecycle"]), exists: true),
        "Scheduler": Rule(
            layer: 3, targets: ["ControllerRuntime", "KubeClient", "KubeAPI", "KubeCore"],
            modules: system.union(["Logging", "ServiceLifecycle"]), exists: true),
        // L4: the node. ContainerRuntime and NodeNetworking know OCI and Linux, not Kubernetes.
        "ContainerRuntime": Rule(
            layer: 4, targets: ["HostSystem"],
            modules: system.union([
                "Logging", "Crypto", "NIOCore", "NIOPosix", "NIOHTTP1", "NIOSSL", "NIOFoundationCompat",
            ]), exists: true),
        "NodeNetworking": Rule(
            layer: 4, targets: ["HostSystem"], modules: system.union(["Logging"]), exists: true),
        "Kubelet": Rule(
            layer: 4,
            targets: [
                "ControllerRuntime", "ContainerRuntime", "NodeNetworking", "HostSystem", "KubeClient", "KubeAPI",
                "KubeCore",
            ],
            modules: system.union(["Logging", "ServiceLifecycle", "Yams"]), exists: true),
        "SimulatedNodes": Rule(
            layer: 4, targets: ["ControllerRuntime", "KubeClient", "KubeAPI", "KubeCore"],
            modules: system.union(["Logging", "ServiceLifecycle"]), exists: true),
        "ServiceProxy": Rule(
            layer: 4, targets: ["ControllerRuntime", "NodeNetworking", "KubeClient", "KubeAPI", "KubeCore"],
            modules: system.union(["Logging", "ServiceLifecycle", "NIOCore", "NIOPosix"]), exists: false),
        // L5: composition root, CLI verbs, tools.
        "ClusterAssembly": Rule(
            layer: 5,
            targets: [
                "APIServer", "ControllerRuntime", "Controllers", "Scheduler", "ContainerRuntime", "NodeNetworking",
                "Kubelet", "ServiceProxy", "SimulatedNodes", "HostSystem", "KubeStorage", "KubeSecurity", "KubeClient", "KubeAPI",
                "KubeCore",
            ],
            modules: system.union(["Logging", "ServiceLifecycle", "NIOCore", "NIOPosix", "NIOSSL"]), exists: true),
        "KubeCLI": Rule(
            layer: 5, targets: ["KubeClient", "KubeAPI", "KubeCore"],
            modules: system.union(["Logging", "ArgumentParser", "Yams"]), exists: true),
        "SwiftletBench": Rule(
            layer: 5,
            targets: ["ClusterAssembly", "ContainerRuntime", "HostSystem", "APIServer", "ControllerRuntime", "KubeStorage", "KubeClient", "KubeAPI", "KubeCore"],
            modules: system.union(["Logging", "NIOCore", "NIOPosix", "NIOHTTP1", "NIOSSL"]), exists: true),
        // L6: the one binary. It imports KubeStorage and APIServer directly until ClusterAssembly exists.
        "swiftlet": Rule(
            layer: 6,
            targets: [
                "ClusterAssembly", "KubeCLI", "SwiftletBench", "ContainerRuntime", "APIServer", "KubeSecurity",
                "KubeStorage", "KubeCore",
            ],
            modules: system.union(["Logging", "ArgumentParser"]), exists: true),
    ]
}
