import Foundation
@testable import KubeAPI
import KubeCore
import Testing

/// The generated ``JSONTreeCodable`` conformances (the decoders' fast path) against Foundation's
/// `JSONDecoder`/`JSONEncoder` on the types' `Codable` conformances: the fast path itself must accept every
/// well-formed sample and produce the same value and tree, and must reject whatever `Codable` rejects
/// (wrong member types, `null` elements of strict lists, non-objects).
@Suite struct JSONTreeCodableParityTests {
    static let samples = SchemaDrivenRoundTripTests.samples
    static let typesByName = SchemaDrivenRoundTripTests.typesByName

    @Test(arguments: typesByName.keys.sorted())
    func fastPathMatchesCodable(typeName: String) throws {
        let type = try #require(Self.typesByName[typeName])
        try check(type)
    }

    @Test func kubeCoreTypesMatchCodable() throws {
        try checkSamples(ObjectMeta.self, schema: KubeCoreSchemas.objectMeta)
        try checkSamples(ListMeta.self, schema: KubeCoreSchemas.listMeta)
        try checkSamples(LabelSelector.self, schema: KubeCoreSchemas.labelSelector)
        try checkSamples(LabelSelectorRequirement.self, schema: KubeCoreSchemas.labelSelectorRequirement)
        try checkSamples(OwnerReference.self, schema: KubeCoreSchemas.ownerReference)
        try checkSamples(ManagedFieldsEntry.self, schema: KubeCoreSchemas.managedFieldsEntry)
    }

    @Test func scalarsFollowTheCodablePaths() throws {
        #expect(try Quantity(jsonTree: " 500Mi ") == Quantity(jsonTree: "500Mi"))
        #expect(try Quantity(jsonTree: 3).description == "3")
        #expect(throws: JSONTreeMismatch.self) { try Quantity(jsonTree: "five") }
        #expect(try IntOrString(jsonTree: 8080) == .int(8080))
        #expect(try IntOrString(jsonTree: "25%") == .string("25%"))
        #expect(throws: JSONTreeMismatch.self) { try IntOrString(jsonTree: 5_000_000_000) }
        #expect(throws: JSONTreeMismatch.self) { try Int32(jsonTree: 2.5) }
        #expect(try Double(jsonTree: 2) == 2)
        #expect(try (2.0).jsonTree() == 2)
        #expect(try (0.25).jsonTree() == 0.25)
        #expect(throws: JSONTreeMismatch.self) { try Double.nan.jsonTree() }
        #expect(throws: JSONTreeMismatch.self) { try RFC3339Time(jsonTree: "yesterday") }
        #expect(try JSONTree.bytes("aGVs\nbG8=") == Array("hello".utf8))
        #expect(throws: JSONTreeMismatch.self) { try JSONTree.bytes("not base64!") }
    }

    @Test func aDecliningFastPathStillDecodesThroughCodableWithThePath() throws {
        // A decimal quantity is outside the fast path; the decoder still reads it.
        let pod = try JSONValueDecoder().decode(
            Pod.self, from: ["spec": ["containers": [["name": "a", "resources": ["requests": ["cpu": 0.5]]]]]])
        #expect(pod.spec.containers.first?.resources.requests["cpu"]?.description == "500m")
    }

    private func check<T: APIType>(_ type: T.Type) throws {
        guard let tree = T.self as? any (JSONTreeCodable & Equatable).Type else {
            Issue.record("\(T.self) has no JSONTreeCodable conformance")
            return
        }
        try checkSamples(tree, schema: T.typeSchema)
    }

    private func checkSamples<T: JSONTreeCodable & Equatable>(_ type: T.Type, schema: TypeSchema) throws {
        let full = Self.samples.sample(schema)
        try expectAccepted(T.self, full, "every field set")
        try expectAccepted(T.self, .object([:]), "no fields")
        try expectSame(T.self, Self.allMembersNull(full), "every member null")
        try expectSame(T.self, Self.nullElementsAdded(full), "a null element in every list")
        try expectSame(T.self, Self.scalarsSwapped(full), "strings and numbers swapped")
        try expectSame(T.self, .array([full]), "an array")
        try expectSame(T.self, .null, "null")
    }

    /// The fast path decodes `tree` to Foundation's value and encodes that value to Foundation's tree.
    private func expectAccepted<T: JSONTreeCodable & Equatable>(_ type: T.Type, _ tree: JSONValue, _ what: String) throws {
        let viaFoundation = try KubeJSON.decode(T.self, from: TestJSON.data(tree))
        let viaFastPath: T
        do {
            viaFastPath = try T(jsonTree: tree)
        } catch {
            Issue.record("\(T.self), \(what): the fast path declined a value Codable decodes")
            return
        }
        #expect(viaFastPath == viaFoundation, "\(T.self), \(what): decoded differently from Codable")
        let encodedByFoundation = try JSONValueParser.parse(KubeJSON.encode(viaFoundation))
        let encodedByFastPath = try viaFoundation.jsonTree()
        let changed = TestJSON.differences(encodedByFastPath, encodedByFoundation)
        #expect(changed.isEmpty, "\(T.self), \(what): encoded differently from Codable at \(changed.prefix(5))")
    }

    /// Whatever Codable rejects the fast path rejects; what both accept is the same value.
    private func expectSame<T: JSONTreeCodable & Equatable>(_ type: T.Type, _ tree: JSONValue, _ what: String) throws {
        let viaFoundation = try? KubeJSON.decode(T.self, from: TestJSON.data(tree))
        let viaFastPath = try? T(jsonTree: tree)
        if viaFoundation == nil {
            #expect(viaFastPath == nil, "\(T.self), \(what): the fast path accepted a value Codable rejects")
        } else if let viaFastPath {
            #expect(viaFastPath == viaFoundation, "\(T.self), \(what): decoded differently from Codable")
        }
    }

    static func allMembersNull(_ tree: JSONValue) -> JSONValue {
        guard case .object(let members) = tree else { return tree }
        return .object(members.mapValues { _ in .null })
    }

    static func nullElementsAdded(_ tree: JSONValue) -> JSONValue {
        switch tree {
        case .array(let elements): return .array(elements.map(nullElementsAdded) + [.null])
        case .object(let members): return .object(members.mapValues(nullElementsAdded))
        default: return tree
        }
    }

    static func scalarsSwapped(_ tree: JSONValue) -> JSONValue {
        switch tree {
        case .array(let elements): return .array(elements.map(scalarsSwapped))
        case .object(let members): return .object(members.mapValues(scalarsSwapped))
        case .string: return .integer(1)
        case .integer, .number: return .string("1")
        case .bool(let flag): return .string(flag ? "true" : "false")
        case .null: return .null
        }
    }
}
