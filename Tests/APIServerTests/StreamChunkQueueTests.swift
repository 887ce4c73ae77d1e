@testable import APIServer
import Synchronization
import Testing

/// The bounded hand-over between a watch and its client: a full queue holds the producer back until the
/// consumer reads, and ending the queue releases a waiting producer.
@Suite struct StreamChunkQueueTests {
    @Test(.timeLimit(.minutes(1))) func producerWaitsWhileTheQueueIsFull() async throws {
        let queue = StreamChunkQueue(byteLimit: 4)
        let pushed = Atomic(0)
        let producer = Task {
            for index in 0..<3 {
                await queue.push([UInt8](repeating: UInt8(index), count: 4))
                pushed.add(1, ordering: .sequentiallyConsistent)
            }
            queue.finish()
        }
        // The first chunk fills the queue; the producer waits for room instead of queueing more.
        while !queue.status.producerWaiting { await Task.yield() }
        #expect(queue.status.queuedBytes == 4)
        #expect(pushed.load(ordering: .sequentiallyConsistent) == 1)
        let first = await queue.next()
        #expect(first == [0, 0, 0, 0])
        var received: [[UInt8]] = [first ?? []]
        while let chunk = await queue.next() { received.append(chunk) }
        await producer.value
        #expect(received == [[0, 0, 0, 0], [1, 1, 1, 1], [2, 2, 2, 2]])
        #expect(pushed.load(ordering: .sequentiallyConsistent) == 3)
    }

    @Test func finishingReleasesABlockedProducerAndDropsLaterChunks() async throws {
        let queue = StreamChunkQueue(byteLimit: 1)
        await queue.push([1, 2])  // over the limit: the next push waits
        let blocked = Task { await queue.push([3]) }
        queue.finish()
        await blocked.value
        #expect(await queue.next() == [1, 2])
        #expect(await queue.next() == nil)
    }
}
