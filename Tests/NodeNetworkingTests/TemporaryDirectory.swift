import Foundation

/// A fresh directory under the system temporary directory, removed by `remove()`.
///
/// A value type; Sendable.
struct TemporaryDirectory: Sendable {
    let path: String

    init(_ label: String = "swiftlet-network-test") throws {
        path = NSTemporaryDirectory() + "/\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
