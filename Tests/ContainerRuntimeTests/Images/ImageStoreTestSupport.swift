import ContainerRuntime
import Foundation
import HostSystem

/// A fresh image store in its own temporary directory for one test, deleted afterwards.
enum ImageStoreTestSupport {
    static func withStore<Result>(_ body: (ImageStore, String) async throws -> Result) async throws -> Result {
        let root = try TestImageBuilder.makeTemporaryDirectory(prefix: "swiftlet-test-store")
        defer { try? FileManager.default.removeItem(atPath: root) }
        return try await body(try ImageStore(root: root), root)
    }

    /// Names in a directory, sorted ([] if missing).
    static func entries(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    static var isRoot: Bool { getuid() == 0 }
}
