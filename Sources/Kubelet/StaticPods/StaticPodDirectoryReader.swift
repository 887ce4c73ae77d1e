import KubeCore
public import Foundation
public import KubeAPI
public import Logging

/// Reads every manifest in the static pod directory (upstream `pkg/kubelet/config/file.go`): regular files
/// not starting with '.', sorted by name; a file that does not decode is skipped with a warning.
///
/// Pure apart from reading the directory; Sendable.
public struct StaticPodDirectoryReader: Sendable {
    public let directory: String
    public let nodeName: String

    public init(directory: String, nodeName: String) {
        self.directory = directory
        self.nodeName = nodeName
    }

    /// The static pods the directory describes now (none when it is missing).
    public func read(now: Date, logger: Logger) -> [Pod] {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory) else {
            logger.debug("Static pod directory is not readable", metadata: ["path": "\(directory)"])
            return []
        }
        var pods: [Pod] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = (directory as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let data = manager.contents(atPath: path)
            else { continue }
            do {
                pods.append(try StaticPodManifest.staticPod(from: data, source: .file, nodeName: nodeName, seen: now))
            } catch {
                logger.warning("Skipping a static pod manifest", metadata: ["path": "\(path)", "error": "\(error)"])
            }
        }
        return pods
    }
}
