public import KubeCore

/// Upstream `BaseControllerRefManager.ClaimObject`: whether an owner claims, adopts, releases or ignores
/// one candidate dependent (a pod for a ReplicaSet, a ReplicaSet for a Deployment).
///
/// Stateless; Sendable.
public enum OwnerClaim {
    public enum Decision: Sendable, Equatable {
        /// Already controlled by the owner and still selected.
        case owned
        /// An orphan the owner selects: add the owner's controller reference.
        case adopt
        /// Controlled by the owner but no longer selected: remove the owner's reference.
        case release
        /// Someone else's, not selected, or the owner (or the dependent) is being deleted.
        case ignore

        /// True when the dependent counts as the owner's after the decision is carried out.
        public var claims: Bool { self == .owned || self == .adopt }
    }

    /// - Parameters:
    ///   - selected: the owner's selector (and any filters) match the dependent.
    public static func decide(dependent: ObjectMeta, owner: ObjectMeta, selected: Bool) -> Decision {
        let ownerDeleting = owner.deletionTimestamp != nil
        if let reference = ControllerReference.controllerOf(dependent) {
            guard reference.uid == owner.uid else { return .ignore }
            if selected { return .owned }
            return ownerDeleting ? .ignore : .release
        }
        if ownerDeleting || !selected { return .ignore }
        if dependent.deletionTimestamp != nil { return .ignore }
        if !owner.namespace.isEmpty && owner.namespace != dependent.namespace { return .ignore }
        return .adopt
    }
}
