import Foundation
import KubeAPI
import KubeCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A fresh directory under /tmp removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "swiftlet-volumes-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A clock tests advance by hand.
final class ManualTestClock: Sendable {
    private let now = Mutex(Date(timeIntervalSince1970: 1_795_867_200))  // 2026-11-28 12:00:00 UTC

    var date: Date { now.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        now.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    var function: @Sendable () -> Date { { self.date } }
}

enum VolumeTestFiles {
    static func text(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    static func linkTarget(_ path: String) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: path)
    }

    static func mode(_ path: String) -> UInt32? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt32(info.st_mode & 0o7777)
    }

    static func group(_ path: String) -> UInt32? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt32(info.st_gid)
    }

    static func isSymlink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static var isRoot: Bool { getuid() == 0 }

    /// /proc/self/mountinfo read to its end (Foundation's String(contentsOfFile:) may stop at the first read
    /// of a procfs file that reports size 0).
    static func mountInfoLines() -> [Substring] {
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/mountinfo") else { return [] }
        defer { try? handle.close() }
        let data = (try? handle.readToEnd()) ?? Data()
        return String(decoding: data, as: UTF8.self).split(separator: "\n")
    }

    static func isMounted(_ path: String) -> Bool {
        return mountInfoLines().contains { line in
            let fields = line.split(separator: " ")
            return fields.count > 4 && fields[4] == path
        }
    }
}

func makePod(name: String = "web", namespace: String = "default", uid: String = UUID().uuidString.lowercased(),
             volumes: [Volume] = [], containers: [Container] = [Container(name: "app", image: "busybox")],
             labels: [String: String] = [:], annotations: [String: String] = [:]) -> Pod
{
    Pod(metadata: ObjectMeta(name: name, namespace: namespace, uid: uid, labels: labels, annotations: annotations),
        spec: PodSpec(volumes: volumes, containers: containers, serviceAccountName: "default", nodeName: "node-1"))
}
