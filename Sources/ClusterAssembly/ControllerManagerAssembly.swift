import ControllerRuntime
import Controllers
import KubeClient
import Logging
import ServiceLifecycle

/// Builds the controller manager: one shared informer factory and every control loop on it.
///
/// Value type; Sendable.
struct ControllerManagerAssembly: Sendable {
    let client: APIClient
    let configuration: ClusterConfiguration
    let logger: Logger

    func services() -> [any ServiceLifecycle.Service] {
        let informers = InformerFactory(client: client, logger: logger)
        let events = EventRecorder(client: client, component: "controller-manager", logger: logger)
        var services: [any ServiceLifecycle.Service] = []
        services.append(NodeLifecycleController(
            client: client, informers: informers, events: events, gracePeriod: configuration.nodeMonitorGracePeriod,
            logger: logger))
        // Every controller asks the factory for its informers first; the factory runs them all.
        services.insert(informers, at: 0)
        services.append(events)
        return services
    }
}
