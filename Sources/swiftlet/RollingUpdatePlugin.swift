import ArgumentParser
import KubeCLI

/// The kubectl plugins the binary answers as when started under their names (argv[0]), through a symlink
/// `swiftlet install-kubectl-plugins` makes: today `kubectl-rolling_update` (`kubectl rolling-update`).
///
/// Namespace of static functions; runs on the main task.
enum RollingUpdatePlugin {
    static let executableName = "kubectl-rolling_update"

    /// Whether `argv0`'s last path component is the plugin's name.
    static func isInvoked(as argv0: String?) -> Bool {
        guard let argv0 else { return false }
        return argv0.split(separator: "/").last.map(String.init) == executableName
    }

    /// Runs the plugin with the arguments after argv[0] (kubectl passes those after `rolling-update`).
    static func main() async {
        await KubectlRollingUpdateCommand.main(Array(CommandLine.arguments.dropFirst()))
    }
}
