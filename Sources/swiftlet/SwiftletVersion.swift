/// The version of this build, printed by `swiftlet version` and `swiftlet --version`.
enum SwiftletVersion {
    static let current = "0.1.0"
}
