import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Turns the given POSIX signals into an awaitable event, without a polling loop.
///
/// On creation the signals' default actions are replaced (set to ignored) and a `DispatchSource` per signal
/// feeds an `AsyncStream`; `next()` suspends until one arrives. Signals that arrive before `next()` is called
/// are kept, so creating this first and awaiting it later loses nothing. Not Sendable: create and await it in
/// one task.
final class ShutdownSignals {
    private let sources: [any DispatchSourceSignal]
    private var iterator: AsyncStream<Int32>.AsyncIterator

    init(_ signals: Int32...) {
        let (stream, continuation) = AsyncStream<Int32>.makeStream(bufferingPolicy: .bufferingOldest(8))
        var sources: [any DispatchSourceSignal] = []
        for number in signals {
            signal(number, SIG_IGN)  // Dispatch delivers it; the default action would kill the process.
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
        self.iterator = stream.makeAsyncIterator()
    }

    /// Waits for the next of the signals and returns its number.
    func next() async -> Int32 {
        // The stream never finishes while `sources` are alive, so nil cannot happen; treat it as SIGTERM.
        await iterator.next() ?? SIGTERM
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
