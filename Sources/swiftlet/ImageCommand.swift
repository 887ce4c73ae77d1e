import ArgumentParser
import ContainerRuntime
import Foundation

/// `swiftlet image`: the node's image store (`<data-dir>/images`): pull from a registry
/// (`ImagePullCommand`), import archives, list, remove.
struct ImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Manage the node's container images.",
        subcommands: [ImagePullCommand.self, ImageImportCommand.self, ImageListCommand.self, ImageRemoveCommand.self])
}

/// `--data-dir` for the image commands: the store lives in `<data-dir>/images`, as for `swiftlet server`.
struct ImageStoreOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Directory for all node state (images live in <data-dir>/images).", valueName: "path"))
    var dataDir: String = ServerCommand.defaultDataDirectory

    /// The image store directory.
    var storeDirectory: String { DataDirectory(dataDir).path + "/images" }

    /// Opens (creating if needed) the image store.
    func openStore() throws -> ImageStore {
        try ImageStore(root: storeDirectory)
    }
}
