#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads a container's CRI log (rotated files `path.N` … `path.1`, then `path`) and returns the messages
/// as `kubectl logs` prints them, optionally following the current file across rotations until the
/// container has exited.
///
/// A value type; Sendable. Each `read` runs in its own task, which ends when the stream's consumer stops.
public struct CRILogReader: Sendable {
    public let path: String
    /// How often a follower looks for new lines.
    public var pollInterval: Duration

    public init(path: String, pollInterval: Duration = .milliseconds(100)) {
        self.path = path
        self.pollInterval = pollInterval
    }

    /// The log's message bytes. With `follow`, `isFinished` is asked whenever the file has no new data;
    /// once it returns true the rest of the file is returned and the stream ends.
    public func read(
        _ options: CRILogReadOptions, isFinished: @escaping @Sendable () async -> Bool = { true }
    ) -> AsyncThrowingStream<[UInt8], any Error> {
        let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let reader = self
        let task = Task {
            do {
                try await reader.run(options, isFinished: isFinished) { continuation.yield($0) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// The rotated files that exist, oldest first.
    func rotatedFiles() -> [String] {
        var files: [String] = []
        var index = 1
        while access("\(path).\(index)", F_OK) == 0 {
            files.append("\(path).\(index)")
            index += 1
        }
        return files.reversed()
    }

    private func run(
        _ options: CRILogReadOptions, isFinished: @Sendable () async -> Bool, emit: ([UInt8]) -> Void
    ) async throws {
        var formatter = CRILogOutputFormatter(options: options)
        var tail = options.tailLines.map { TailBuffer(limit: max(0, $0)) }
        var output: [UInt8] = []
        func deliver(_ record: CRILogRecord) {
            if tail != nil {
                if formatter.includes(record) { tail!.append(record) }
            } else {
                formatter.format(record, into: &output)
                if output.count >= 64 * 1024 {
                    emit(output)
                    output.removeAll(keepingCapacity: true)
                }
            }
        }

        for file in rotatedFiles() {
            var lines = LineBuffer()
            let fd = open(file, O_RDONLY | O_CLOEXEC)
            if fd >= 0 {
                defer { close(fd) }
                while let chunk = Self.readChunk(fd) {
                    for record in lines.feed(chunk) { deliver(record) }
                }
                if let record = lines.finish() { deliver(record) }
            }
            try Task.checkCancellation()
        }

        var current = FollowedFile(path: path)
        for record in current.readAvailable() { deliver(record) }
        if !options.follow, let record = current.lines.finish() { deliver(record) }
        if let buffered = tail {
            for record in buffered.records { formatter.format(record, into: &output) }
            tail = nil
        }
        if !output.isEmpty { emit(output) }
        output.removeAll()
        guard options.follow else { return }

        while !formatter.isExhausted {
            try Task.checkCancellation()
            var records = current.readAvailable()
            if records.isEmpty, current.wasRotated() {
                records = current.readAvailable()
                current = FollowedFile(path: path)
                records += current.readAvailable()
            }
            if records.isEmpty {
                if await isFinished() {
                    records = current.readAvailable()
                    if let last = current.lines.finish() { records.append(last) }
                    for record in records { formatter.format(record, into: &output) }
                    if !output.isEmpty { emit(output) }
                    return
                }
                try await Task.sleep(for: pollInterval)
                continue
            }
            for record in records { formatter.format(record, into: &output) }
            if !output.isEmpty { emit(output) }
            output.removeAll(keepingCapacity: true)
        }
    }

    static func readChunk(_ fd: Int32) -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { readBytes(fd, $0.baseAddress, $0.count) }
            if count > 0 { return Array(chunk[0..<count]) }
            if count < 0 && errno == EINTR { continue }
            return nil
        }
    }
}

private func readBytes(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

/// Splits file bytes into CRI records; keeps an unterminated last line for the next chunk.
private struct LineBuffer {
    private var pending: [UInt8] = []

    mutating func feed(_ bytes: [UInt8]) -> [CRILogRecord] {
        pending.append(contentsOf: bytes)
        var records: [CRILogRecord] = []
        var start = pending.startIndex
        while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
            if let record = CRILogRecord(line: pending[start..<newline]) { records.append(record) }
            start = newline + 1
        }
        pending.removeSubrange(pending.startIndex..<start)
        return records
    }

    mutating func finish() -> CRILogRecord? {
        defer { pending.removeAll() }
        return pending.isEmpty ? nil : CRILogRecord(line: pending[...])
    }
}

/// The current log file, kept open so that a rotation (rename) does not lose the lines after our offset.
private struct FollowedFile {
    let path: String
    let fd: Int32
    var lines = LineBuffer()
    private let owner: FileDescriptorOwner

    init(path: String) {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        owner = FileDescriptorOwner(fd: fd)
    }

    mutating func readAvailable() -> [CRILogRecord] {
        guard fd >= 0 else { return [] }
        var records: [CRILogRecord] = []
        while let chunk = CRILogReader.readChunk(fd) {
            records += lines.feed(chunk)
        }
        return records
    }

    /// Whether `path` now names another file than the one we read (or did not exist when we opened it).
    func wasRotated() -> Bool {
        var pathStatus = stat()
        guard stat(path, &pathStatus) == 0 else { return false }
        guard fd >= 0 else { return true }
        var openStatus = stat()
        fstat(fd, &openStatus)
        return pathStatus.st_ino != openStatus.st_ino || pathStatus.st_dev != openStatus.st_dev
    }
}

/// Closes a descriptor when the last copy of its owning value goes away.
private final class FileDescriptorOwner {
    let fd: Int32

    init(fd: Int32) {
        self.fd = fd
    }

    deinit {
        if fd >= 0 { close(fd) }
    }
}

/// The last `limit` lines (a line is its partial records plus the full record that ends it).
private struct TailBuffer {
    let limit: Int
    private var lines: [[CRILogRecord]] = []
    private var head = 0
    private var current: [CRILogRecord] = []

    init(limit: Int) {
        self.limit = limit
    }

    mutating func append(_ record: CRILogRecord) {
        current.append(record)
        guard !record.isPartial else { return }
        lines.append(current)
        current = []
        if lines.count - head > limit { head += 1 }
        if head > 1024 && head > lines.count / 2 {
            lines.removeFirst(head)
            head = 0
        }
    }

    var records: [CRILogRecord] {
        var kept = Array(lines[head...])
        if !current.isEmpty { kept.append(current) }
        return kept.suffix(limit).flatMap { $0 }
    }
}
