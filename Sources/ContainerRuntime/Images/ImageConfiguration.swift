import Foundation

/// How an image wants its containers run, from the `config` object of its image config blob.
///
/// A value type; Sendable. Empty arrays and nil mean the image does not say.
public struct ImageConfiguration: Sendable, Equatable {
    /// `KEY=VALUE` entries, in image order.
    public var env: [String]
    public var entrypoint: [String]
    public var cmd: [String]
    public var workingDir: String?
    /// `uid`, `uid:gid`, `name` or `name:group`, resolved against the rootfs by the runtime.
    public var user: String?
    public var labels: [String: String]
    public var stopSignal: String?
    /// `80/tcp`-style keys of `ExposedPorts`, sorted.
    public var exposedPorts: [String]
    /// The platform the image was built for (`amd64`, `linux`), when the config says.
    public var architecture: String?
    public var os: String?

    public init(
        env: [String] = [], entrypoint: [String] = [], cmd: [String] = [], workingDir: String? = nil,
        user: String? = nil, labels: [String: String] = [:], stopSignal: String? = nil, exposedPorts: [String] = [],
        architecture: String? = nil, os: String? = nil
    ) {
        self.env = env
        self.entrypoint = entrypoint
        self.cmd = cmd
        self.workingDir = workingDir
        self.user = user
        self.labels = labels
        self.stopSignal = stopSignal
        self.exposedPorts = exposedPorts
        self.architecture = architecture
        self.os = os
    }

    /// Parses an image config blob; also returns its `rootfs.diff_ids` (bottom to top).
    static func parse(configBytes: [UInt8]) throws(ImageError) -> (ImageConfiguration, diffIDs: [ImageDigest]) {
        let document: OCIImageConfigDocument
        do {
            document = try JSONDecoder().decode(OCIImageConfigDocument.self, from: Data(configBytes))
        } catch {
            throw .malformedDocument(what: "image config", reason: "\(error)")
        }
        guard document.rootfs.type == "layers" else {
            throw .malformedDocument(what: "image config", reason: "rootfs.type is \(document.rootfs.type), not layers")
        }
        let config = document.config
        let configuration = ImageConfiguration(
            env: config?.Env ?? [], entrypoint: config?.Entrypoint ?? [], cmd: config?.Cmd ?? [],
            workingDir: config?.WorkingDir.flatMap { $0.isEmpty ? nil : $0 },
            user: config?.User.flatMap { $0.isEmpty ? nil : $0 },
            labels: config?.Labels ?? [:], stopSignal: config?.StopSignal.flatMap { $0.isEmpty ? nil : $0 },
            exposedPorts: (config?.ExposedPorts.map { Array($0.keys) } ?? []).sorted(),
            architecture: document.architecture, os: document.os)
        return (configuration, document.rootfs.diff_ids)
    }
}
