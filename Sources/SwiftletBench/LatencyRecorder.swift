/// Collects per-operation latencies of one worker and summarises them as percentiles.
///
/// Concurrency contract: a value type with no shared state. Each worker task or thread owns its own
/// recorder; the phase merges them with `merge(_:)` after the workers have finished.
struct LatencyRecorder: Sendable {
    private(set) var samples: [Duration] = []

    init(reservingCapacity capacity: Int = 0) {
        samples.reserveCapacity(capacity)
    }

    mutating func record(_ latency: Duration) {
        samples.append(latency)
    }

    mutating func merge(_ other: LatencyRecorder) {
        samples.append(contentsOf: other.samples)
    }

    var count: Int { samples.count }

    /// Nearest-rank percentiles over every sample recorded so far.
    func summary() -> LatencySummary {
        LatencySummary(samples: samples)
    }
}

/// Percentiles of a set of latencies (nearest rank).
///
/// Concurrency contract: an immutable value type; Sendable.
public struct LatencySummary: Sendable, Equatable {
    /// How many operations were measured.
    public let count: Int
    public let p50: Duration
    public let p99: Duration
    public let max: Duration
    public let mean: Duration

    init(samples: [Duration]) {
        let sorted = samples.sorted()
        count = sorted.count
        func rank(_ fraction: Double) -> Duration {
            guard !sorted.isEmpty else { return .zero }
            let index = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
            return sorted[Swift.max(0, Swift.min(sorted.count - 1, index))]
        }
        p50 = rank(0.50)
        p99 = rank(0.99)
        max = sorted.last ?? .zero
        mean = sorted.isEmpty ? .zero : sorted.reduce(Duration.zero, +) / sorted.count
    }
}

extension Duration {
    /// The duration in (fractional) milliseconds, for tables.
    var asMilliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1_000 + Double(attoseconds) / 1e15
    }

    /// The duration in (fractional) seconds.
    var asSeconds: Double { asMilliseconds / 1_000 }
}
