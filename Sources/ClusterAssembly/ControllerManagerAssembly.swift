import ControllerRuntime
import Controllers
import KubeAPI
import KubeClient
import Logging
import ServiceLifecycle

/// Builds the controller manager: one shared informer factory and every control loop on it, each loop with
/// its own event source (upstream component names). Controllers register their informers, indexes and
/// handlers while they are built, so the factory is run after all of them exist.
///
/// Value type; Sendable.
struct ControllerManagerAssembly: Sendable {
    let client: APIClient
    let configuration: ClusterConfiguration
    let logger: Logger

    func services() -> [any ServiceLifecycle.Service] {
        let informers = InformerFactory(client: client, logger: logger)
        var services: [any ServiceLifecycle.Service] = []
        func recorder(_ component: String) -> EventRecorder {
            let recorder = EventRecorder(client: client, component: component, logger: logger)
            services.append(recorder)
            return recorder
        }
        let replicaSets = ReplicaSetController<ReplicaSet>(
            client: client, informers: informers, events: recorder("replicaset-controller"), logger: logger)
        let replicationControllers = ReplicaSetController<ReplicationController>(
            client: client, informers: informers, events: recorder("replication-controller"), logger: logger)
        let deployments = DeploymentController(
            client: client, informers: informers, events: recorder("deployment-controller"), logger: logger)
        services.append(replicaSets.service)
        services.append(replicationControllers.service)
        services.append(deployments.service)
        services.append(NodeLifecycleController(
            client: client, informers: informers, events: recorder("node-controller"),
            gracePeriod: configuration.nodeMonitorGracePeriod, logger: logger))
        services.append(GarbageCollector(client: client, informers: informers, logger: logger))
        services.append(NamespaceController(client: client, informers: informers, logger: logger))
        services.insert(informers, at: 0)
        return services
    }
}
