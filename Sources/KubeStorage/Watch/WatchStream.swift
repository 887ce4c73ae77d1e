/// The events of one watch: history replayed from the store first, then live events, with no gap and no
/// duplicate between the two.
///
/// Value type; Sendable. Iterate it from one task. The stream ends with `StorageError.compacted` when its
/// start is no longer in history, `.watcherTooSlow` when the reader fell behind the bounded buffer, and
/// `.unavailable` when the store closed. Dropping the stream (and its iterator) ends the watch.
public struct WatchStream: AsyncSequence, Sendable {
    public typealias Element = StoreWatchMessage

    private let handle: Handle

    init(
        subscription: WatchSubscription, hub: WatchHub, source: any WatchHistorySource, start: Revision,
        replayThrough: Revision
    ) {
        handle = Handle(
            setup: .ready(
                subscription: subscription, hub: hub, source: source, start: start, replayThrough: replayThrough))
    }

    init(failure: any Error) {
        handle = Handle(setup: .failed(failure))
    }

    /// The same watch with every event passed through `transform` (`TransformingKeyValueStore` decrypts
    /// with it). An error `transform` throws ends the stream with that error; progress messages pass as they
    /// are.
    public func mappingEvents(_ transform: @escaping @Sendable (StoreEvent) throws -> StoreEvent) -> WatchStream {
        WatchStream(handle: Handle(setup: .mapped(base: self, transform: transform)))
    }

    private init(handle: Handle) {
        self.handle = handle
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(handle: handle)
    }

    /// Reads the watch; see `WatchStream`.
    public struct Iterator: AsyncIteratorProtocol {
        private let handle: Handle
        private var lastDelivered: Revision
        private var replayNext: Revision
        private var failedOnce = false
        private let mappedBase: MappedBase?
        private static let pageSize = 512

        init(handle: Handle) {
            self.handle = handle
            switch handle.setup {
            case .ready(_, _, _, let start, _):
                lastDelivered = start - 1
                replayNext = start
                mappedBase = nil
            case .failed:
                lastDelivered = 0
                replayNext = 0
                mappedBase = nil
            case .mapped(let base, _):
                lastDelivered = 0
                replayNext = 0
                mappedBase = MappedBase(base.makeAsyncIterator())
            }
        }

        public mutating func next() async throws -> StoreWatchMessage? {
            switch handle.setup {
            case .failed(let error):
                if failedOnce { return nil }
                failedOnce = true
                throw error
            case .mapped(_, let transform):
                guard let mappedBase, var iterator = mappedBase.iterator else { return nil }
                let message: StoreWatchMessage?
                do {
                    message = try await iterator.next()
                    mappedBase.iterator = iterator
                } catch {
                    mappedBase.iterator = nil
                    throw error
                }
                guard case .events(let events) = message else { return message }
                do {
                    return .events(try events.map(transform))
                } catch {
                    mappedBase.iterator = nil
                    throw error
                }
            case .ready(let subscription, _, let source, _, let replayThrough):
                while replayNext <= replayThrough {
                    let page: [StoreEvent]
                    do {
                        page = try await source.history(
                            subscription.range, from: replayNext, through: replayThrough, limit: Self.pageSize,
                            prevKV: subscription.prevKV)
                    } catch {
                        subscription.finish()
                        replayNext = replayThrough + 1
                        throw error
                    }
                    if page.count < Self.pageSize {
                        replayNext = replayThrough + 1
                    }
                    if let last = page.last {
                        replayNext = Swift.max(replayNext, last.revision + 1)
                        lastDelivered = last.revision
                        return .events(page)
                    }
                }
                while true {
                    guard let message = try await subscription.next() else { return nil }
                    switch message {
                    case .events(let events):
                        let fresh = events.filter { $0.revision > lastDelivered }
                        guard let last = fresh.last else { continue }
                        lastDelivered = last.revision
                        return .events(fresh)
                    case .progress(let revision):
                        return .progress(Swift.max(revision, lastDelivered))
                    }
                }
            }
        }
    }

    /// The iterator of the stream a mapped stream reads; a class so that `Iterator` can hold another
    /// `Iterator`. Owned by one iterator, used from one task.
    final class MappedBase {
        /// Nil once the mapped stream ended with an error.
        var iterator: Iterator?

        init(_ iterator: Iterator) { self.iterator = iterator }
    }

    /// Owns the registration; unregisters from the hub when the last copy of the stream goes away.
    final class Handle: Sendable {
        enum Setup: Sendable {
            case ready(
                subscription: WatchSubscription, hub: WatchHub, source: any WatchHistorySource, start: Revision,
                replayThrough: Revision)
            case failed(any Error)
            case mapped(base: WatchStream, transform: @Sendable (StoreEvent) throws -> StoreEvent)
        }

        let setup: Setup

        init(setup: Setup) { self.setup = setup }

        deinit {
            if case .ready(let subscription, let hub, _, _, _) = setup {
                hub.unregister(subscription.id)
            }
        }
    }
}
