import Foundation
@testable import KubeAPI
import KubeCore
import Testing

/// For every generated type (and the fixture types and the KubeCore meta types): an object with every
/// field set survives decode → encode unchanged, and the zero value encodes as Go would.
@Suite struct SchemaDrivenRoundTripTests {
    static let fixtureTypes: [any APIType.Type] = [
        Widget.self, Gadget.self, WidgetSpec.self, Part.self, WidgetStatus.self, WidgetCondition.self, Empty.self,
    ]
    static let samples = SchemaSamples(extra: fixtureTypes.map { $0.typeSchema })
    static let typesByName: [String: any APIType.Type] = Dictionary(
        (APIRegistry.types + fixtureTypes).map { ($0.typeSchema.name, $0) }, uniquingKeysWith: { _, fixture in fixture }
    )

    @Test(arguments: typesByName.keys.sorted())
    func everyFieldRoundTrips(typeName: String) throws {
        let type = try #require(Self.typesByName[typeName])
        try checkRoundTrip(type)
    }

    @Test(arguments: typesByName.keys.sorted())
    func zeroValueEncodesLikeGo(typeName: String) throws {
        let type = try #require(Self.typesByName[typeName])
        try checkZero(type)
    }

    @Test func kubeCoreSchemasMatchKubeCoreCoding() throws {
        try checkCore(ObjectMeta.self, KubeCoreSchemas.objectMeta)
        try checkCore(ListMeta.self, KubeCoreSchemas.listMeta)
        try checkCore(LabelSelector.self, KubeCoreSchemas.labelSelector)
        try checkCore(LabelSelectorRequirement.self, KubeCoreSchemas.labelSelectorRequirement)
        try checkCore(OwnerReference.self, KubeCoreSchemas.ownerReference)
        try checkCore(ManagedFieldsEntry.self, KubeCoreSchemas.managedFieldsEntry)
    }

    private func checkRoundTrip<T: APIType>(_ type: T.Type) throws {
        let sample = Self.samples.sample(T.typeSchema)
        let (reencoded, decoded) = try TestJSON.roundTrip(T.self, TestJSON.data(sample))
        let changed = TestJSON.differences(reencoded, sample)
        #expect(changed.isEmpty, "\(T.self): decode → encode changed \(changed.prefix(5))")
        let again = try KubeJSON.decode(T.self, from: KubeJSON.encode(decoded))
        #expect(again == decoded, "\(T.self): not equal after a second round trip")
    }

    private func checkZero<T: APIType>(_ type: T.Type) throws {
        let decoded = try KubeJSON.decode(T.self, from: TestJSON.data("{}"))
        let encoded = try TestJSON.value(KubeJSON.encode(decoded))
        let changed = TestJSON.differences(encoded, Self.samples.zero(T.typeSchema))
        #expect(changed.isEmpty, "\(T.self): zero value encodes differently from Go: \(changed.prefix(5))")
    }

    private func checkCore<T: Codable & Equatable>(_ type: T.Type, _ schema: TypeSchema) throws {
        let sample = Self.samples.sample(schema)
        let (reencoded, _) = try TestJSON.roundTrip(T.self, TestJSON.data(sample))
        let changed = TestJSON.differences(reencoded, sample)
        #expect(changed.isEmpty, "\(schema.name): schema and KubeCore coding disagree: \(changed.prefix(5))")
        let zero = try TestJSON.roundTrip(T.self, TestJSON.data("{}")).0
        let zeroChanged = TestJSON.differences(zero, Self.samples.zero(schema))
        #expect(zeroChanged.isEmpty, "\(schema.name): zero value differs from the schema's: \(zeroChanged.prefix(5))")
    }
}
