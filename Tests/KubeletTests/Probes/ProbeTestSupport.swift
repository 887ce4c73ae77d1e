import Foundation
import KubeAPI
import Synchronization
#if canImport(Glibc)
import Glibc
#endif
@testable import Kubelet

/// A `ContainerCommandExecutor` whose answers the test scripts per command (its first word), and which
/// records every call. Thread-safe (mutex).
final class ProbeTestExecutor: ContainerCommandExecutor {
    struct Call: Sendable, Equatable {
        var containerID: String
        var command: [String]
        var timeout: Duration
    }

    enum Answer: Sendable {
        case exit(Int32, String)
        case timeout
        case error(ContainerCommandError)
    }

    private struct State {
        var answers: [String: [Answer]] = [:]
        var calls: [Call] = []
    }

    private let state = Mutex(State())

    /// Scripts the answers for commands whose first word is `program`; the last answer repeats.
    func script(_ program: String, _ answers: Answer...) {
        state.withLock { $0.answers[program] = answers }
    }

    var calls: [Call] { state.withLock { $0.calls } }

    func exec(containerID: String, command: [String], timeout: Duration) async throws -> ContainerCommandResult {
        let answer = state.withLock { state -> Answer in
            state.calls.append(Call(containerID: containerID, command: command, timeout: timeout))
            let program = command.first ?? ""
            guard var answers = state.answers[program], let first = answers.first else {
                return .exit(127, "exec: \"\(program)\": executable file not found in $PATH")
            }
            if answers.count > 1 {
                answers.removeFirst()
                state.answers[program] = answers
            }
            return first
        }
        switch answer {
        case .exit(let code, let output): return ContainerCommandResult(exitCode: code, output: Array(output.utf8))
        case .timeout: throw ContainerCommandError.timedOut(command: command, timeout: timeout)
        case .error(let error): throw error
        }
    }
}

/// A `ProbeClock` that moves only when the test advances it. Thread-safe (mutex). `waitForSleeper()`
/// returns once some task sleeps on it, so a test knows the code under test has settled before it
/// advances time.
final class ManualProbeClock: ProbeClock {
    private struct Sleeper {
        var deadline: Date
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var sleepers: [Int: Sleeper] = [:]
        var nextID = 0
        var watchers: [Int: Watcher] = [:]
    }

    private struct Watcher {
        var deadline: Date?
        var continuation: CheckedContinuation<Bool, Never>
    }

    private let state: Mutex<State>

    init(now: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        state = Mutex(State(now: now))
    }

    var now: Date { state.withLock { $0.now } }

    func advance(bySeconds seconds: Double) {
        let due = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.now = state.now.addingTimeInterval(seconds)
            let now = state.now
            let ready = state.sleepers.filter { $0.value.deadline <= now }
            for id in ready.keys { state.sleepers.removeValue(forKey: id) }
            return ready.values.map(\.continuation)
        }
        for continuation in due { continuation.resume() }
    }

    /// Returns true once a task sleeps on the clock (until exactly `deadline`, when given); false if none
    /// does within `timeout` (a safety net, not a synchronisation device).
    @discardableResult
    func waitForSleeper(deadline: Date? = nil, timeout: Duration = .seconds(20)) async -> Bool {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let satisfied = state.withLock { state -> Bool in
                if state.sleepers.values.contains(where: { deadline == nil || $0.deadline == deadline }) { return true }
                state.watchers[id] = Watcher(deadline: deadline, continuation: continuation)
                return false
            }
            if satisfied {
                continuation.resume(returning: true)
                return
            }
            Task { [self] in
                try? await Task.sleep(for: timeout)
                let expired = state.withLock { $0.watchers.removeValue(forKey: id) }
                expired?.continuation.resume(returning: false)
            }
        }
    }

    /// Deadlines of the tasks sleeping now.
    var sleeperDeadlines: [Date] { state.withLock { $0.sleepers.values.map(\.deadline).sorted() } }

    func sleep(until deadline: Date) async throws {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Action { case resume, cancel, wait([CheckedContinuation<Bool, Never>]) }
                let action = state.withLock { state -> Action in
                    if Task.isCancelled { return .cancel }
                    if state.now >= deadline { return .resume }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    let matching = state.watchers.filter { $0.value.deadline == nil || $0.value.deadline == deadline }
                    for key in matching.keys { state.watchers.removeValue(forKey: key) }
                    return .wait(matching.values.map(\.continuation))
                }
                switch action {
                case .resume: continuation.resume()
                case .cancel: continuation.resume(throwing: CancellationError())
                case .wait(let watchers): for watcher in watchers { watcher.resume(returning: true) }
                }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }
}

