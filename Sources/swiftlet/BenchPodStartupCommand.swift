import ArgumentParser
import ContainerRuntime
import Foundation
import SwiftletBench

/// `swiftlet bench pod-startup`: pod create to containers running on a real node agent over runc (Linux,
/// root), beside a bare `runc run`. Progress lines and the report go to standard output, logs to standard
/// error.
struct BenchPodStartupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pod-startup",
        abstract: "Benchmark pod startup on this machine's node agent (root, runc, busybox-static), compared with bare runc.")

    @Option(help: ArgumentHelp("Pods to create, one after another.", valueName: "count"))
    var pods = 20

    @Option(name: .customLong("runc-runs"), help: ArgumentHelp("Bare runc runs for the baseline.", valueName: "count"))
    var runcRuns = 10

    @Option(name: .customLong("node-bridge"), help: ArgumentHelp("Bridge for the benchmark node's pods.", valueName: "name"))
    var bridge = "swbench"

    @Option(name: .customLong("pod-cidr"), help: ArgumentHelp("Pod CIDR of the benchmark node.", valueName: "cidr"))
    var podCIDR = "10.251.0.0/24"

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if pods < 1 { throw ValidationError("--pods must be at least 1") }
        if runcRuns < 1 { throw ValidationError("--runc-runs must be at least 1") }
    }

    func run() async throws {
        _ = logging.bootstrap(label: "swiftlet.bench")
        if let reason = PodStartupBenchmark.unavailableReason() {
            FileHandle.standardError.write(Data("swiftlet bench pod-startup cannot run here: \(reason)\n".utf8))
            throw ExitCode(2)
        }
        var options = PodStartupBenchmarkOptions(shimCommand: RuncRuntime.defaultShimCommand())
        options.pods = pods
        options.runcRuns = runcRuns
        options.bridgeName = bridge
        options.podCIDR = podCIDR
        let report = try await PodStartupBenchmark.run(options, output: { BenchStoreCommand.writeLine($0) })
        BenchStoreCommand.writeLine(report.formatted())
    }
}
