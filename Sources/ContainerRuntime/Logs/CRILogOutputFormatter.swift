/// Turns CRI log records into the bytes `kubectl logs` prints: the `since` filter, the optional timestamp
/// prefix at the start of each line (partial records continue the line without a new prefix) and the byte
/// limit.
///
/// A pure value type (records in, bytes out); Sendable.
struct CRILogOutputFormatter: Sendable {
    let options: CRILogReadOptions
    private var atLineStart = true
    private var remaining: Int?

    init(options: CRILogReadOptions) {
        self.options = options
        remaining = options.limitBytes
    }

    /// Whether the byte limit has been reached; nothing more will be emitted.
    var isExhausted: Bool { remaining.map { $0 <= 0 } ?? false }

    /// Whether `record` passes the `since` filter.
    func includes(_ record: CRILogRecord) -> Bool {
        guard let since = options.since else { return true }
        return record.timestamp >= since
    }

    /// Appends the output for `record` to `output`.
    mutating func format(_ record: CRILogRecord, into output: inout [UInt8]) {
        guard includes(record), !isExhausted else { return }
        var bytes: [UInt8] = []
        if options.timestamps && atLineStart {
            bytes = record.timestamp.formatted()
            bytes.append(UInt8(ascii: " "))
        }
        bytes.append(contentsOf: record.message)
        if !record.isPartial { bytes.append(UInt8(ascii: "\n")) }
        atLineStart = !record.isPartial
        if let limit = remaining {
            if bytes.count > limit { bytes.removeLast(bytes.count - limit) }
            remaining = limit - bytes.count
        }
        output.append(contentsOf: bytes)
    }
}
