import ContainerRuntime
import Foundation
import Synchronization
import Testing

@Suite struct CRILogTests {
    /// A temporary directory removed at the end of the test.
    final class TemporaryDirectory: Sendable {
        let path: String

        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("crilog-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }

        deinit {
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// A clock that advances one microsecond per call, from a fixed instant.
    final class SteppingClock: Sendable {
        private let next = Mutex(CRITimestamp(seconds: 1_475_713_029, nanoseconds: 669_794_202))

        func now() -> CRITimestamp {
            next.withLock { current in
                let value = current
                current.nanoseconds += 1000
                return value
            }
        }
    }

    static func collect(_ stream: AsyncThrowingStream<[UInt8], any Error>) async throws -> String {
        var bytes: [UInt8] = []
        for try await chunk in stream { bytes += chunk }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func timestampsFormatAndParse() throws {
        let timestamp = CRITimestamp(seconds: 1_475_713_029, nanoseconds: 669_794_202)
        #expect(timestamp.description == "2016-10-06T00:17:09.669794202Z")
        #expect(CRITimestamp(parsing: Array("2016-10-06T00:17:09.669794202Z".utf8)) == timestamp)
        #expect(CRITimestamp(parsing: Array("2016-10-06T02:17:09.669794202+02:00".utf8)) == timestamp)
        #expect(CRITimestamp(parsing: Array("2016-10-06T00:17:09Z".utf8)) == CRITimestamp(seconds: 1_475_713_029, nanoseconds: 0))
        #expect(CRITimestamp(parsing: Array("2016-10-06T00:17:09.5Z".utf8))?.nanoseconds == 500_000_000)
        #expect(CRITimestamp(parsing: Array("1969-12-31T23:59:59Z".utf8))?.seconds == -1)
        #expect(CRITimestamp(seconds: 0, nanoseconds: 5).description == "1970-01-01T00:00:00.000000005Z")
        #expect(CRITimestamp(parsing: Array("yesterday".utf8)) == nil)
    }

    @Test func recordsEncodeAndParse() throws {
        let record = CRILogRecord(
            timestamp: CRITimestamp(seconds: 1_475_713_029, nanoseconds: 669_794_202), stream: .stdout, isPartial: false,
            message: Array("hello world".utf8))
        let line = record.encoded()
        #expect(String(decoding: line, as: UTF8.self) == "2016-10-06T00:17:09.669794202Z stdout F hello world\n")
        #expect(CRILogRecord(line: line.dropLast()) == record)
        let partial = CRILogRecord(line: Array("2016-10-06T00:17:09.669794202Z stderr P ab c".utf8)[...])
        #expect(partial?.stream == .stderr)
        #expect(partial?.isPartial == true)
        #expect(partial?.message == Array("ab c".utf8))
        let empty = CRILogRecord(line: Array("2016-10-06T00:17:09.669794202Z stdout F ".utf8)[...])
        #expect(empty?.message == [])
        #expect(CRILogRecord(line: Array("garbage line".utf8)[...]) == nil)
    }

    @Test func splitterEmitsPartialPiecesForLongLines() {
        var splitter = CRILineSplitter(maxLineBytes: 4)
        let messages = splitter.feed(Array("ab\nabcdefghij\n\nxy".utf8))
        #expect(messages.map { String(decoding: $0.bytes, as: UTF8.self) } == ["ab", "abcd", "efgh", "ij", ""])
        #expect(messages.map(\.isPartial) == [false, true, true, false, false])
        #expect(splitter.finish() == .init(bytes: Array("xy".utf8), isPartial: false))
        #expect(splitter.finish() == nil)
    }

    @Test func writerAndReaderRoundTripWithPartialLines() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/c.log"
        let clock = SteppingClock()
        let writer = try CRILogWriter(path: path, maxLineBytes: 8, clock: { clock.now() })
        writer.append(Array("first line\nsec".utf8), from: .stdout)
        writer.append(Array("oops\n".utf8), from: .stderr)
        writer.append(Array("ond\n".utf8), from: .stdout)
        writer.append(Array("no newline".utf8), from: .stdout)
        writer.finish(.stdout)
        writer.finish(.stderr)

        let file = try String(contentsOfFile: path, encoding: .utf8)
        #expect(file == """
            2016-10-06T00:17:09.669794202Z stdout P first li
            2016-10-06T00:17:09.669794202Z stdout F ne
            2016-10-06T00:17:09.669795202Z stderr F oops
            2016-10-06T00:17:09.669796202Z stdout F second
            2016-10-06T00:17:09.669797202Z stdout P no newli
            2016-10-06T00:17:09.669798202Z stdout F ne

            """)

        let reader = CRILogReader(path: path)
        #expect(try await Self.collect(reader.read(.init())) == "first line\noops\nsecond\nno newline\n")
        #expect(try await Self.collect(reader.read(.init(timestamps: true))) == """
            2016-10-06T00:17:09.669794202Z first line
            2016-10-06T00:17:09.669795202Z oops
            2016-10-06T00:17:09.669796202Z second
            2016-10-06T00:17:09.669797202Z no newline

            """)
        #expect(try await Self.collect(reader.read(.init(tailLines: 2))) == "second\nno newline\n")
        #expect(try await Self.collect(reader.read(.init(tailLines: 0))) == "")
        #expect(try await Self.collect(reader.read(.init(limitBytes: 7))) == "first l")
        let since = CRITimestamp(seconds: 1_475_713_029, nanoseconds: 669_795_202)
        #expect(try await Self.collect(reader.read(.init(since: since))) == "oops\nsecond\nno newline\n")
    }

    @Test func rotationKeepsTheNewestFilesAndTheReaderReadsThemInOrder() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/c.log"
        let clock = SteppingClock()
        // Each record is 30 (time) + 10 (" stdout F ") + 6 ("line N") + 1 = 47 bytes: two fit in 100 bytes.
        let writer = try CRILogWriter(
            path: path, policy: CRILogRotationPolicy(maxFileBytes: 100, maxRotatedFiles: 2), clock: { clock.now() })
        for index in 0..<9 {
            writer.append(Array("line \(index)\n".utf8), from: .stdout)
        }
        #expect(FileManager.default.fileExists(atPath: path + ".1"))
        #expect(FileManager.default.fileExists(atPath: path + ".2"))
        #expect(!FileManager.default.fileExists(atPath: path + ".3"))
        let current = try String(contentsOfFile: path, encoding: .utf8)
        #expect(current.hasSuffix("stdout F line 8\n"))

        let reader = CRILogReader(path: path)
        // Kept: [4, 5] in .2, [6, 7] in .1 and [8] in the current file.
        #expect(try await Self.collect(reader.read(.init())) == (4...8).map { "line \($0)\n" }.joined())
        #expect(try await Self.collect(reader.read(.init(tailLines: 3))) == "line 6\nline 7\nline 8\n")
    }

    @Test func followReturnsNewLinesAcrossRotationUntilFinished() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/c.log"
        let writer = try CRILogWriter(path: path, policy: CRILogRotationPolicy(maxFileBytes: 150, maxRotatedFiles: 1))
        writer.append(Array("before\n".utf8), from: .stdout)
        let finished = Mutex(false)
        let reader = CRILogReader(path: path, pollInterval: .milliseconds(5))
        let stream = reader.read(.init(tailLines: 1, follow: true), isFinished: { finished.withLock { $0 } })
        var iterator = stream.makeAsyncIterator()
        var received = ""
        received += String(decoding: try await iterator.next() ?? [], as: UTF8.self)
        #expect(received == "before\n")
        // Enough lines to rotate the file twice while following.
        for index in 0..<6 {
            writer.append(Array("after \(index)\n".utf8), from: .stdout)
            while !received.hasSuffix("after \(index)\n") {
                guard let chunk = try await iterator.next() else { break }
                received += String(decoding: chunk, as: UTF8.self)
            }
        }
        writer.append(Array("last\n".utf8), from: .stderr)
        finished.withLock { $0 = true }
        while let chunk = try await iterator.next() {
            received += String(decoding: chunk, as: UTF8.self)
        }
        #expect(received == "before\n" + (0..<6).map { "after \($0)\n" }.joined() + "last\n")
        #expect(FileManager.default.fileExists(atPath: path + ".1"))
    }

    @Test func oomKillCounterParsesBothCgroupVersions() {
        #expect(OOMKillCounter.parse("oom_kill_disable 0\nunder_oom 0\noom_kill 1\n") == 1)
        #expect(OOMKillCounter.parse("low 0\nhigh 0\nmax 12\noom 3\noom_kill 2\noom_group_kill 0\n") == 2)
        #expect(OOMKillCounter.parse("oom_kill_disable 0\n") == nil)
    }
}
