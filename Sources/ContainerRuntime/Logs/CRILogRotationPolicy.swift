/// How large a container log file may grow and how many rotated files (`path.1` newest … `path.N`
/// oldest) are kept beside the current one (kubelet defaults: `containerLogMaxSize` 10Mi,
/// `containerLogMaxFiles` 5 counting the current file).
///
/// A value type; Sendable.
public struct CRILogRotationPolicy: Sendable, Hashable, Codable {
    public var maxFileBytes: Int
    /// Rotated files kept in addition to the current file; 0 truncates instead.
    public var maxRotatedFiles: Int

    public init(maxFileBytes: Int = 10 * 1024 * 1024, maxRotatedFiles: Int = 4) {
        self.maxFileBytes = maxFileBytes
        self.maxRotatedFiles = maxRotatedFiles
    }

    /// The files that hold a log at `path`, oldest first, the current file last.
    public func files(forLogAt path: String) -> [String] {
        (0...max(0, maxRotatedFiles)).reversed().map { $0 == 0 ? path : "\(path).\($0)" }
    }
}
