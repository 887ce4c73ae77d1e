import ArgumentParser
import ContainerRuntime
import Logging

/// `swiftlet container-shim`: the per-container supervisor `RuncRuntime` starts (see `ContainerShim`). Not
/// for people: it reports on its stdout to the process that started it and logs to its stderr.
///
/// Runs until the container has exited and is deleted.
struct ContainerShimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "container-shim", abstract: "Supervise one runc container (started by the node agent).",
        shouldDisplay: false)

    @Option(help: "The runc container id.")
    var id: String

    @Option(help: "The OCI bundle directory (with config.json).")
    var bundle: String

    @Option(help: "runc's state root (--root).")
    var runcRoot: String

    @Option(help: "The runc executable.")
    var runc: String = "runc"

    @Option(help: "The CRI log file for the container's stdout and stderr.")
    var logPath: String

    @Option(help: "This container's state directory (pid, start and exit files).")
    var stateDir: String

    @Option(help: "Rotate the log file when it would grow past this many bytes.")
    var logMaxBytes: Int = 10 * 1024 * 1024

    @Option(help: "Rotated log files to keep besides the current one.")
    var logMaxFiles: Int = 4

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.bootstrap(label: "swiftlet.container-shim")
        let options = ContainerShimOptions(
            containerID: id, bundleDirectory: bundle, runcRoot: runcRoot, runcPath: runc, logPath: logPath,
            stateDirectory: stateDir,
            logRotation: CRILogRotationPolicy(maxFileBytes: logMaxBytes, maxRotatedFiles: logMaxFiles))
        let code = await ContainerShim.main(options, logger: logger)
        if code != 0 { throw ExitCode(code) }
    }
}
