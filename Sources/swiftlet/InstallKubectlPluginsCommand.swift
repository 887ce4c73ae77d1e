import ArgumentParser
import Foundation

/// `swiftlet install-kubectl-plugins [--dir DIR]`: links the kubectl plugins this binary provides
/// (`kubectl-rolling_update`) to the binary, so `kubectl rolling-update` finds them on PATH.
///
/// Value type (ArgumentParser command); does its file-system work synchronously on the calling thread.
struct InstallKubectlPluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install-kubectl-plugins",
        abstract: "Link kubectl plugins (kubectl rolling-update) to this binary.")

    @Option(name: .customLong("dir"),
            help: ArgumentHelp("Where to create the links (default: this binary's directory, or ~/.local/bin when that is not writable).",
                               valueName: "dir"))
    var directory: String?

    func run() throws {
        let binary = Self.executablePath()
        let binaryDirectory = (binary as NSString).deletingLastPathComponent
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        let target = directory ?? (FileManager.default.isWritableFile(atPath: binaryDirectory)
            ? binaryDirectory : home + "/.local/bin")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        for name in [RollingUpdatePlugin.executableName] {
            let link = target + "/" + name
            if (try? FileManager.default.destinationOfSymbolicLink(atPath: link)) != nil
                || FileManager.default.fileExists(atPath: link) {
                try FileManager.default.removeItem(atPath: link)
            }
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: binary)
            print("created \(link) -> \(binary)")
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let standardized = (target as NSString).standardizingPath
        if path.split(separator: ":").contains(where: { ($0 as NSString).standardizingPath == standardized }) {
            print("\(target) is on PATH: run kubectl rolling-update")
        } else {
            print("\(target) is not on PATH: add it (export PATH=\"\(target):$PATH\") so kubectl finds the plugin")
        }
    }

    /// The absolute path of the running binary (symlinks resolved, so the link never points at itself).
    static func executablePath() -> String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return resolved
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
    }
}