/// Collects the elements of an async stream in a background task so a test can await them one by one
/// with a timeout (a safety net against hangs, not a synchronisation device). Thread-safe (mutex).
final class ProbeEventCollector<Element: Sendable>: Sendable {
    private struct State {
        var buffer: [Element] = []
        var finished = false
        var waiter: (id: Int, continuation: CheckedContinuation<Element?, Never>)?
        var nextWaiterID = 0
    }

    private let state = Mutex(State())

    init(_ stream: AsyncStream<Element>) {
        Task { [self] in
            for await element in stream {
                let waiter = state.withLock { state -> CheckedContinuation<Element?, Never>? in
                    if let waiter = state.waiter {
                        state.waiter = nil
                        return waiter.continuation
                    }
                    state.buffer.append(element)
                    return nil
                }
                waiter?.resume(returning: element)
            }
            let waiter = state.withLock { state -> CheckedContinuation<Element?, Never>? in
                state.finished = true
                defer { state.waiter = nil }
                return state.waiter?.continuation
            }
            waiter?.resume(returning: nil)
        }
    }

    /// The next element, or nil if none arrives within `timeout` or the stream finished.
    func next(timeout: Duration = .seconds(20)) async -> Element? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Element?, Never>) in
            let immediate = state.withLock { state -> (Bool, Element?, Int) in
                if !state.buffer.isEmpty { return (true, state.buffer.removeFirst(), 0) }
                if state.finished { return (true, nil, 0) }
                state.nextWaiterID += 1
                state.waiter = (state.nextWaiterID, continuation)
                return (false, nil, state.nextWaiterID)
            }
            if immediate.0 {
                continuation.resume(returning: immediate.1)
                return
            }
            let id = immediate.2
            Task { [self] in
                try? await Task.sleep(for: timeout)
                let expired = state.withLock { state -> CheckedContinuation<Element?, Never>? in
                    guard let waiter = state.waiter, waiter.id == id else { return nil }
                    state.waiter = nil
                    return waiter.continuation
                }
                expired?.resume(returning: nil)
            }
        }
    }

    /// Skips elements until one matches; nil on timeout.
    func next(timeout: Duration = .seconds(20), where predicate: (Element) -> Bool) async -> Element? {
        while let element = await next(timeout: timeout) {
            if predicate(element) { return element }
        }
        return nil
    }

    /// Elements that arrived and were not taken yet.
    var pending: [Element] { state.withLock { $0.buffer } }
}

/// A tiny HTTP/1.1 server on 127.0.0.1 for probe and hook tests: answers each request with what the test's
/// handler returns and records the requests. Runs on its own threads (blocking sockets); thread-safe.
final class ProbeTestHTTPServer: Sendable {
    struct ReceivedRequest: Sendable {
        var method: String
        var target: String
        var headers: [(name: String, value: String)]

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        func headerCount(_ name: String) -> Int {
            headers.filter { $0.name.lowercased() == name.lowercased() }.count
        }
    }

    enum Reply: Sendable {
        case respond(status: Int, headers: [(String, String)] = [], body: String = "")
        /// Keep the connection open without answering (until the server stops).
        case hang
        case raw(String)
    }

    let port: Int
    private let listener: Int32
    private let handler: @Sendable (ReceivedRequest) -> Reply
    private struct State {
        var requests: [ReceivedRequest] = []
        var stopped = false
        var heldConnections: [Int32] = []
    }
    private let state = Mutex(State())

    init(handler: @escaping @Sendable (ReceivedRequest) -> Reply) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        listener = fd
        port = ProbeTestSockets.localPort(of: fd)
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    var requests: [ReceivedRequest] { state.withLock { $0.requests } }

    func stop() {
        let held = state.withLock { state -> [Int32] in
            state.stopped = true
            defer { state.heldConnections = [] }
            return state.heldConnections
        }
        for fd in held { close(fd) }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private func acceptLoop() {
        defer { close(listener) }
        while !state.withLock({ $0.stopped }) {
            var entry = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 50) > 0 else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            let thread = Thread { [self] in serve(connection) }
            thread.start()
        }
    }

