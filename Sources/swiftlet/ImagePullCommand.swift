import ArgumentParser
import ContainerRuntime
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `swiftlet image pull [--insecure-registry H] [--username U --password P | --password-stdin] REF`: pulls an
/// image from a registry into the node's image store (`<data-dir>/images`), showing progress as `docker pull`
/// does (one redrawn line per layer on a terminal, plain lines otherwise).
struct ImagePullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull", abstract: "Pull an image from a registry into the node's image store.",
        discussion: """
            Registries on 127.0.0.0/8 and localhost are reached over plain HTTP, all others over HTTPS with the \
            system's certificate authorities unless named with --insecure-registry.
            """)

    @Argument(help: "The image, e.g. busybox, ghcr.io/org/app:1.0 or 127.0.0.1:5000/local/bbx@sha256:….")
    var image: String

    @OptionGroup var store: ImageStoreOptions

    @Option(name: .customLong("insecure-registry"),
            help: "A registry (host, host:port or IPv4 CIDR) to reach over plain HTTP; repeatable.")
    var insecureRegistries: [String] = []

    @Option(help: "User name for the registry.")
    var username: String?

    @Option(help: "Password for the registry (prefer --password-stdin).")
    var password: String?

    @Flag(help: "Read the password from standard input.")
    var passwordStdin = false

    @Flag(name: .shortAndLong, help: "Print only the image name when done.")
    var quiet = false

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if password != nil && passwordStdin { throw ValidationError("--password and --password-stdin exclude each other") }
        if (password != nil || passwordStdin) && username == nil {
            throw ValidationError("--password needs --username")
        }
    }

    func run() async throws {
        let logger = logging.bootstrap(label: "swiftlet.image")
        let reference: ImageReference
        do { reference = try ImageReference(parsing: image) } catch { throw ValidationError("\(error)") }
        var credentials: [RegistryCredentials] = []
        if let username {
            var secret = password ?? ""
            if passwordStdin {
                secret = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                while secret.hasSuffix("\n") || secret.hasSuffix("\r") { secret.removeLast() }
            }
            credentials = [RegistryCredentials(username: username, password: secret)]
        }

        let images = try ImageStore(root: store.storeDirectory, logger: logger)
        let puller = ImagePuller(store: images, logger: logger)
        let display = PullDisplay(interactive: !quiet && isatty(STDOUT_FILENO) == 1, quiet: quiet)

        display.write("\(reference.tag ?? reference.digest?.description ?? "latest"): Pulling from "
                      + "\(reference.repository)\n")
        let options = ImagePullOptions(
            credentials: credentials, insecureRegistries: insecureRegistries,
            progress: { progress in display.show(progress) })
        let pulled = try await puller.pull(reference, options: options)
        display.write("Digest: \(pulled.manifestDigest)\n")
        display.write(display.downloadedAnything
            ? "Status: Downloaded newer image for \(reference.normalizedName)\n"
            : "Status: Image is up to date for \(reference.normalizedName)\n")
        print(reference.normalizedName)
    }
}

/// Writes pull progress to standard output. Thread-safe: progress arrives from concurrent downloads, so a
/// `Mutex` serializes rendering and writing.
private final class PullDisplay: Sendable {
    private struct State {
        var renderer: ImagePullProgressRenderer
        var downloaded = false
    }

    private let state: Mutex<State>
    private let quiet: Bool

    init(interactive: Bool, quiet: Bool) {
        state = Mutex(State(renderer: ImagePullProgressRenderer(interactive: interactive)))
        self.quiet = quiet
    }

    var downloadedAnything: Bool { state.withLock { $0.downloaded } }

    func show(_ progress: ImagePullProgress) {
        state.withLock { state in
            if progress.state == .downloaded { state.downloaded = true }
            guard !quiet else { return }
            let text = state.renderer.render(progress, now: .now)
            if !text.isEmpty { Self.writeOut(text) }
        }
    }

    func write(_ text: String) {
        guard !quiet else { return }
        state.withLock { _ in Self.writeOut(text) }
    }

    private static func writeOut(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
