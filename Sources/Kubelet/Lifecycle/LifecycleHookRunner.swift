import KubeCore
import Foundation
public import KubeAPI

/// Runs a container's postStart or preStop handler the way upstream's `lifecycle.handlerRunner` does:
///
/// - exec: the command (after `$(VAR)` expansion of literal env) through the `ContainerCommandExecutor`;
///   a non-zero exit fails the hook.
/// - httpGet: a GET like an HTTP probe's (`User-Agent: kube-lifecycle/1.32`, host defaulting to the pod
///   IP, HTTPS through the optional `ProbeTLSTransport`); only a transport error fails the hook, the status
///   code is not looked at (as upstream).
/// - sleep: waits `seconds` on the clock.
/// - tcpSocket is not a valid handler (upstream keeps the field for compatibility and rejects it).
///
/// `timeout` bounds the whole handler (for preStop pass the remaining grace period); when it elapses the
/// outcome is `.timedOut`. Upstream gives postStart no timeout; pass a generous one.
///
/// Stateless value; safe from any task.
public struct LifecycleHookRunner: Sendable {
    public static let defaultUserAgent = "kube-lifecycle/1.32"

    let executor: any ContainerCommandExecutor
    let clock: any ProbeClock
    let userAgent: String
    let httpClient: HTTPProbeClient

    /// `tlsTransport` enables HTTPS hooks (see `ProbeTLSTransport`); without one they fail.
    public init(
        executor: any ContainerCommandExecutor, clock: any ProbeClock = SystemProbeClock(),
        tlsTransport: (any ProbeTLSTransport)? = nil, userAgent: String = LifecycleHookRunner.defaultUserAgent
    ) {
        self.executor = executor
        self.clock = clock
        self.userAgent = userAgent
        self.httpClient = HTTPProbeClient(tlsTransport: tlsTransport)
    }

    /// Runs `handler` for the container instance `target` (its spec, ID and pod IP).
    public func run(_ handler: LifecycleHandler, target: ProbeTarget, timeout: Duration) async -> LifecycleHookOutcome {
        let containerAndPod = "for Container \(GoQuoting.quote(target.containerName)) in Pod \(GoQuoting.quote(target.podDescription))"
        if let exec = handler.exec {
            let command = ContainerCommandExpansion.expand(exec.command, env: target.container.env)
            let prefix = "Exec lifecycle hook (\(GoQuoting.list(exec.command))) \(containerAndPod) failed"
            do {
                let result = try await executor.exec(containerID: target.containerID, command: command, timeout: timeout)
                if result.exitCode == 0 { return .succeeded }
                let output = String(decoding: result.output.prefix(ProbeRunner.maximumOutputBytes), as: UTF8.self)
                let error = "command '\(command.joined(separator: " "))' exited with \(result.exitCode): "
                return .failed(message: "\(prefix) - error: \(error), message: \(GoQuoting.quote(output))")
            } catch ContainerCommandError.timedOut {
                return .timedOut
            } catch {
                return .failed(message: "\(prefix) - error: \(error), message: \"\"")
            }
        }
        if let httpGet = handler.httpGet {
            let prefix = "HTTP lifecycle hook (\(httpGet.path)) \(containerAndPod) failed"
            let port: Int
            switch ContainerPortResolver.resolve(httpGet.port, in: target.container) {
            case .success(let value): port = value
            case .failure(let error): return .failed(message: "\(prefix) - error: \(error.message)")
            }
            let host = httpGet.host.isEmpty ? target.podIP : httpGet.host
            guard !host.isEmpty else {
                return .failed(message: "\(prefix) - error: failed to find networking container: the pod has no IP")
            }
            let url = ProbeURL(scheme: httpGet.scheme, host: host, port: port, path: httpGet.path)
            let outcome = await httpClient.get(
                url, headers: httpGet.httpHeaders.map { (name: $0.name, value: $0.value) }, userAgent: userAgent,
                timeout: timeout)
            switch outcome {
            case .response: return .succeeded
            case .failed(_, timedOut: true): return .timedOut
            case .failed(let message, timedOut: false), .unsupported(let message):
                return .failed(message: "\(prefix) - error: \(message)")
            }
        }
        if let sleep = handler.sleep {
            let requested = Duration.seconds(max(0, sleep.seconds))
            let wait = min(requested, timeout).components
            let deadline = clock.now.addingTimeInterval(Double(wait.seconds) + Double(wait.attoseconds) / 1e18)
            do {
                try await clock.sleep(until: deadline)
            } catch {
                return .failed(message: "Sleep lifecycle hook (\(sleep.seconds)) \(containerAndPod) failed - error: container terminated before sleep hook finished")
            }
            return requested > timeout ? .timedOut : .succeeded
        }
        let what = handler.tcpSocket != nil ? "tcpSocket is not supported as a lifecycle handler" : "no action set"
        return .failed(message: "Cannot run handler: invalid handler: \(what)")
    }
}
