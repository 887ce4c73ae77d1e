import Foundation
import KubeAPI
import KubeCore

/// The figures of one JSON codec benchmark run: microseconds per operation on a stored Pod.
///
/// Value type; Sendable.
public struct JSONCodecBenchmarkReport: Sendable {
    public var podBytes: Int
    public var iterations: Int
    /// Bytes → Pod with Foundation's `JSONDecoder` (``KubeJSON/decode(_:from:)``).
    public var foundationDecodeMicros: Double
    /// Bytes → Pod through a parsed tree (``KubeJSON/decodeTree(_:from:)``): what clients and informers use.
    public var treeDecodeMicros: Double
    /// Bytes → `JSONValue` alone.
    public var parseMicros: Double
    /// `JSONValue` → Pod (``JSONValueDecoder``): the API server's typed pass.
    public var valueDecodeMicros: Double
    /// Pod → bytes with Foundation's `JSONEncoder`, parsed back into a tree.
    public var foundationEncodeMicros: Double
    /// Pod → `JSONValue` (``JSONValueEncoder``).
    public var treeEncodeMicros: Double

    public func formatted() -> String {
        func row(_ name: String, _ micros: Double, _ peer: Double? = nil) -> String {
            var line = name.padding(toLength: 48, withPad: " ", startingAt: 0) + " "
                + BenchmarkTable.fixed(micros, 1).padding(toLength: 10, withPad: " ", startingAt: 0)
            if let peer { line += " (\(BenchmarkTable.fixed(peer / max(micros, 1e-9), 1))x Foundation)" }
            return line + "\n"
        }
        var text = "swiftlet bench json (a stored Pod of \(podBytes) bytes with managedFields; µs per operation, \(iterations) runs)\n"
        text += row("decode bytes, Foundation JSONDecoder", foundationDecodeMicros)
        text += row("decode bytes via tree (clients, informers)", treeDecodeMicros, foundationDecodeMicros)
        text += row("  of which parse", parseMicros)
        text += row("decode JSONValue (API server typed pass)", valueDecodeMicros)
        text += row("encode, Foundation JSONEncoder + parse", foundationEncodeMicros)
        text += row("encode to JSONValue (API server)", treeEncodeMicros, foundationEncodeMicros)
        return text
    }
}

/// Decodes and encodes one realistic stored Pod many times with Foundation's coders and with Swiftlet's
/// tree codecs, side by side in the same run.
///
/// Stateless namespace.
public enum JSONCodecBenchmark {
    public static func run(iterations: Int = 5_000) throws -> JSONCodecBenchmarkReport {
        let bytes = try storedPodBytes()
        let data = Data(bytes)
        let tree = try JSONValueParser.parse(bytes)
        let pod = try KubeJSON.decode(Pod.self, from: data)
        func micros(_ body: () throws -> Void) rethrows -> Double {
            let start = ContinuousClock.now
            for _ in 0..<iterations { try body() }
            return (ContinuousClock.now - start).asSeconds * 1_000_000 / Double(iterations)
        }
        return JSONCodecBenchmarkReport(
            podBytes: bytes.count, iterations: iterations,
            foundationDecodeMicros: try micros { _ = try KubeJSON.decode(Pod.self, from: data) },
            treeDecodeMicros: try micros { _ = try KubeJSON.decodeTree(Pod.self, from: bytes) },
            parseMicros: try micros { _ = try JSONValueParser.parse(bytes) },
            valueDecodeMicros: try micros { _ = try JSONValueDecoder().decode(Pod.self, from: tree) },
            foundationEncodeMicros: try micros { _ = try JSONValueParser.parse(KubeJSON.encode(pod)) },
            treeEncodeMicros: try micros { _ = try JSONValueEncoder().encode(pod) })
    }

    /// The API benchmark's pod as the server stores it: defaulted status and a `managedFields` entry whose
    /// `fieldsV1` names every field of the object, as a client's Update records it.
    static func storedPodBytes() throws -> [UInt8] {
        guard case .object(var pod) = try JSONValueParser.parse(PodFixture.body(name: "web-5d8f7c9b6d-x7k2q", namespace: "default")),
              case .object(var metadata)? = pod["metadata"], case .object(var spec)? = pod["spec"]
        else { throw JSONCodecBenchmarkError.fixtureNotAnObject }
        metadata["uid"] = "6b1f0c1e-8f5e-4a8b-9a43-0d3c1b2e4f5a"
        metadata["creationTimestamp"] = "2026-01-01T00:00:00Z"
        metadata["resourceVersion"] = "12345"
        spec["nodeName"] = "node-1"
        pod["spec"] = .object(spec)
        pod["status"] = [
            "phase": "Running", "podIP": "10.244.0.17", "hostIP": "10.0.0.4", "qosClass": "Burstable",
            "conditions": [["type": "PodScheduled", "status": "True", "lastTransitionTime": "2026-01-01T00:00:00Z"],
                           ["type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:00:02Z"]],
        ]
        metadata["managedFields"] = [[
            "manager": "kubectl-client-side-apply", "operation": "Update", "apiVersion": "v1",
            "time": "2026-01-01T00:00:00Z", "fieldsType": "FieldsV1", "fieldsV1": fieldSet(of: .object(pod)),
        ]]
        pod["metadata"] = .object(metadata)
        let object = JSONValue.object(pod)
        return JSONValueWriter.bytes(object)
    }

    /// A `fieldsV1`-shaped tree of `value`: `f:<name>` for members, `i:<n>`-like keys for list elements.
    private static func fieldSet(of value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var set: [String: JSONValue] = [".": [:]]
            for (key, member) in members { set["f:" + key] = fieldSet(of: member) }
            return .object(set)
        case .array(let elements):
            var set: [String: JSONValue] = [".": [:]]
            for (index, element) in elements.enumerated() { set["i:\(index)"] = fieldSet(of: element) }
            return .object(set)
        default:
            return .object([:])
        }
    }
}

/// Why the JSON codec benchmark could not run.
///
/// Value type; Sendable.
enum JSONCodecBenchmarkError: Error, CustomStringConvertible {
    case fixtureNotAnObject

    var description: String { "the benchmark's pod fixture is not a JSON object with metadata and spec" }
}
