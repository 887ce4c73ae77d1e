/// Upstream `slowStartBatch`: `count` calls in batches of 1, 2, 4, … (starting at
/// ``initialBatchSize``); the caller stops after the first batch with a failure.
///
/// Stateless; Sendable.
public enum SlowStartBatch {
    /// Upstream `controller.SlowStartInitialBatchSize`.
    public static let initialBatchSize = 1

    /// The batch sizes for `count` calls: `[1, 2, 4, …]`, the last one cut to what remains.
    public static func batchSizes(count: Int, initial: Int = initialBatchSize) -> [Int] {
        var sizes: [Int] = []
        var remaining = count
        var size = min(remaining, initial)
        while size > 0 {
            sizes.append(size)
            remaining -= size
            size = min(2 * size, remaining)
        }
        return sizes
    }
}
