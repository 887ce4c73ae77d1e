import KubeAPI
import KubeCore
@testable import SwiftletBench
import Testing

/// `swiftlet bench json` runs and prints every figure; its stored pod decodes the same through both codecs.
@Suite struct JSONCodecBenchmarkTests {
    @Test func runsAndPrintsEveryFigure() throws {
        let report = try JSONCodecBenchmark.run(iterations: 20)
        let text = report.formatted()
        for label in ["decode bytes, Foundation JSONDecoder", "decode bytes via tree", "of which parse",
                      "decode JSONValue", "encode, Foundation JSONEncoder", "encode to JSONValue"] {
            #expect(text.contains(label), "missing \(label) in:\n\(text)")
        }
        #expect(report.podBytes > 2_000)
        #expect(report.treeDecodeMicros > 0 && report.foundationDecodeMicros > 0)
    }

    @Test func theStoredPodDecodesAlikeThroughBothCodecs() throws {
        let bytes = try JSONCodecBenchmark.storedPodBytes()
        let viaTree = try KubeJSON.decodeTree(Pod.self, from: bytes)
        let viaFoundation = try KubeJSON.decode(Pod.self, from: .init(bytes))
        #expect(viaTree == viaFoundation)
        #expect(viaTree.metadata.managedFields.first?.fieldsV1?["f:spec"] != nil)
    }
}
