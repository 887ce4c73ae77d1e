import KubeCore

/// What `/version` reports. The minor version is 32 because the kubectl installed as a dispatcher picks
/// `kubectl.1.<minor>` from it.
enum ServerVersion {
    static let gitVersion = "v1.32.0-swiftlet"

    static let json: JSONValue = [
        "major": "1",
        "minor": "32",
        "gitVersion": .string(gitVersion),
        "gitCommit": "swiftlet",
        "gitTreeState": "clean",
        "buildDate": "2026-11-28T00:00:00Z",
        "goVersion": "go1.23.0",
        "compiler": "gc",
        "platform": "linux/amd64",
    ]
}
