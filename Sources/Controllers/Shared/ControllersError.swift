/// Errors of the workload controllers.
///
/// Value type; Sendable.
public enum ControllersError: Error, Sendable, CustomStringConvertible {
    /// Upstream `RecheckDeletionTimestamp`: the owner is gone or being deleted, so it adopts nothing.
    case cannotAdopt(owner: String)

    public var description: String {
        switch self {
        case .cannotAdopt(let owner): "\(owner) is being deleted or was replaced; not adopting"
        }
    }
}
