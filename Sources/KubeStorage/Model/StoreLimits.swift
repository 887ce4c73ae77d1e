/// Limits every backend enforces identically, so that no backend accepts what another would reject.
public enum StoreLimits {
    /// The largest value a key may hold: 1.5 MiB, etcd's default `--max-request-bytes`.
    public static let maxValueSize = 1_572_864

    /// Throws `.valueTooLarge` when `value` exceeds `maxValueSize`.
    static func checkValueSize(_ value: [UInt8]) throws(StorageError) {
        if value.count > maxValueSize {
            throw .valueTooLarge(size: value.count, limit: maxValueSize)
        }
    }
}
