#if canImport(Glibc)
import Glibc
#endif
public import Foundation

/// Facts about the machine the node agent runs on, read once from procfs, sysconf, statfs and uname:
/// capacity (cpu, memory, ephemeral storage), identity (hostname, machine and boot IDs), OS and kernel.
///
/// A value type; Sendable. `read(dataDirectory:)` does the IO.
public struct HostFacts: Sendable, Equatable {
    public var cpuCount: Int
    public var memoryBytes: Int64
    public var ephemeralStorageBytes: Int64
    public var hostname: String
    public var kernelVersion: String
    public var osImage: String
    public var machineID: String
    public var bootID: String
    public var architecture: String

    public init(cpuCount: Int, memoryBytes: Int64, ephemeralStorageBytes: Int64, hostname: String,
                kernelVersion: String, osImage: String, machineID: String, bootID: String, architecture: String) {
        self.cpuCount = cpuCount
        self.memoryBytes = memoryBytes
        self.ephemeralStorageBytes = ephemeralStorageBytes
        self.hostname = hostname
        self.kernelVersion = kernelVersion
        self.osImage = osImage
        self.machineID = machineID
        self.bootID = bootID
        self.architecture = architecture
    }

    /// Reads the facts of this machine; `dataDirectory` is where pods' ephemeral storage lives.
    public static func read(dataDirectory: String) -> HostFacts {
        var names = utsname()
        uname(&names)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        let machine = field(names.machine)
        return HostFacts(
            cpuCount: max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))),
            memoryBytes: memInfo("MemTotal") ?? 0,
            ephemeralStorageBytes: fileSystemBytes(dataDirectory).total,
            hostname: field(names.nodename).lowercased(),
            kernelVersion: field(names.release),
            osImage: osRelease() ?? "Linux",
            machineID: firstLine("/etc/machine-id") ?? "",
            bootID: firstLine("/proc/sys/kernel/random/boot_id") ?? "",
            architecture: machine == "x86_64" ? "amd64" : machine == "aarch64" ? "arm64" : machine)
    }

    /// A `/proc/meminfo` field in bytes.
    public static func memInfo(_ key: String) -> Int64? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, let kib = Int64(parts[1]) { return kib * 1024 }
        }
        return nil
    }

    /// Total and available bytes of the file system holding `path` (the nearest existing ancestor).
    public static func fileSystemBytes(_ path: String) -> (total: Int64, available: Int64) {
        var target = path
        while !FileManager.default.fileExists(atPath: target), target != "/" {
            target = (target as NSString).deletingLastPathComponent
            if target.isEmpty { target = "/" }
        }
        var stats = statvfs()
        guard statvfs(target, &stats) == 0 else { return (0, 0) }
        let block = Int64(stats.f_frsize)
        return (Int64(stats.f_blocks) * block, Int64(stats.f_bavail) * block)
    }

    static func firstLine(_ path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first.map { String($0).trimmingCharacters(in: .whitespaces) }
    }

    static func osRelease() -> String? {
        guard let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return String(line.dropFirst("PRETTY_NAME=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }
}
