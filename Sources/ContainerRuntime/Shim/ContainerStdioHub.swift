#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import Foundation
import HostSystem
import Logging
import Synchronization

/// The shim's side of attach (protocol: `AttachFrame`): accepts clients on `attach.sock`, copies the
/// container's output to every attached client (after the log, never waiting for a client), feeds client
/// input into the container's stdin pipe or terminal, resizes the terminal, and applies
/// `AttachStdinPolicy` (`stdinOnce`).
///
/// Thread-safe (Sendable): the client table is behind a mutex; stdin writes are serialised by their own
/// mutex (they may block while the container does not read, which holds up only that client's reader); each
/// client has a reader thread, and the accept loop runs on its own thread.
final class ContainerStdioHub: Sendable {
    private struct State {
        var clients: [ObjectIdentifier: AttachClientConnection] = [:]
        var outputEnded = false
    }

    let stdio: ContainerStdio
    private let state = Mutex(State())
    /// The container's stdin pipe (write end) or terminal master; -1 without stdin, and once closed.
    private let input: Mutex<Int32>
    private let inputOpen: Atomic<Bool>
    /// The terminal master with a tty, else -1 (not owned: the shim closes it).
    private let terminal: Int32
    private let connections = DispatchGroup()
    private let listener = Mutex<Int32>(-1)
    private let logger: Logger

    /// `input`: the stdin pipe's write end (owned from now on) or the terminal master, -1 for none.
    init(stdio: ContainerStdio, input: Int32, terminal: Int32, logger: Logger) {
        self.stdio = stdio
        self.input = Mutex(input)
        self.inputOpen = Atomic(input >= 0)
        self.terminal = terminal
        self.logger = logger
    }

    var containerStdinOpen: Bool { inputOpen.load(ordering: .acquiring) }

    // MARK: Accepting

    /// Listens at `path` and serves clients on a background thread until `stopListening()`.
    func startListening(at path: String) throws(ContainerRuntimeError) {
        let fd = try AttachSocket.listen(path: path)
        listener.withLock { $0 = fd }
        let thread = Thread { [self] in
            Thread.current.name = "attach-accept"  // from inside: Linux ignores a name set before start()
            while true {
                let connection = accept(fd, nil, nil)
                if connection < 0 {
                    if errno == EINTR || errno == ECONNABORTED { continue }
                    break  // shut down by stopListening
                }
                _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
                serve(AttachClientConnection(fd: connection))
            }
            close(fd)
        }
        thread.start()
    }

    /// Stops accepting clients and removes the socket file.
    func stopListening(path: String) {
        let fd = listener.withLock { fd in
            defer { fd = -1 }
            return fd
        }
        if fd >= 0 { _ = shutdown(fd, Int32(SHUT_RDWR)) }
        unlink(path)
    }

    // MARK: Output

    /// Sends output to every attached client; clients too far behind are dropped.
    func publish(_ bytes: ArraySlice<UInt8>, from stream: CRILogRecord.Stream) {
        guard !bytes.isEmpty else { return }
        let dropped: [AttachClientConnection] = state.withLock { state in
            // Encoded under the lock, so a client registered meanwhile gets every chunk after its welcome.
            guard !state.clients.isEmpty else { return [] }
            let frames = AttachFrame.encodedData(bytes) { stream == .stderr ? .stderr($0) : .stdout($0) }
            var dropped: [AttachClientConnection] = []
            for (key, client) in state.clients where !client.enqueue(frames) {
                state.clients[key] = nil
                dropped.append(client)
            }
            return dropped
        }
        for client in dropped {
            logger.warning("attach client fell too far behind the container's output; detaching it")
            client.abort()
        }
    }

    /// The container's output ended: every client gets what is queued, then end of file.
    func outputEnded() {
        let clients: [AttachClientConnection] = state.withLock { state in
            state.outputEnded = true
            defer { state.clients.removeAll() }
            return Array(state.clients.values)
        }
        for client in clients { client.finishSending() }
    }

