import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Turns the given POSIX signals into an awaitable event, without a polling loop.
///
/// On creation the signals' default actions are replaced (set to ignored) and a `DispatchSource` per signal
/// feeds an `AsyncStream`; `next()` suspends until one arrives. Signals that arrive before `next()` is called
/// are kept, so creating this first and awaiting it later loses nothing. Await `next()` from one task at a
/// time.
final class ShutdownSignals: @unchecked Sendable {
    // SAFETY: both properties are immutable after init; DispatchSource and AsyncStream are thread-safe.
    private let sources: [any DispatchSourceSignal]
    private let stream: AsyncStream<Int32>

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
        self.stream = stream
    }

    /// Waits for the next of the signals and returns its number.
    func next() async -> Int32 {
        // The stream never finishes while `sources` are alive, so nil cannot happen; treat it as SIGTERM.
        var iterator = stream.makeAsyncIterator()
        return await iterator.next() ?? SIGTERM
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
