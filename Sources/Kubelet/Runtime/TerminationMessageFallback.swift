import ContainerRuntime

/// `terminationMessagePolicy: FallbackToLogsOnError`: when a container failed (non-zero exit) and left no
/// termination message, its message is the tail of its log, at most the last 80 lines and 2048 bytes
/// (upstream `MaxContainerTerminationMessageLogLines` / `…LogLength`).
///
/// Stateless; reads the container's CRI log.
enum TerminationMessageFallback {
    static let maximumLines = 80
    static let maximumBytes = 2048

    /// Whether the log stands in for the message of a run that ended with `exitCode` and left `message`.
    static func applies(policy: String?, exitCode: Int32, message: String) -> Bool {
        policy == "FallbackToLogsOnError" && exitCode != 0 && message.isEmpty
    }

    /// The last lines of the log at `logPath` ("" when it cannot be read).
    static func logTail(logPath: String) async -> String {
        var bytes: [UInt8] = []
        do {
            for try await chunk in CRILogReader(path: logPath).read(CRILogReadOptions(tailLines: maximumLines)) {
                bytes += chunk
            }
        } catch {
            return ""
        }
        return String(decoding: bytes.suffix(maximumBytes), as: UTF8.self)
    }
}
