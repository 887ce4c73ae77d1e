import ArgumentParser

/// The `swiftlet` binary.
@main
struct Swiftlet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swiftlet",
        abstract: "Kubernetes in one small binary.",
        version: SwiftletVersion.current,
        subcommands: [ServerCommand.self, SecretsEncryptCommand.self, BenchCommand.self, InstallKubectlPluginsCommand.self,
                      ImageCommand.self, VersionCommand.self, DebugCommand.self, ContainerShimCommand.self])

    /// Answers as a kubectl plugin when started under its name (see `RollingUpdatePlugin`).
    static func main() async {
        if RollingUpdatePlugin.isInvoked(as: CommandLine.arguments.first) { return await RollingUpdatePlugin.main() }
        await main(nil)
    }
}

/// `swiftlet version`: prints the version and exits.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Print the version of this binary.")

    func run() {
        print(SwiftletVersion.current)
    }
}

/// Hidden developer tools.
struct DebugCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debug", abstract: "Developer tools.", shouldDisplay: false,
        subcommands: [DebugStoreWriterCommand.self])
}
