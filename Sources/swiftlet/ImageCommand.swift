import ArgumentParser
import ContainerRuntime
import Foundation

/// `swiftlet image`: the node's image store (`<data-dir>/images`): import archives, list, remove.
///
/// The registry pull (`swiftlet image pull`) belongs beside these: add its command type to
/// `subcommands` below and reuse `ImageStoreOptions` for the store location.
struct ImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Manage the node's container images.",
        subcommands: [ImageImportCommand.self, ImageListCommand.self, ImageRemoveCommand.self])
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
