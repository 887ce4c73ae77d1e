import ArgumentParser
import Foundation
import SwiftletBench

/// `swiftlet bench`: benchmarks shipped in the binary.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Run benchmarks.", subcommands: [BenchStoreCommand.self, BenchAPICommand.self, BenchSchedulerCommand.self,
                                                                    BenchDeploymentCommand.self,
                                                                    BenchPodStartupCommand.self, BenchJSONCommand.self])
}

/// `swiftlet bench store`: the storage benchmark (Swiftlet's SQLite store, and etcd side by side when an
/// etcd binary is available). Progress lines and the final report go to standard output, logs to standard
/// error.
struct BenchStoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Benchmark the storage layer, compared with etcd when an etcd binary is found.")

    @Flag(help: "Small numbers: a few seconds per backend instead of about a minute.")
    var quick = false

    @Flag(name: .customLong("no-etcd"), help: "Skip the etcd comparison.")
    var noEtcd = false

    @Option(
        name: .customLong("etcd"),
        help: ArgumentHelp("The etcd binary to compare against (default: etcd in PATH).", valueName: "path"))
    var etcdBinary: String?

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if noEtcd, etcdBinary != nil {
            throw ValidationError("--etcd and --no-etcd exclude each other")
        }
        if let etcdBinary, !FileManager.default.isExecutableFile(atPath: etcdBinary) {
            throw ValidationError("--etcd \(etcdBinary) is not an executable file")
        }
    }

    func run() async throws {
        _ = logging.bootstrap(label: "swiftlet.bench")
        var options = quick ? StoreBenchmarkOptions.quick : StoreBenchmarkOptions()
        if noEtcd { options.compareEtcd = false }
        if let etcdBinary { options.etcdBinary = etcdBinary }
        let report = try await StoreBenchmark.run(options, output: { Self.writeLine($0) })
        Self.writeLine(report.formatted())
    }

    /// Writes one line to standard output unbuffered, so progress shows while a phase runs.
    static func writeLine(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}

/// `swiftlet bench api`: starts this binary as `swiftlet server` on a temporary data directory and measures
/// it over HTTP (create/get/list/watch, open-loop creates, a big list, RSS per pod, cold start). Progress
/// lines and the report go to standard output.
struct BenchAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api", abstract: "Benchmark the API server over HTTP against the targets.")

    @Flag(help: "Small numbers: a few seconds instead of a few minutes.")
    var quick = false

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        _ = logging.bootstrap(label: "swiftlet.bench")
        let binary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let options = quick ? APIBenchmarkOptions.quick(serverBinary: binary) : APIBenchmarkOptions(serverBinary: binary)
        let report = try await APIBenchmark.run(options, output: { BenchStoreCommand.writeLine($0) })
        BenchStoreCommand.writeLine(report.formatted())
    }
}

/// `swiftlet bench scheduler`: scheduler throughput with an in-process control plane (SchedulingBasic-like).
struct BenchSchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler", abstract: "Benchmark the scheduler: pods bound per second on many nodes.")

    @Option(help: ArgumentHelp("Nodes to register.", valueName: "count"))
    var nodes: Int?

    @Option(help: ArgumentHelp("Pods to create and schedule.", valueName: "count"))
    var pods: Int?

    @Flag(help: "Small numbers: a few seconds instead of a minute.")
    var quick = false

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if let nodes, nodes < 1 { throw ValidationError("--nodes must be at least 1") }
        if let pods, pods < 1 { throw ValidationError("--pods must be at least 1") }
    }

    func run() async throws {
        _ = logging.bootstrap(label: "swiftlet.bench")
        var options = quick ? SchedulerBenchmarkOptions.quick : SchedulerBenchmarkOptions()
        if let nodes { options.nodes = nodes }
        if let pods { options.pods = pods }
        let report = try await SchedulerBenchmark.run(options, output: { BenchStoreCommand.writeLine($0) })
        BenchStoreCommand.writeLine(report.formatted())
    }
}

/// `swiftlet bench deployment`: a big Deployment on simulated nodes, apply to all pods Running.
struct BenchDeploymentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deployment",
        abstract: "Benchmark the control plane: one big Deployment on simulated nodes until every pod runs.")

    @Option(help: ArgumentHelp("Simulated nodes.", valueName: "count"))
    var nodes: Int?

    @Option(help: ArgumentHelp("Replicas of the Deployment.", valueName: "count"))
    var replicas: Int?

    @Flag(help: "Small numbers: a few seconds instead of minutes.")
    var quick = false

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if let nodes, nodes < 1 { throw ValidationError("--nodes must be at least 1") }
        if let replicas, replicas < 1 { throw ValidationError("--replicas must be at least 1") }
    }

    func run() async throws {
        _ = logging.bootstrap(label: "swiftlet.bench")
        var options = quick ? DeploymentBenchmarkOptions.quick : DeploymentBenchmarkOptions()
        if let nodes { options.nodes = nodes }
        if let replicas { options.replicas = replicas }
        let report = try await DeploymentBenchmark.run(options, output: { BenchStoreCommand.writeLine($0) })
        BenchStoreCommand.writeLine(report.formatted())
    }
}

/// `swiftlet bench json`: decoding and encoding a stored Pod, Foundation's coders beside Swiftlet's tree codecs.
struct BenchJSONCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "json", abstract: "Benchmark decoding and encoding a stored Pod (Foundation beside the tree codecs).")

    @Option(help: "Operations per measurement.")
    var iterations = 5_000

    func run() throws {
        BenchStoreCommand.writeLine(try JSONCodecBenchmark.run(iterations: iterations).formatted())
    }
}
