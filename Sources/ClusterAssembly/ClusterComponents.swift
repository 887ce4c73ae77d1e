public import APIServer
import ControllerRuntime
import Foundation
import KubeSecurity
import KubeClient
public import Logging
public import ServiceLifecycle
import SimulatedNodes

/// The components `swiftlet server` runs beside the API server — controllers, scheduler, simulated nodes —
/// each talking to the API only through an ``APIClient`` over an ``InProcessTransport`` as its own user.
///
/// Sendable; `run()` may be called once, after the API server has bootstrapped (default namespaces exist).
public struct ClusterComponents: ServiceLifecycle.Service {
    public let handler: APIHandler
    public let configuration: ClusterConfiguration
    let logger: Logger

    public init(handler: APIHandler, configuration: ClusterConfiguration, logger: Logger) {
        self.handler = handler
        self.configuration = configuration
        self.logger = logger
    }

    func client(_ identity: ClientIdentityName) -> APIClient {
        APIClient(transport: InProcessTransport(handler: handler, identity: identity.identity),
                  userAgent: ComponentIdentities.userAgent(identity.component))
    }

    /// Runs the components once `gate` opens (the API server has bootstrapped).
    public func run(after gate: StartupGate) async throws {
        await gate.wait()
        try await run()
    }

    public func run() async throws {
        var services: [any ServiceLifecycle.Service] = []
        let instance = "\(ProcessInfo.processInfo.hostName)_\(UUID().uuidString.lowercased())"
        if configuration.controllers {
            let client = client(.controllerManager)
            let logger = Logger(label: "swiftlet.controller-manager")
            let loops = ControllerManagerAssembly(client: client, configuration: configuration, logger: logger).services()
            services.append(LeaderElector(
                client: client, name: "kube-controller-manager", identity: instance, logger: logger,
                whileLeading: { try await Self.runAll(loops) }))
        }
        if configuration.scheduler {
            let client = client(.scheduler)
            let logger = Logger(label: "swiftlet.scheduler")
            let scheduler = SchedulerAssembly(client: client, logger: logger).services()
            services.append(LeaderElector(
                client: client, name: "kube-scheduler", identity: instance, logger: logger,
                whileLeading: { try await Self.runAll(scheduler) }))
        }
        if let settings = configuration.simulatedNodes, settings.count > 0 {
            // Heartbeats well inside the grace period, as a kubelet's 10 s are inside the default 40 s.
            let heartbeat = min(Duration.seconds(10), configuration.nodeMonitorGracePeriod / 4)
            let nodes = SimulatedNodeConfiguration(
                count: settings.count, cpu: settings.cpu, memory: settings.memory, pods: settings.pods,
                heartbeatInterval: heartbeat)
            let nodeClient = client(.simulatedNodes)
            let informers = InformerFactory(client: nodeClient, logger: Logger(label: "swiftlet.simulated-nodes"))
            let pool = SimulatedNodePool(configuration: nodes, client: nodeClient, informers: informers,
                                         logger: Logger(label: "swiftlet.simulated-nodes"))
            services += [informers, pool]
        }
        if let agent = configuration.nodeAgent {
            let identity = ClientIdentityName(component: "kubelet", identity: ComponentIdentities.node(agent.nodeName))
            services += try NodeAgentAssembly(settings: agent, client: client(identity), handler: handler,
                                              logger: Logger(label: "swiftlet.kubelet")).services()
        }
        logger.info("Cluster components starting", metadata: ["services": "\(services.count)"])
        try await Self.runAll(services)
        // With nothing to run (`--disable-control-loops`), stay until the server stops rather than end it.
        while true { try await Task.sleep(for: .seconds(3600)) }
    }

    /// Runs every service until all return, one throws, or the task is cancelled.
    static func runAll(_ services: [any ServiceLifecycle.Service]) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            for service in services {
                group.addTask { try await service.run() }
            }
        }
    }
}

/// Which in-process identity a client uses.
///
/// Value type; Sendable.
struct ClientIdentityName: Sendable {
    var component: String
    var identity: ClientIdentity

    static let controllerManager = ClientIdentityName(
        component: "kube-controller-manager", identity: ComponentIdentities.controllerManager)
    static let scheduler = ClientIdentityName(component: "kube-scheduler", identity: ComponentIdentities.scheduler)
    static let simulatedNodes = ClientIdentityName(component: "kubelet", identity: ComponentIdentities.node("simulated"))
}
