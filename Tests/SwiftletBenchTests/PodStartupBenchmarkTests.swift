import Foundation
import Testing

/// `swiftlet bench pod-startup` runs end to end on a real node agent (root, runc, busybox-static) and prints
/// its figures. How fast pods started is not judged here.
@Suite struct PodStartupBenchmarkTests {
    /// Why the benchmark cannot run here, or nil.
    static var unavailableReason: String? {
        if getuid() != 0 { return "needs root" }
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/usr/bin"
        if !path.split(separator: ":").contains(where: { FileManager.default.isExecutableFile(atPath: "\($0)/runc") }) {
            return "needs runc (apt-get install -y runc)"
        }
        if !FileManager.default.isExecutableFile(atPath: "/bin/busybox") {
            return "needs /bin/busybox (apt-get install -y busybox-static)"
        }
        return nil
    }

    @Test func benchPodStartupPrintsItsFigures() async throws {
        if let reason = Self.unavailableReason {
            print("skipping PodStartupBenchmarkTests: \(reason)")
            return
        }
        let bridge = "swbt" + String(UInt16.random(in: 0...0xffff), radix: 16)
        let cidr = "10.251.\(Int.random(in: 128...255)).0/24"
        let (status, text) = try await SwiftletCommand.run(
            ["bench", "pod-startup", "--pods", "3", "--runc-runs", "3", "--node-bridge", bridge, "--pod-cidr", cidr])
        print(text)
        #expect(status == 0, "\(text)")
        for figure in ["pod startup p50 (ms)", "pod startup p99 (ms)", "(target < 150)", "pod startup max (ms)",
                       "bare runc run /bin/true, median of 3 (ms)", "pod startup p50 / bare runc run",
                       "server process RSS, 3 pods running (MiB)", "3 pods deleted"] {
            #expect(text.contains(figure), "missing \(figure) in:\n\(text)")
        }
        let links = try String(contentsOfFile: "/proc/net/dev", encoding: .utf8)
        #expect(!links.contains(bridge + ":"), "bridge \(bridge) was left behind")
    }

    @Test func benchPodStartupRejectsNonsense() async throws {
        let (status, _) = try await SwiftletCommand.run(["bench", "pod-startup", "--pods", "0"])
        #expect(status != 0)
    }
}
