import ArgumentParser
import Logging

/// `--log-level`, shared by every command that logs, and the one place that bootstraps swift-log.
///
/// Logs go to standard error (`StreamLogHandler.standardError`) so standard output stays for command output.
struct LoggingOptions: ParsableArguments {
    @Option(help: "Lowest level that is logged.")
    var logLevel: LogLevel = .info

    /// Bootstraps the logging system with the chosen level and returns a logger labelled `label`.
    ///
    /// Call once per process, at the start of a command's `run()` (swift-log allows one bootstrap).
    func bootstrap(label: String) -> Logger {
        let level = logLevel.level
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: label)
    }
}

/// The values of `--log-level` (swift-log's levels; a local type so no retroactive conformance is needed).
enum LogLevel: String, CaseIterable, ExpressibleByArgument {
    case trace, debug, info, notice, warning, error, critical

    var level: Logger.Level {
        switch self {
        case .trace: .trace
        case .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        case .critical: .critical
        }
    }
}

/// Metadata keys of the binary's log lines, defined once (lowerCamelCase).
enum LogKey {
    static let path = "path"
    static let dataDirectory = "dataDirectory"
    static let revision = "revision"
    static let signal = "signal"
    static let components = "components"
    static let version = "version"
    static let pid = "pid"
    static let kubeconfig = "kubeconfig"
    static let port = "port"
    static let writeKey = "writeKey"
    static let keys = "keys"
    static let created = "created"
    static let users = "users"
    static let problem = "problem"
}
