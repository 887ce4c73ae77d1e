#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import Synchronization

/// Waits for the exit of processes this process may reap: its own children and, when it is a child
/// subreaper (`Subreaper.enable()`), orphaned descendants such as container init processes started by
/// `runc create`.
///
/// Only processes someone waits for are reaped (`waitpid(pid)`, never `waitpid(-1)`), so the monitor
/// coexists with other code in the process that spawns and waits for its own children. A process that
/// exits before anyone waits stays a zombie until `exit(of:)` is called, so nothing is lost.
///
/// Thread-safe: a mutex guards the waiters; SIGCHLD arrives on a private dispatch queue.
public final class ChildExitMonitor: Sendable {
    public static let shared = ChildExitMonitor()

    private let waiters = Mutex<[pid_t: [CheckedContinuation<ExitStatus, Never>]]>([:])
    private let signalSource: Mutex<DispatchSources?> = Mutex(nil)
    private let queue = DispatchQueue(label: "swiftlet.child-exit-monitor")

    private init() {}

    /// Suspends until `pid` has exited and returns how. `pid` must be a child of this process or an
    /// orphan reparented to it.
    public func exit(of pid: Int32) async -> ExitStatus {
        installSignalSourceIfNeeded()
        return await withCheckedContinuation { continuation in
            waiters.withLock { $0[pid, default: []].append(continuation) }
            queue.async { self.reapWaitedProcesses() }
        }
    }

    /// Whether `pid` still exists (a zombie counts as gone for callers that already waited).
    public static func isAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    private func installSignalSourceIfNeeded() {
        signalSource.withLock { sources in
            guard sources == nil else { return }
            let signal = DispatchSource.makeSignalSource(signal: SIGCHLD, queue: queue)
            signal.setEventHandler { [weak self] in self?.reapWaitedProcesses() }
            signal.resume()
            // A slow poll covers reparented orphans, whose exit may signal before they were reparented.
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now() + .milliseconds(250), repeating: .milliseconds(250))
            timer.setEventHandler { [weak self] in self?.reapWaitedProcesses() }
            timer.resume()
            sources = DispatchSources(signal: signal, timer: timer)
        }
    }

    private func reapWaitedProcesses() {
        let pids = waiters.withLock { Array($0.keys) }
        for pid in pids {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            let exit: ExitStatus
            if result == pid {
                exit = ExitStatus(waitStatus: status)
            } else if result == -1 && errno == ECHILD {
                // Not our child (or already reaped elsewhere): report it gone once it no longer exists.
                guard !Self.isAlive(pid) else { continue }
                exit = .exited(-1)
            } else {
                continue
            }
            let resumed = waiters.withLock { $0.removeValue(forKey: pid) } ?? []
            for continuation in resumed { continuation.resume(returning: exit) }
        }
    }
}

/// The SIGCHLD source and poll timer, kept alive for the life of the process. Only touched under the
/// monitor's mutex.
private final class DispatchSources: @unchecked Sendable {
    let signal: any DispatchSourceSignal
    let timer: any DispatchSourceTimer

    init(signal: any DispatchSourceSignal, timer: any DispatchSourceTimer) {
        self.signal = signal
        self.timer = timer
    }
}
