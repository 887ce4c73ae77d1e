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

    public func makeAsyncIterator() -> Iterator {
        Iterator(handle: handle)
    }

    /// Reads the watch; see `WatchStream`.
    public struct Iterator: AsyncIteratorProtocol {
        private let handle: Handle
        private var lastDelivered: Revision
        private var replayNext: Revision
        private var failedOnce = false
        private static let pageSize = 512

        init(handle: Handle) {
            self.handle = handle
            switch handle.setup {
            case .ready(_, _, _, let start, _):
                lastDelivered = start - 1
                replayNext = start
            case .failed:
                lastDelivered = 0
                replayNext = 0
            }
        }

        public mutating func next() async throws -> StoreWatchMessage? {
            switch handle.setup {
            case .failed(let error):
                if failedOnce { return nil }
                failedOnce = true
                throw error
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

    /// Owns the registration; unregisters from the hub when the last copy of the stream goes away.
    final class Handle: Sendable {
        enum Setup: Sendable {
            case ready(
                subscription: WatchSubscription, hub: WatchHub, source: any WatchHistorySource, start: Revision,
                replayThrough: Revision)
            case failed(any Error)
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