    /// Waits (blocking, up to `timeout`) for the clients to close their connections.
    func waitForClients(timeout: DispatchTimeInterval) -> Bool {
        connections.wait(timeout: .now() + timeout) == .success
    }

    /// Closes the stdin pipe if still open (the shim is exiting).
    func closeInput() {
        if terminal < 0 { closeContainerStdin() }
    }

    // MARK: Clients

    private func serve(_ client: AttachClientConnection) {
        connections.enter()
        let thread = Thread { [self] in
            Thread.current.name = "attach-client"  // from inside: Linux ignores a name set before start()
            readFrames(from: client)
            state.withLock { _ = $0.clients.removeValue(forKey: ObjectIdentifier(client)) }
            let decision = AttachStdinPolicy.clientLeft(
                stdio: stdio, clientSendsStdin: client.sendsStdin, clientStdinEnded: client.stdinEnded,
                containerStdinOpen: containerStdinOpen)
            if decision.closeContainerStdin { closeContainerStdin() }
            client.abort()
            connections.leave()
        }
        thread.start()
    }

    /// Reads the client's frames until it closes the connection or breaks the protocol.
    private func readFrames(from client: AttachClientConnection) {
        var decoder = AttachFrameDecoder()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var opened = false
        while true {
            let count = buffer.withUnsafeMutableBytes { read(client.fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            decoder.push(buffer[0..<count])
            do {
                while let frame = try decoder.next() {
                    guard handle(frame, from: client, opened: &opened) else { return }
                }
            } catch {
                logger.warning("attach client broke the protocol; detaching it", metadata: ["error": "\(error)"])
                return
            }
        }
    }

    /// Applies one client frame; false ends the connection.
    private func handle(_ frame: AttachFrame, from client: AttachClientConnection, opened: inout Bool) -> Bool {
        guard opened else {
            guard case .open(let stdin) = frame else {
                logger.warning("attach client did not open its session first; detaching it")
                return false
            }
            opened = true
            client.sendsStdin = stdin
            register(client)
            return true
        }
        switch frame {
        case .stdin(let bytes):
            if client.sendsStdin, !client.stdinEnded { writeInput(bytes) }
        case .closeStdin:
            guard !client.stdinEnded else { return true }
            let decision = AttachStdinPolicy.clientStdinEnded(
                stdio: stdio, clientSendsStdin: client.sendsStdin, containerStdinOpen: containerStdinOpen)
            client.stdinEnded = true
            if decision.closeContainerStdin { closeContainerStdin() }
            if decision.endSession {
                state.withLock { _ = $0.clients.removeValue(forKey: ObjectIdentifier(client)) }
                client.finishSending()
            }
        case .resize(let columns, let rows):
            if terminal >= 0 { try? TerminalWindowSize.set(terminal, columns: columns, rows: rows) }
        case .open, .welcome, .stdout, .stderr:
            logger.warning("attach client sent an unexpected frame; detaching it")
            return false
        }
        return true
    }

    private func register(_ client: AttachClientConnection) {
        let welcome = AttachFrame.welcome(stdinOpen: stdio.stdin && containerStdinOpen, tty: stdio.tty).encoded
        state.withLock { state in
            _ = client.enqueue(welcome)
            if state.outputEnded {
                client.finishSending()
            } else {
                state.clients[ObjectIdentifier(client)] = client
            }
        }
    }

    private func writeInput(_ bytes: [UInt8]) {
        guard !bytes.isEmpty, containerStdinOpen else { return }
        input.withLock { fd in
            if fd >= 0 { HostPipe.writeAll(fd, bytes) }
        }
    }

    /// End of file for the container's stdin: closes the pipe, or types ^D on the terminal.
    private func closeContainerStdin() {
        guard inputOpen.exchange(false, ordering: .acquiringAndReleasing) else { return }
        input.withLock { fd in
            guard fd >= 0 else { return }
            if terminal >= 0 {
                HostPipe.writeAll(fd, [4])
            } else {
                close(fd)
            }
            fd = -1
        }
    }
}
