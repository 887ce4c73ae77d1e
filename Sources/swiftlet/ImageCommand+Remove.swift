import ArgumentParser
import ContainerRuntime

/// `swiftlet image rm NAME|ID…`: removes names (and images left without names) and deletes content no
/// image uses any more. Images used by running containers must not be removed.
struct ImageRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Remove images by name, id or id prefix.", aliases: ["rmi"])

    @Argument(help: ArgumentHelp("Image names, ids or id prefixes.", valueName: "image"))
    var images: [String]

    @OptionGroup var store: ImageStoreOptions

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("name at least one image") }
    }

    func run() async throws {
        let imageStore = try store.openStore()
        for image in images {
            let removal = try await imageStore.remove(image)
            for name in removal.untaggedNames { print("Untagged: \(name)") }
            for id in removal.deletedImageIDs { print("Deleted: \(id)") }
        }
    }
}
