import Foundation

/// Renders a `StoreBenchmarkReport` as a plain-text table: one row per figure, Swiftlet and etcd side by
/// side, and the ratio swiftlet/etcd.
///
/// Concurrency contract: stateless; callable from any thread.
enum BenchmarkTable {
    struct Row {
        var label: String
        var swiftlet: Double?
        var etcd: Double?
        var decimals: Int
    }

    static func render(_ report: StoreBenchmarkReport) -> String {
        let rows = rows(report)
        let hasEtcd = report.etcd != nil
        var lines: [[String]] = [hasEtcd ? ["workload", "swiftlet", "etcd", "ratio"] : ["workload", "swiftlet"]]
        for row in rows {
            var line = [row.label, cell(row.swiftlet, row.decimals)]
            if hasEtcd {
                line.append(cell(row.etcd, row.decimals))
                if let swiftlet = row.swiftlet, let etcd = row.etcd, etcd > 0 {
                    line.append(fixed(swiftlet / etcd, 2) + "x")
                } else {
                    line.append("-")
                }
            }
            lines.append(line)
        }
        let widths = (0..<lines[0].count).map { column in lines.map { $0[column].count }.max() ?? 0 }
        var text = lines.map { line in
            line.enumerated().map { column, value in
                column == 0
                    ? value.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - value.count) + value
            }.joined(separator: "   ")
        }.joined(separator: "\n")
        text += "\nRatio = swiftlet / etcd (above 1 is better for rates, below 1 for latencies)."
        text += "\nSwiftlet: SQLiteStore, WAL, synchronous=FULL, value \(report.options.valueSize) bytes."
        if report.etcd != nil {
            text += "\netcd: single member through the v3 JSON gateway (HTTP/1.1 keep-alive, JSON + base64 "
                + "decoded by the client); commits = etcd_disk_wal_fsync_duration_seconds_count (bbolt's own "
                + "periodic commits are not counted)."
        } else if let reason = report.etcdSkippedReason {
            text += "\netcd: skipped (\(reason))."
        }
        return text
    }

    private static func rows(_ report: StoreBenchmarkReport) -> [Row] {
        let s = report.swiftlet
        let e = report.etcd
        var rows: [Row] = []
        func add(_ label: String, _ swiftlet: Double?, _ etcd: Double?, decimals: Int) {
            rows.append(Row(label: label, swiftlet: swiftlet, etcd: etcd, decimals: decimals))
        }
        func addLatency(_ label: String, _ pick: (LatencySummary) -> Duration, _ swiftlet: LatencySummary,
                        _ etcd: LatencySummary?, decimals: Int = 2) {
            add("\(label) (ms)", pick(swiftlet).asMilliseconds, etcd.map { pick($0).asMilliseconds },
                decimals: decimals)
        }
        for (title, phases, etcdPhases) in [("create", s.creates, e?.creates), ("CAS update", s.updates, e?.updates)] {
            for (index, phase) in phases.enumerated() {
                let other = etcdPhases?[index]
                let who = BenchmarkWorkloads.writersText(phase.writers)
                add("\(title)/s  \(who)", phase.operationsPerSecond, other?.operationsPerSecond, decimals: 0)
                addLatency("\(title) p50 \(who)", \.p50, phase.latency, other?.latency)
                addLatency("\(title) p99 \(who)", \.p99, phase.latency, other?.latency)
                add("\(title) commits (WAL fsyncs) per write, \(who)", phase.commitsPerWrite,
                    other?.commitsPerWrite, decimals: 3)
                if title == "CAS update" {
                    add("CAS conflicts \(who)", Double(phase.conflicts), other.map { Double($0.conflicts) },
                        decimals: 0)
                }
            }
        }
        let open = "open loop \(s.openLoop.offeredRate)/s:"
        add("\(open) achieved/s", s.openLoop.achievedRate, e?.openLoop.achievedRate, decimals: 0)
        addLatency("\(open) p50", \.p50, s.openLoop.latency, e?.openLoop.latency)
        addLatency("\(open) p99", \.p99, s.openLoop.latency, e?.openLoop.latency)
        addLatency("\(open) max", \.max, s.openLoop.latency, e?.openLoop.latency)
        addLatency("get p50", \.p50, s.get, e?.get, decimals: 3)
        addLatency("get p99", \.p99, s.get, e?.get, decimals: 3)
        for (index, list) in s.lists.enumerated() {
            let other = e?.lists[index]
            addLatency("list \(list.keys) keys p50", \.p50, list.latency, other?.latency)
            addLatency("list \(list.keys) keys p99", \.p99, list.latency, other?.latency)
        }
        return rows
    }

    private static func cell(_ value: Double?, _ decimals: Int) -> String {
        value.map { fixed($0, decimals) } ?? "-"
    }

    /// `value` with exactly `decimals` digits after the point.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}
