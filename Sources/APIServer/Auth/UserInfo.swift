/// An authenticated (or anonymous) caller, as authorizers and audit see it.
///
/// Value type; Sendable.
public struct UserInfo: Sendable, Equatable, Hashable {
    public var name: String
    public var uid: String
    public var groups: [String]
    public var extra: [String: [String]]

    public init(name: String, uid: String = "", groups: [String] = [], extra: [String: [String]] = [:]) {
        self.name = name
        self.uid = uid
        self.groups = groups
        self.extra = extra
    }

    public static let anonymousName = "system:anonymous"
    public static let authenticatedGroup = "system:authenticated"
    public static let unauthenticatedGroup = "system:unauthenticated"
    public static let mastersGroup = "system:masters"

    public static let anonymous = UserInfo(name: anonymousName, groups: [unauthenticatedGroup])

    /// The same user with `system:authenticated` added (every authenticated user is in it).
    func authenticated() -> UserInfo {
        var user = self
        if !user.groups.contains(Self.authenticatedGroup) { user.groups.append(Self.authenticatedGroup) }
        return user
    }
}
