import Foundation
public import KubeAPI
import KubeCore

/// Splits a watch response body into JSON lines and decodes each into a ``WatchEvent``.
///
/// Stateless namespace; each call owns its buffer.
enum WatchLineDecoder<Object: KubeResource> {
    static func events(from chunks: AsyncThrowingStream<[UInt8], any Error>)
        -> AsyncThrowingStream<WatchEvent<Object>, any Error>
    {
        let (events, continuation) = AsyncThrowingStream<WatchEvent<Object>, any Error>.makeStream()
        let task = Task {
            var buffer: [UInt8] = []
            do {
                for try await chunk in chunks {
                    buffer += chunk
                    var start = 0
                    while let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                        let line = buffer[start..<newline]
                        start = newline + 1
                        if line.allSatisfy({ $0 == 32 || $0 == 13 || $0 == 9 }) { continue }
                        continuation.yield(try decode(line))
                    }
                    buffer.removeFirst(start)
                }
                if !buffer.allSatisfy({ $0 == 32 || $0 == 10 || $0 == 13 }) {
                    continuation.yield(try decode(buffer[...]))
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return events
    }

    private static func decode(_ line: ArraySlice<UInt8>) throws -> WatchEvent<Object> {
        let decoded: WatchEventLine<Object>
        do {
            decoded = try KubeJSON.decodeTree(WatchEventLine<Object>.self, from: line)
        } catch {
            throw APIClientError.undecodableResponse(type: "watch event of \(Object.resource.kind)", underlying: "\(error)")
        }
        guard let event = decoded.event else {
            throw APIClientError.undecodableResponse(type: "watch event of \(Object.resource.kind)",
                                                     underlying: "unknown event type \(decoded.type)")
        }
        return event
    }
}