    private func serve(_ connection: Int32) {
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !buffer.containsHeadEnd {
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else {
                close(connection)
                return
            }
            buffer.append(contentsOf: chunk[..<count])
        }
        let text = String(decoding: buffer, as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        let request = ReceivedRequest(
            method: requestLine.count > 0 ? String(requestLine[0]) : "",
            target: requestLine.count > 1 ? String(requestLine[1]) : "", headers: headers)
        state.withLock { $0.requests.append(request) }
        let response: String
        switch handler(request) {
        case .hang:
            let keep = state.withLock { state -> Bool in
                if state.stopped { return false }
                state.heldConnections.append(connection)
                return true
            }
            if !keep { close(connection) }
            return
        case .raw(let text):
            response = text
        case .respond(let status, let extraHeaders, let body):
            var head = "HTTP/1.1 \(status) Status\(status)\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n"
            for (name, value) in extraHeaders { head += "\(name): \(value)\r\n" }
            response = head + "\r\n" + body
        }
        let bytes = Array(response.utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { break }
            offset += sent
        }
        close(connection)
    }
}

extension [UInt8] {
    fileprivate var containsHeadEnd: Bool {
        guard count >= 4 else { return false }
        for index in 0...(count - 4)
        where self[index] == 13 && self[index + 1] == 10 && self[index + 2] == 13 && self[index + 3] == 10 {
            return true
        }
        return false
    }
}

/// Loopback socket helpers for tests.
enum ProbeTestSockets {
    static func localPort(of fd: Int32) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A loopback port nothing listens on: bound (so no one else gets it while the test runs) but not
    /// listening, so connections are refused. Close the returned descriptor when done.
    static func closedPort() -> (port: Int, descriptor: Int32) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return (localPort(of: fd), fd)
    }

    /// A loopback listener whose accept queue is full, so a further connection attempt hangs until its
    /// timeout (Linux drops SYNs for a full queue). Close the returned descriptors when done.
    static func saturatedListener() -> (port: Int, descriptors: [Int32]) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        listen(fd, 0)
        let port = localPort(of: fd)
        var descriptors = [fd]
        var target = address
        target.sin_port = in_port_t(UInt16(port).bigEndian)
        for _ in 0..<3 {
            let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            _ = withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            descriptors.append(client)
        }
        return (port, descriptors)
    }
}

/// Builders for probe tests.
enum ProbeFixtures {
    /// The probe timeout of exchanges that are expected to finish: a safety net only, long enough that a test
    /// run starving this process for a while (hundreds of tests start at once on two cores) cannot trip it.
    static let patience: Duration = .seconds(300)

    static func container(name: String = "web", ports: [ContainerPort] = [], env: [EnvVar] = [],
                          liveness: Probe? = nil, readiness: Probe? = nil, startup: Probe? = nil) -> Container {
        var container = Container(name: name)
        container.ports = ports
        container.env = env
        container.livenessProbe = liveness
        container.readinessProbe = readiness
        container.startupProbe = startup
        return container
    }

    static func target(_ container: Container, containerID: String = "c1", startedAt: Date,
                       podIP: String = "127.0.0.1") -> ProbeTarget {
        ProbeTarget(podUID: "uid-1", podName: "web-0", podNamespace: "default", container: container,
                    containerID: containerID, startedAt: startedAt, podIP: podIP)
    }

    static func execProbe(_ command: String..., period: Int32 = 10, failureThreshold: Int32 = 3,
                          successThreshold: Int32 = 1, initialDelay: Int32 = 0, grace: Int64? = nil) -> Probe {
        Probe(exec: ExecAction(command: command), initialDelaySeconds: initialDelay, timeoutSeconds: 1,
              periodSeconds: period, successThreshold: successThreshold, failureThreshold: failureThreshold,
              terminationGracePeriodSeconds: grace)
    }
}

/// A `ProbeTLSTransport` stand-in that speaks plain TCP to the loopback test server (so the HTTPS code path
/// can be tested without TLS), or fails as scripted. Records its calls; thread-safe (mutex).
final class PlainTextTLSTransport: ProbeTLSTransport {
    struct Call: Sendable, Equatable {
        var host: String
        var port: Int
        var serverName: String
    }

    private let failure: ProbeTLSTransportError?
    private let calls = Mutex<[Call]>([])

    init(failure: ProbeTLSTransportError? = nil) {
        self.failure = failure
    }

    var recordedCalls: [Call] { calls.withLock { $0 } }

    func exchange(
        host: String, port: Int, serverName: String, request: [UInt8], maximumBytes: Int, timeout: Duration
    ) async throws(ProbeTLSTransportError) -> [UInt8] {
        calls.withLock { $0.append(Call(host: host, port: port, serverName: serverName)) }
        if let failure { throw failure }
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
                defer { close(fd) }
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_addr.s_addr = inet_addr(host)
                address.sin_port = in_port_t(UInt16(port).bigEndian)
                let connected = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
                guard connected == 0 else {
                    continuation.resume(returning: [])
                    return
                }
                _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                var received: [UInt8] = []
                var chunk = [UInt8](repeating: 0, count: 4096)
                while received.count < maximumBytes {
                    let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                    if count <= 0 { break }
                    received.append(contentsOf: chunk[..<count])
                }
                continuation.resume(returning: received)
            }
        }
    }
}
