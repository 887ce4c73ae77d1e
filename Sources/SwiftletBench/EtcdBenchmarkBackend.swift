import KubeStorage

/// The etcd side: a running `EtcdProcess` driven through its JSON gateway, one keep-alive connection and
/// one dedicated thread per session.
///
/// Concurrency contract: Sendable; every method is called from the benchmark's driving task. Each
/// session's blocking I/O runs on that session's own thread, never on the cooperative pool.
struct EtcdBenchmarkBackend: BenchmarkBackend {
    let name = "etcd"
    let etcd: EtcdProcess
    /// Runs the untimed setup and the `/metrics` reads.
    let control: EtcdSession

    init(etcd: EtcdProcess) async throws {
        self.etcd = etcd
        control = try await EtcdSession(port: etcd.clientPort, name: "etcd-control")
    }

    func makeSession() async throws -> any BenchmarkSession {
        try await EtcdSession(port: etcd.clientPort, name: "etcd-session")
    }

    /// etcd's WAL fsync counter (`etcd_disk_wal_fsync_duration_seconds_count` on `/metrics`).
    func commitCount() async -> Int? {
        let value = try? await control.onThread { client in
            client.metric("etcd_disk_wal_fsync_duration_seconds_count")
        }
        return value.flatMap { $0 }.map { Int($0) }
    }

    func load(prefix: String, count: Int, value: [UInt8]) async throws {
        let batch = 100  // below etcd's default --max-txn-ops of 128
        var sessions: [EtcdSession] = []
        do {
            for _ in 0..<4 { sessions.append(try await EtcdSession(port: etcd.clientPort, name: "etcd-loader")) }
            try await load(prefix: prefix, count: count, value: value, batch: batch, loaders: sessions)
        } catch {
            for session in sessions { await session.close() }
            throw error
        }
        for session in sessions { await session.close() }
    }

    private func load(prefix: String, count: Int, value: [UInt8], batch: Int, loaders: [EtcdSession]) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (loader, session) in loaders.enumerated() {
                group.addTask {
                    for start in stride(from: loader * batch, to: count, by: batch * loaders.count) {
                        let pairs = (start..<min(count, start + batch)).map {
                            (key: BenchmarkKeys.numbered(prefix, $0), value: value)
                        }
                        try await session.onThread { client in try client.putAll(pairs) }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    func close() async { await control.close() }
}

/// One gateway connection owned by one dedicated thread; async calls hop onto that thread.
///
/// Concurrency contract: Sendable; `client` is only touched by jobs running on `thread`, which runs them
/// one at a time. Callers use one session from one task at a time.
final class EtcdSession: BenchmarkSession, @unchecked Sendable {
    // SAFETY: `client` is created on `thread` and used only inside `onThread` jobs, which run serially there.
    private var client: EtcdGatewayClient?
    private let thread: DedicatedThread

    init(port: UInt16, name: String) async throws {
        thread = DedicatedThread(name: name)
        do {
            try await thread.run { [self] in self.client = try EtcdGatewayClient(port: port) }
        } catch {
            thread.stop()
            throw error
        }
    }

    /// Runs `job` with the client on the session's thread.
    func onThread<Result: Sendable>(_ job: @escaping @Sendable (EtcdGatewayClient) throws -> Result) async throws
        -> Result
    {
        try await thread.run { [self] in
            guard let client = self.client else { throw StoreBenchmarkError.etcd("session is closed") }
            return try job(client)
        }
    }

    func create(_ key: String, value: [UInt8]) async throws -> BenchmarkWrite {
        try await onThread { try $0.create(key, value: value) }
    }

    func update(_ key: String, value: [UInt8], expected: Revision) async throws -> BenchmarkWrite {
        try await onThread { try $0.update(key, value: value, expected: expected) }
    }

    func get(_ key: String) async throws -> Int? {
        try await onThread { try $0.get(key) }
    }

    func list(prefix: String) async throws -> Int {
        try await onThread { try $0.list(prefix: prefix) }
    }

    func close() async {
        _ = try? await thread.run { [self] in
            self.client?.close()
            self.client = nil
        }
        thread.stop()
    }
}
