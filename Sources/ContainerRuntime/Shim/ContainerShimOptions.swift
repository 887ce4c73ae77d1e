/// What `swiftlet container-shim` needs to run one container; `RuncRuntime` builds it and renders it as
/// command-line arguments, `ContainerShimCommand` parses them back.
///
/// A value type; Sendable.
public struct ContainerShimOptions: Sendable, Hashable {
    public var containerID: String
    public var bundleDirectory: String
    public var runcRoot: String
    /// The runc executable (looked up on PATH when not absolute).
    public var runcPath: String
    public var logPath: String
    /// This container's state directory (`<runtime state dir>/<id>`).
    public var stateDirectory: String
    public var logRotation: CRILogRotationPolicy

    public init(
        containerID: String, bundleDirectory: String, runcRoot: String, runcPath: String = "runc", logPath: String,
        stateDirectory: String, logRotation: CRILogRotationPolicy = CRILogRotationPolicy()
    ) {
        self.containerID = containerID
        self.bundleDirectory = bundleDirectory
        self.runcRoot = runcRoot
        self.runcPath = runcPath
        self.logPath = logPath
        self.stateDirectory = stateDirectory
        self.logRotation = logRotation
    }

    /// The arguments after `container-shim`.
    public var arguments: [String] {
        [
            "--id", containerID, "--bundle", bundleDirectory, "--runc-root", runcRoot, "--runc", runcPath,
            "--log-path", logPath, "--state-dir", stateDirectory,
            "--log-max-bytes", String(logRotation.maxFileBytes), "--log-max-files", String(logRotation.maxRotatedFiles),
        ]
    }
}
