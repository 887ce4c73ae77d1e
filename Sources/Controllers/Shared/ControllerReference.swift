public import KubeCore

/// Upstream `metav1.GetControllerOf` / `NewControllerRef` and the owner-reference patches of
/// `controller.PodControllerRefManager` (adopt: `ownerRefControllerPatch`; release:
/// `GenerateDeleteOwnerRefStrategicMergeBytes`).
///
/// Stateless; Sendable.
public enum ControllerReference {
    /// The owner reference with `controller: true`, if any.
    public static func controllerOf(_ metadata: ObjectMeta) -> OwnerReference? {
        metadata.ownerReferences.first { $0.controller == true }
    }

    /// A controller reference to `owner`: `controller` and `blockOwnerDeletion` both true.
    public static func make(ownerMetadata owner: ObjectMeta, apiVersion: String, kind: String) -> OwnerReference {
        OwnerReference(apiVersion: apiVersion, kind: kind, name: owner.name, uid: owner.uid, controller: true,
                       blockOwnerDeletion: true)
    }

    /// True when `metadata`'s controller reference points at the object with `uid`.
    public static func isControlled(_ metadata: ObjectMeta, byUID uid: String) -> Bool {
        controllerOf(metadata)?.uid == uid
    }

    /// The strategic merge patch that adds `reference` to the object with `dependentUID`
    /// (`metadata.uid` makes the patch fail if the object was replaced meanwhile).
    public static func adoptionPatch(_ reference: OwnerReference, dependentUID: String) -> [UInt8] {
        let body: JSONValue = .object([
            "metadata": .object([
                "ownerReferences": .array([referenceJSON(reference)]),
                "uid": .string(dependentUID),
            ]),
        ])
        return JSONValueWriter.bytes(body)
    }

    /// The strategic merge patch that removes the owner reference with `ownerUID` from the object with
    /// `dependentUID`.
    public static func releasePatch(ownerUID: String, dependentUID: String) -> [UInt8] {
        let body: JSONValue = .object([
            "metadata": .object([
                "ownerReferences": .array([.object(["$patch": .string("delete"), "uid": .string(ownerUID)])]),
                "uid": .string(dependentUID),
            ]),
        ])
        return JSONValueWriter.bytes(body)
    }

    static func referenceJSON(_ reference: OwnerReference) -> JSONValue {
        var members: [String: JSONValue] = [
            "apiVersion": .string(reference.apiVersion),
            "kind": .string(reference.kind),
            "name": .string(reference.name),
            "uid": .string(reference.uid),
        ]
        if let controller = reference.controller { members["controller"] = .bool(controller) }
        if let block = reference.blockOwnerDeletion { members["blockOwnerDeletion"] = .bool(block) }
        return .object(members)
    }
}
