/// Turns a value into the bytes stored for it and back, as the Kubernetes API server's storage value
/// transformers do (encryption at rest). `key` is the full storage key; implementations that authenticate
/// use it as additional data, so a stored value copied to another key does not read back.
///
/// Implementations are safe to call from any thread; both directions are synchronous and must not block.
public protocol ValueTransformer: Sendable {
    /// The bytes to store for `value` under `key`.
    func transformToStorage(_ value: [UInt8], key: String) throws -> [UInt8]

    /// The value that the stored bytes `stored` under `key` stand for. Must accept whatever
    /// `transformToStorage` produced, and should pass through values written before the transformer was in
    /// place (the identity read).
    func transformFromStorage(_ stored: [UInt8], key: String) throws -> [UInt8]
}
