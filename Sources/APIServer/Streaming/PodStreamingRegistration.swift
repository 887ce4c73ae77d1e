import Synchronization

/// Where the API server finds its `PodStreamingBackend`: set once the node side exists (it may be created after
/// the API server, since it needs a client of it). Without a backend, log/exec/attach answer as upstream does
/// when no kubelet is reachable.
///
/// Thread-safe (a `Mutex`); shared by every copy of the `APIHandler`.
public final class PodStreamingRegistration: Sendable {
    private let current: Mutex<(any PodStreamingBackend)?>

    public init(_ backend: (any PodStreamingBackend)? = nil) {
        current = Mutex(backend)
    }

    /// Installs (or, with nil, removes) the backend; later requests use it.
    public func set(_ backend: (any PodStreamingBackend)?) {
        current.withLock { $0 = backend }
    }

    /// The backend in use, if any.
    public var backend: (any PodStreamingBackend)? {
        current.withLock { $0 }
    }
}
