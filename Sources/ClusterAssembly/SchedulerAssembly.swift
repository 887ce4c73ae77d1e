import KubeClient
import Logging
import Scheduler
import ServiceLifecycle

/// Builds the scheduler service (`default-scheduler`, acting as `system:kube-scheduler`).
///
/// Value type; Sendable.
struct SchedulerAssembly: Sendable {
    let client: APIClient
    let logger: Logger

    func services() -> [any ServiceLifecycle.Service] {
        [SchedulerService(client: client, logger: logger)]
    }
}
