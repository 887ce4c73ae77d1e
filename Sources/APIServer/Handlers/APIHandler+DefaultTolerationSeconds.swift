import KubeCore

/// The DefaultTolerationSeconds admission plugin on pod create (upstream
/// `plugin/pkg/admission/defaulttolerationseconds`): a pod that does not already tolerate the
/// `node.kubernetes.io/not-ready` or `node.kubernetes.io/unreachable` NoExecute taints gets a toleration of
/// each for 300 seconds, so its pods leave a failed node five minutes after the node lifecycle controller
/// taints it.
extension APIHandler {
    static let notReadyTaintKey = "node.kubernetes.io/not-ready"
    static let unreachableTaintKey = "node.kubernetes.io/unreachable"
    static let defaultTolerationSeconds: Int64 = 300

    func admitDefaultTolerationSeconds(_ pod: inout JSONValue) {
        var tolerations: [JSONValue] = []
        if case .array(let existing)? = pod["spec"]?["tolerations"] { tolerations = existing }
        func tolerates(_ key: String) -> Bool {
            tolerations.contains { toleration in
                let tolerationKey = toleration["key"]?.stringValue ?? ""
                let effect = toleration["effect"]?.stringValue ?? ""
                return (tolerationKey == key || tolerationKey.isEmpty) && (effect == "NoExecute" || effect.isEmpty)
            }
        }
        var added = false
        for key in [Self.notReadyTaintKey, Self.unreachableTaintKey] where !tolerates(key) {
            tolerations.append([
                "key": .string(key), "operator": "Exists", "effect": "NoExecute",
                "tolerationSeconds": .integer(Self.defaultTolerationSeconds),
            ])
            added = true
        }
        if added { pod.set(["spec", "tolerations"], .array(tolerations)) }
    }
}
