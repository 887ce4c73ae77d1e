/// The outcome of one probe attempt, with upstream's texts.
///
/// - `success`: the check passed; `output` is what it printed (exec) or the response body (httpGet).
/// - `warning`: passed with a remark (upstream `probe.Warning`, e.g. `Probe terminated redirects, …`);
///   counts as a success and yields a `ProbeWarning` event.
/// - `failure`: the check ran and failed (`HTTP probe failed with statuscode: 500`, a refused connection,
///   a non-zero exit, `command "…" timed out`).
/// - `unknown`: the check could not run (an unresolvable named port, an unsupported scheme); upstream
///   records a `… probe errored …` event and ignores the attempt.
public enum ProbeResult: Sendable, Equatable {
    case success(output: String)
    case warning(String)
    case failure(String)
    case unknown(String)

    public var isSuccess: Bool {
        switch self {
        case .success, .warning: return true
        case .failure, .unknown: return false
        }
    }
}
