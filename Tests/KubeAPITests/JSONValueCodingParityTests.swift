import Foundation
@testable import KubeAPI
import KubeCore
import Testing

/// `JSONValueDecoder` and `JSONValueEncoder` (the API server's tree codecs) agree with Foundation's
/// `JSONDecoder`/`JSONEncoder` (``KubeJSON``) for every generated type, with every field set and at zero value.
@Suite struct JSONValueCodingParityTests {
    static let samples = SchemaSamples(extra: [])
    static let typesByName: [String: any APIType.Type] = Dictionary(
        APIRegistry.types.map { ($0.typeSchema.name, $0) }, uniquingKeysWith: { first, _ in first }
    )

    @Test(arguments: typesByName.keys.sorted())
    func treeCodecsMatchFoundation(typeName: String) throws {
        let type = try #require(Self.typesByName[typeName])
        try check(type, Self.samples.sample(type.typeSchema))
        try check(type, .object([:]))
    }

    private func check<T: APIType>(_ type: T.Type, _ sample: JSONValue) throws {
        let viaFoundation = try KubeJSON.decode(T.self, from: TestJSON.data(sample))
        let viaTree = try JSONValueDecoder().decode(T.self, from: sample)
        #expect(viaTree == viaFoundation, "\(T.self): JSONValueDecoder decodes differently from JSONDecoder")

        let encodedByFoundation = try JSONValueParser.parse(KubeJSON.encode(viaFoundation))
        let encodedAsTree = try JSONValueEncoder().encode(viaFoundation)
        let changed = TestJSON.differences(encodedAsTree, encodedByFoundation)
        #expect(changed.isEmpty, "\(T.self): JSONValueEncoder differs from JSONEncoder at \(changed.prefix(5))")
    }

    @Test func numbersConvertLikeFoundation() throws {
        struct Numbers: Codable, Equatable {
            var int: Int
            var small: Int8
            var double: Double
            var optional: Int64?
        }
        let tree: JSONValue = ["int": 3.0, "small": 7, "double": 2, "optional": nil]
        let decoded = try JSONValueDecoder().decode(Numbers.self, from: tree)
        #expect(decoded == Numbers(int: 3, small: 7, double: 2, optional: nil))
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Numbers.self, from: ["int": 3.5, "small": 1, "double": 1]) }
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Numbers.self, from: ["int": 1, "small": 300, "double": 1]) }
        let encoded = try JSONValueEncoder().encode(Numbers(int: 1, small: 2, double: 1.0, optional: nil))
        #expect(encoded == ["int": 1, "small": 2, "double": 1])
        #expect(try JSONValueEncoder().encode(Numbers(int: 1, small: 2, double: 0.25, optional: 5)) == ["int": 1, "small": 2, "double": 0.25, "optional": 5])
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(Numbers(int: 1, small: 2, double: .nan, optional: nil)) }
    }

    @Test func errorsCarryTheCodingPath() throws {
        do {
            _ = try JSONValueDecoder().decode(Pod.self, from: ["spec": ["containers": [["name": 5]]]])
            Issue.record("a number for a container name decoded")
        } catch DecodingError.typeMismatch(_, let context) {
            let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            #expect(path == ["spec", "containers", "0", "name"])
        }
    }

    @Test func opaqueTreesAreKeptAsTheyAre() throws {
        let fields: JSONValue = ["f:metadata": ["f:labels": ["f:app": [:]]], "f:spec": ["k:{\"name\":\"a\"}": [".": [:]]]]
        let tree: JSONValue = ["metadata": ["name": "x", "managedFields": [["manager": "kubectl", "fieldsType": "FieldsV1", "fieldsV1": fields]]]]
        let pod = try JSONValueDecoder().decode(Pod.self, from: tree)
        #expect(pod.metadata.managedFields.first?.fieldsV1 == fields)
        #expect(try JSONValueEncoder().encode(pod)["metadata"]?["managedFields"]?[0]?["fieldsV1"] == fields)
    }
}
