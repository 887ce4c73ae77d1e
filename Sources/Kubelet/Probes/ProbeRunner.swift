public import KubeAPI

/// Runs one probe attempt against a container and reports it with upstream's texts:
///
/// - exec: through the `ContainerCommandExecutor`; exit 0 is success, any other exit a failure whose
///   message is the output (at most 10 KiB); a timeout is a failure `command "…" timed out`.
/// - httpGet: `GET scheme://host:port/path` (host defaults to the pod IP, a port may name a container
///   port), `User-Agent: kube-probe/1.32` unless the probe sets it, same-host redirects followed; 200–299
///   is success, 300–399 a warning (`Probe terminated redirects, …`), anything else a failure
///   (`HTTP probe failed with statuscode: 500`), a transport error a failure with Go's text
///   (`Get "http://10.244.0.5:8080/healthz": dial tcp 10.244.0.5:8080: connect: connection refused`).
///   HTTPS needs a `ProbeTLSTransport` (certificates are not verified, as upstream); without one it
///   yields `unknown`.
/// - tcpSocket: a connection opened within the timeout is success (`dial tcp …: i/o timeout` otherwise).
/// - grpc: `grpc.health.v1.Health/Check` over cleartext HTTP/2 to the pod IP; `SERVING` is success
///   (`service unhealthy (responded with "NOT_SERVING")` otherwise).
///
/// Stateless value; safe from any task. Network IO runs on a private Dispatch queue.
public struct ProbeRunner: Sendable {
    /// Upstream's `kube-probe/<major>.<minor>` for the Kubernetes version Swiftlet reports (1.32).
    public static let defaultUserAgent = "kube-probe/1.32"
    /// Upstream keeps at most this much of an exec probe's output (`maxReadLength`).
    public static let maximumOutputBytes = 10 * 1024

    let executor: any ContainerCommandExecutor
    let userAgent: String
    let httpClient: HTTPProbeClient

    /// `tlsTransport` enables HTTPS probes (see `ProbeTLSTransport`); without it they report `unknown`.
    public init(
        executor: any ContainerCommandExecutor, tlsTransport: (any ProbeTLSTransport)? = nil,
        userAgent: String = ProbeRunner.defaultUserAgent
    ) {
        self.executor = executor
        self.userAgent = userAgent
        self.httpClient = HTTPProbeClient(tlsTransport: tlsTransport)
    }

    /// Runs `probe` once against `target`, by default with the probe's own `timeoutSeconds`.
    public func run(_ probe: Probe, target: ProbeTarget, timeout: Duration? = nil) async -> ProbeResult {
        let timeout = timeout ?? ProbeSettings(probe, kind: .readiness).timeout
        if let exec = probe.exec {
            return await runExec(exec, container: target.container, containerID: target.containerID, timeout: timeout)
        }
        if let httpGet = probe.httpGet {
            return await runHTTPGet(httpGet, container: target.container, podIP: target.podIP, timeout: timeout)
        }
        if let tcpSocket = probe.tcpSocket {
            return await runTCPSocket(tcpSocket, container: target.container, podIP: target.podIP, timeout: timeout)
        }
        if let grpc = probe.grpc {
            return await runGRPC(grpc, podIP: target.podIP, timeout: timeout)
        }
        return .unknown("missing probe handler for \(target.podDescription):\(target.containerName)")
    }

    public func runExec(_ action: ExecAction, container: Container, containerID: String, timeout: Duration)
        async -> ProbeResult
    {
        let command = ContainerCommandExpansion.expand(action.command, env: container.env)
        do {
            let result = try await executor.exec(containerID: containerID, command: command, timeout: timeout)
            let output = String(decoding: result.output.prefix(Self.maximumOutputBytes), as: UTF8.self)
            return result.exitCode == 0 ? .success(output: output) : .failure(output)
        } catch let error as ContainerCommandError {
            if case .timedOut = error { return .failure(error.description) }
            return .unknown(error.description)
        } catch {
            return .unknown("\(error)")
        }
    }

    public func runHTTPGet(_ action: HTTPGetAction, container: Container, podIP: String, timeout: Duration)
        async -> ProbeResult
    {
        let port: Int
        switch ContainerPortResolver.resolve(action.port, in: container) {
        case .success(let value): port = value
        case .failure(let error): return .unknown(error.message)
        }
        let url = ProbeURL(scheme: action.scheme, host: action.host.isEmpty ? podIP : action.host, port: port,
                           path: action.path)
        let outcome = await httpClient.get(
            url, headers: action.httpHeaders.map { (name: $0.name, value: $0.value) }, userAgent: userAgent,
            timeout: timeout)
        switch outcome {
        case .response(let statusCode, _, let body, _):
            let text = String(decoding: body, as: UTF8.self)
            if (200..<300).contains(statusCode) { return .success(output: text) }
            if (300..<400).contains(statusCode) { return .warning("Probe terminated redirects, Response body: \(text)") }
            return .failure("HTTP probe failed with statuscode: \(statusCode)")
        case .failed(let message, _):
            return .failure(message)
        case .unsupported(let message):
            return .unknown(message)
        }
    }

    /// The gRPC health check against the pod IP (cleartext HTTP/2, as upstream: no TLS).
    public func runGRPC(_ action: GRPCAction, podIP: String, timeout: Duration) async -> ProbeResult {
        let port = Int(action.port)
        guard port > 0 && port < 65536 else { return .unknown("invalid port number: \(port)") }
        let service = action.service ?? ""
        let deadline = ProbeDeadline.after(timeout)
        let userAgent = self.userAgent
        return await ProbeIO.run {
            GRPCHealthCheck.check(host: podIP, port: port, service: service, userAgent: userAgent, timeout: timeout,
                                  deadline: deadline)
        }
    }

    public func runTCPSocket(_ action: TCPSocketAction, container: Container, podIP: String, timeout: Duration)
        async -> ProbeResult
    {
        let port: Int
        switch ContainerPortResolver.resolve(action.port, in: container) {
        case .success(let value): port = value
        case .failure(let error): return .unknown(error.message)
        }
        let host = action.host.isEmpty ? podIP : action.host
        let deadline = ProbeDeadline.after(timeout)
        return await ProbeIO.run {
            do {
                let socket = try ProbeSocket.connect(host: host, port: port, deadline: deadline)
                socket.close()
                return .success(output: "")
            } catch {
                return .failure("\(error)")
            }
        }
    }
}
