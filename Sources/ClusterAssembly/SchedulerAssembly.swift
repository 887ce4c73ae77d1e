import KubeClient
import Logging
import ServiceLifecycle

/// Builds the scheduler service.
///
/// Value type; Sendable.
struct SchedulerAssembly: Sendable {
    let client: APIClient
    let logger: Logger

    func services() -> [any ServiceLifecycle.Service] {
        []
    }
}
