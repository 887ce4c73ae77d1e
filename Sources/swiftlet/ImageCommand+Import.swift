import ArgumentParser
import ContainerRuntime

/// `swiftlet image import FILE`: loads a `docker save` or OCI archive tar into the node's image store.
struct ImageImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import images from a docker save or OCI archive tar.")

    @Argument(help: ArgumentHelp("The archive (docker save or OCI archive tar).", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp(
        "Repository for OCI images that carry only a tag (org.opencontainers.image.ref.name), e.g. local/bbx.",
        valueName: "repository"))
    var repository: String?

    @OptionGroup var store: ImageStoreOptions

    func run() async throws {
        let images = try await store.openStore().importArchive(at: file, defaultRepository: repository)
        for image in images {
            if image.names.isEmpty {
                print("Imported \(image.id) without a name (give --repository to name tag-only images)")
            }
            for name in image.names { print("Imported \(name) (\(image.shortID))") }
        }
    }
}
