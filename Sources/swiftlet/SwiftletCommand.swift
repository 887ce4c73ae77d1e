import ArgumentParser

/// The `swiftlet` binary.
@main
struct Swiftlet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swiftlet",
        abstract: "Kubernetes in one small binary.",
        subcommands: [DebugCommand.self])
}

/// Hidden developer tools.
struct DebugCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debug", abstract: "Developer tools.", shouldDisplay: false,
        subcommands: [DebugStoreWriterCommand.self])
}
