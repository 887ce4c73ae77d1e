import Foundation

/// What the kubelet records beside each container's bundle so that a restarted node agent knows whose
/// container it is: pod, container name, attempt, image, and its rootfs mount.
///
/// A value type; Codable; Sendable.
struct KubeletContainerMetadata: Codable, Sendable, Equatable {
    var containerID: String
    var podUID: String
    var podNamespace: String
    var podName: String
    var containerName: String
    var attempt: Int32
    var imageID: String
    var startedAt: Date
    var rootfs: String
    var terminationMessagePath: String?
    /// `FallbackToLogsOnError` or `File` (nil in metadata written before the policy was recorded).
    var terminationMessagePolicy: String?
    /// The CRI log of this attempt.
    var logPath: String?

    static let fileName = "kubelet-container.json"

    static func load(bundle: String) -> KubeletContainerMetadata? {
        guard let data = FileManager.default.contents(atPath: bundle + "/" + fileName) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try? decoder.decode(KubeletContainerMetadata.self, from: data)
    }

    func save(bundle: String) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        let data = try encoder.encode(self)
        try data.write(to: URL(fileURLWithPath: bundle + "/" + Self.fileName), options: .atomic)
    }
}
