public import ArgumentParser
import Foundation
import KubeClient
import KubeCore

/// `kubectl rolling-update` as a kubectl plugin (`kubectl-rolling_update`): the command kubectl removed in
/// 1.18, with its 1.17 flags and output, over the kubeconfig kubectl would use.
///
/// Value type (ArgumentParser command). Runs one update in the calling task; exits 1 on failure after
/// printing the error as kubectl did.
public struct KubectlRollingUpdateCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kubectl rolling-update",
        abstract: "Perform a rolling update of the given ReplicationController.",
        discussion: """
            Replaces the specified replication controller with a new replication controller by updating one pod at a \
            time to use the new PodTemplate. The new-controller.json must specify the same namespace as the existing \
            replication controller and overwrite at least one (common) label in its replicaSelector.

            Examples:
              # Update pods of frontend-v1 using new replication controller data in frontend-v2.json.
              kubectl rolling-update frontend-v1 -f frontend-v2.json

              # Update the pods of frontend by just changing the image, and keeping the old name.
              kubectl rolling-update frontend --image=image:v2

              # Abort and reverse an existing rollout in progress (from frontend-v1 to frontend-v2).
              kubectl rolling-update frontend-v1 frontend-v2 --rollback
            """)

    @Argument(help: "OLD_CONTROLLER_NAME [NEW_CONTROLLER_NAME]")
    var names: [String] = []

    @Option(name: [.customShort("f"), .long], help: "Filename or URL to file to use to create the new replication controller.")
    var filename: [String] = []

    @Option(help: "Image to use for upgrading the replication controller. Must be distinct from the existing image (either new image or new image tag).  Can not be used with --filename/-f")
    var image: String?

    @Option(name: .customLong("deployment-label-key"),
            help: "The key to use to differentiate between two different controllers, default 'deployment'.  Only relevant when --image is specified, ignored otherwise")
    var deploymentKey: String = "deployment"

    @Option(help: "Container name which will have its image upgraded. Only relevant when --image is specified, ignored otherwise. Required when using --image on a multi-container pod")
    var container: String?

    @Option(name: .customLong("image-pull-policy"),
            help: "Explicit policy for when to pull container images. Required when --image is same as existing image, ignored otherwise.")
    var pullPolicy: String?

    @Flag(help: "If true, this is a request to abort an existing rollout that is partially rolled out. It effectively reverses current and next and runs a rollout")
    var rollback = false

    @Option(name: .customLong("update-period"), help: "Time to wait between updating pods.")
    var updatePeriod: String = "1m0s"

    @Option(name: .customLong("poll-interval"), help: "Time delay between polling for replication controller status after the update.")
    var pollInterval: String = "3s"

    @Option(help: "Max time to wait for a replication controller to update before giving up.")
    var timeout: String = "5m0s"

    @Flag(name: .customLong("dry-run"), help: "If true, only print the object that would be sent, without sending it.")
    var dryRun = false

    @Option(name: [.customShort("o"), .long], help: "Output format: name.")
    var output: String = ""

    @Option(name: .customLong("kubeconfig"), help: "Path to the kubeconfig file to use for CLI requests.")
    var kubeconfig: String?

    @Option(help: "The name of the kubeconfig context to use")
    var context: String?

    @Option(name: [.customShort("n"), .long], help: "If present, the namespace scope for this CLI request")
    var namespace: String?

    public init() {}

    public func run() async throws {
        FileHandle.standardError.write(Data("Command \"rolling-update\" is deprecated, use \"rollout\" instead\n".utf8))
        do {
            try await perform()
        } catch {
            FileHandle.standardError.write(Data((Self.render(error) + "\n").utf8))
            throw ExitCode(1)
        }
    }

    private func perform() async throws {
        var options = RollingUpdateOptions(oldName: names.first ?? "")
        options.newName = names.count > 1 ? names[1] : nil
        if filename.count > 1 { throw RollingUpdateError.usage(["May only specify a single filename for new controller"]) }
        options.filename = filename.first
        options.image = image
        options.deploymentKey = deploymentKey
        options.container = container
        options.pullPolicy = pullPolicy
        options.rollback = rollback
        options.dryRun = dryRun
        options.output = output
        for (flag, text, apply) in [
            ("update-period", updatePeriod, { (value: Duration) in options.updatePeriod = value }),
            ("poll-interval", pollInterval, { options.pollInterval = $0 }),
            ("timeout", timeout, { options.timeout = $0 }),
        ] as [(String, String, (Duration) -> Void)] {
            guard let value = GoDuration.parse(text) else {
                throw RollingUpdateError.message("invalid argument \"\(text)\" for \"--\(flag)\" flag: time: invalid duration \"\(text)\"")
            }
            apply(value)
        }
        guard output.isEmpty || output == "name" else {
            throw RollingUpdateError.message("unable to match a printer suitable for the output format \"\(output)\", allowed formats are: name")
        }
        let problems = options.usageProblems
        guard problems.isEmpty else { throw RollingUpdateError.usage(problems) }

        let loader = KubeconfigLoader(explicitPath: kubeconfig, contextOverride: context, namespaceOverride: namespace)
        let clientConfiguration = try loader.load()
        options.namespace = clientConfiguration.namespace
        options.enforceNamespace = clientConfiguration.namespaceExplicit
        let transport = try HTTPSTransport(configuration: clientConfiguration.transport)
        defer { transport.closeIdleConnections() }
        let client = APIClient(transport: transport, userAgent: "kubectl-rolling_update/\(Self.version)",
                               fieldManager: "kubectl-rolling-update")
        let updater = RollingUpdater(client: client, namespace: options.namespace) { line in
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
        try await RollingUpdateOperation(options: options, updater: updater).run()
    }

    static let version = "v1.17.0-swiftlet"

    /// An error as kubectl printed it (`cmdutil.CheckErr`).
    static func render(_ error: any Error) -> String {
        switch error {
        case let error as APIError:
            let reason = error.reason.rawValue.isEmpty ? "" : " (\(error.reason.rawValue))"
            return "Error from server\(reason): \(error.message)"
        case RollingUpdateError.usage(let problems):
            return problems.map { "error: \($0)" }.joined(separator: "\n")
                + "\nSee 'kubectl rolling-update -h' for help and examples"
        case let error as HTTPSTransportError:
            return "Unable to connect to the server: \(error)"
        default:
            return "error: \(error)"
        }
    }
}
