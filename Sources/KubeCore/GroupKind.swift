/// A group and kind, e.g. `Deployment.apps`; core kinds render without a group (`Pod`).
/// Used in `Invalid` API errors.
/// Value type; Sendable.
public struct GroupKind: Hashable, Sendable, CustomStringConvertible {
    public var group: String
    public var kind: String

    public init(group: String, kind: String) {
        self.group = group
        self.kind = kind
    }

    /// Upstream `ParseGroupKind`: `Deployment.apps` → (apps, Deployment); no dot → core group.
    public init(parsing text: String) {
        if let dot = text.firstIndex(of: ".") {
            self.init(group: String(text[text.index(after: dot)...]), kind: String(text[..<dot]))
        } else {
            self.init(group: "", kind: text)
        }
    }

    public var isEmpty: Bool { group.isEmpty && kind.isEmpty }

    public func withVersion(_ version: String) -> GroupVersionKind {
        GroupVersionKind(group: group, version: version, kind: kind)
    }

    /// `kind` for the core group, else `kind.group`.
    public var description: String { group.isEmpty ? kind : kind + "." + group }
}
