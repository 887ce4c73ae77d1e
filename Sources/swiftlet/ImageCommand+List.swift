import ArgumentParser
import ContainerRuntime

/// `swiftlet image ls`: the images in the node's store, as `crictl images` prints them.
struct ImageListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls", abstract: "List images.", aliases: ["list"])

    @Flag(name: .shortAndLong, help: "Print only image ids.")
    var quiet = false

    @OptionGroup var store: ImageStoreOptions

    func run() async throws {
        let images = try store.openStore().images()
        if quiet {
            for image in images { print(image.id) }
        } else {
            print(ImageListing.table(images), terminator: "")
        }
    }
}
