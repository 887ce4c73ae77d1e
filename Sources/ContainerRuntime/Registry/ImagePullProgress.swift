/// One step of a pull, for progress displays: a blob's state and how many of its bytes have arrived.
///
/// Immutable value; Sendable. For each blob the puller reports `waiting` first (all blobs, config first, then
/// the layers bottom to top), then `downloading` updates, `verifying`, and `downloaded`; or `alreadyExists`
/// when the store had it.
public struct ImagePullProgress: Sendable, Equatable {
    public enum BlobKind: String, Sendable, Equatable {
        case config
        case layer
    }

    public enum State: String, Sendable, Equatable {
        case waiting
        case downloading
        case verifying
        case downloaded
        case alreadyExists
    }

    public var digest: ImageDigest
    public var kind: BlobKind
    public var state: State
    public var completedBytes: Int
    public var totalBytes: Int

    public init(digest: ImageDigest, kind: BlobKind, state: State, completedBytes: Int, totalBytes: Int) {
        self.digest = digest
        self.kind = kind
        self.state = state
        self.completedBytes = completedBytes
        self.totalBytes = totalBytes
    }
}
