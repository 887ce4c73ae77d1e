// swift-tools-version:6.1
import PackageDescription

/// One strictness setting array for every target (see docs/ARCHITECTURE.md).
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "swiftlet",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "swiftlet", targets: ["swiftlet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // Already in the graph through Hummingbird; named here for the controllers' service lifecycles.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        // Already in the graph through Hummingbird; named here for the API benchmark's HTTP client.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
    ],
    targets: [
        // L0: vocabulary, pure.
        .target(
            name: "KubeCore",
            swiftSettings: strict
        ),
        // L0: Kubernetes API types (generated from api/**.yaml), defaulting, validation.
        .target(
            name: "KubeAPI",
            dependencies: ["KubeCore"],
            swiftSettings: strict
        ),
        // L1: revisioned byte store (SQLite, memory).
        .target(
            name: "KubeStorage",
            dependencies: [
                "KubeCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // L1: key material: the cluster CA and certificates, service-account token signing, encryption at rest.
        .target(
            name: "KubeSecurity",
            dependencies: [
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strict
        ),
        // L1: the API client: typed requests and watches over a transport (in-process or HTTPS).
        .target(
            name: "KubeClient",
            dependencies: [
                "KubeAPI",
                "KubeCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        // L2: the Kubernetes REST API over the store.
        .target(
            name: "APIServer",
            dependencies: [
                "KubeCore",
                "KubeAPI",
                "KubeStorage",
                "KubeSecurity",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // L3: informers, work queues, reconcilers, events, leader election.
        .target(
            name: "ControllerRuntime",
            dependencies: [
                "KubeClient",
                "KubeAPI",
                "KubeCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // L3: the control loops (ReplicaSet, Deployment, garbage collector, namespaces, node lifecycle).
        .target(
            name: "Controllers",
            dependencies: [
                "ControllerRuntime",
                "KubeClient",
                "KubeAPI",
                "KubeCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // L3: the scheduler (a pure algorithm over a snapshot, a queue, binding).
        .target(
            name: "Scheduler",
            dependencies: [
                "ControllerRuntime",
                "KubeClient",
                "KubeAPI",
                "KubeCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // L1: Linux process and file-system primitives (host commands, subreaper, mounts); no Kubernetes, no OCI.
        .target(
            name: "HostSystem",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // L4: OCI images (store, import, registry pull, unpack) and containers through runc; no Kubernetes types.
        .target(
            name: "ContainerRuntime",
            dependencies: [
                "HostSystem",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // L4: pod network namespaces, the node bridge, veth pairs, host-local IP allocation.
        .target(
            name: "NodeNetworking",
            dependencies: [
                "HostSystem",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // L4: the node agent: node registration, pod workers over runc, probes, volumes, logs and exec.
        .target(
            name: "Kubelet",
            dependencies: [
                "ControllerRuntime",
                "ContainerRuntime",
                "NodeNetworking",
                "HostSystem",
                "KubeClient",
                "KubeAPI",
                "KubeCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // L4: hollow nodes that heartbeat and run pods without containers (for tests and capacity planning).
        .target(
            name: "SimulatedNodes",
            dependencies: [
                "ControllerRuntime",
                "KubeClient",
                "KubeAPI",
                "KubeCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // L5: the composition root: API server, controllers, scheduler and nodes as one service group.
        .target(
            name: "ClusterAssembly",
            dependencies: [
                "APIServer",
                "ControllerRuntime",
                "Controllers",
                "Scheduler",
                "SimulatedNodes",
                "Kubelet",
                "ContainerRuntime",
                "NodeNetworking",
                "HostSystem",
                "KubeStorage",
                "KubeSecurity",
                "KubeClient",
                "KubeAPI",
                "KubeCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        // L5: kubectl-like verbs over the API client (kubeconfig loading, the `kubectl rolling-update` plugin).
        .target(
            name: "KubeCLI",
            dependencies: [
                "KubeClient",
                "KubeAPI",
                "KubeCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // Tools: benchmarks run by `swiftlet bench`.
        .target(
            name: "SwiftletBench",
            dependencies: [
                "ClusterAssembly",
                "ContainerRuntime",
                "HostSystem",
                "APIServer",
                "ControllerRuntime",
                "KubeClient",
                "KubeAPI",
                "KubeCore",
                "KubeStorage",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        // The one binary.
        .executableTarget(
            name: "swiftlet",
            dependencies: [
                "ClusterAssembly",
                "KubeCore",
                "KubeStorage",
                "KubeSecurity",
                "APIServer",
                "SwiftletBench",
                "KubeCLI",
                "ContainerRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "KubeCoreTests",
            dependencies: ["KubeCore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "KubeAPITests",
            dependencies: ["KubeAPI", "KubeCore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "APIServerTests",
            dependencies: [
                "APIServer", "KubeAPI", "KubeCore", "KubeSecurity", "KubeStorage", "KubeClient", "KubeCLI", "swiftlet",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "KubeSecurityTests",
            dependencies: [
                "KubeSecurity",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "KubeStorageTests",
            dependencies: [
                "KubeStorage",
                "swiftlet",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SwiftletBenchTests",
            dependencies: ["SwiftletBench", "KubeStorage", "swiftlet"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ControllerRuntimeTests",
            dependencies: ["ControllerRuntime", "KubeClient", "KubeAPI", "KubeCore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ControllersTests",
            dependencies: [
                "Controllers", "ControllerRuntime", "KubeClient", "KubeAPI", "KubeCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SchedulerTests",
            dependencies: ["Scheduler", "KubeAPI", "KubeCore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ArchitectureTests",
            swiftSettings: strict
        ),
        .testTarget(
            name: "ContainerRuntimeTests",
            dependencies: ["ContainerRuntime", "HostSystem"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "NodeNetworkingTests",
            dependencies: ["NodeNetworking", "HostSystem"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "KubeletTests",
            dependencies: [
                "Kubelet", "ContainerRuntime", "NodeNetworking", "HostSystem", "ControllerRuntime", "KubeClient",
                "KubeAPI", "KubeCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
    ]
)
